"""Build question files in memory for the reader tests (xlsx, docx, zips with planted parts)."""
from __future__ import annotations

import io
import zipfile

import docx
import openpyxl

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
              for n in range(1, 10))
    + "]>\n"
)

TEMPLATE_HEADER = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "难度",
                   "分类", "标签", "出处", "原文摘录", "编号"]


def make_xlsx(rows: list[list[object]] | None = None,
              sheets: dict[str, list[list[object]]] | None = None) -> bytes:
    """An .xlsx with one sheet of ``rows`` or several named ``sheets``."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, sheet_rows in (sheets or {"题目": rows or []}).items():
        sheet = workbook.create_sheet(title)
        for row in sheet_rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_docx(lines: list[str], table: list[list[str]] | None = None) -> bytes:
    """A .docx with one paragraph per line (a "\\n" inside a line becomes a line break)."""
    document = docx.Document()
    for line in lines:
        paragraph = document.add_paragraph()
        parts = line.split("\n")
        run = paragraph.add_run(parts[0])
        for part in parts[1:]:
            run.add_break()
            run = paragraph.add_run(part)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for cells, values in zip(grid.rows, table):
            for cell, value in zip(cells.cells, values):
                cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def replace_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """A copy of the zip ``data`` with some members replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info, source.read(info))
        for name, content in parts.items():
            target.writestr(name, content)
    return buffer.getvalue()


def with_billion_laughs(data: bytes, part: str) -> bytes:
    """``data`` whose XML ``part`` declares the billion-laughs entities and uses them."""
    original = zipfile.ZipFile(io.BytesIO(data)).read(part).decode("utf-8")
    body = original.split("?>", 1)[1] if original.startswith("<?xml") else original
    body = body.replace("</t>", "&lol9;</t>", 1) if "</t>" in body else body
    return replace_parts(data, {part: (BILLION_LAUGHS + body).encode("utf-8")})


def make_huge_sheet(rows: int, row_xml=None, chunk_rows: int = 100_000) -> bytes:
    """An .xlsx whose sheet has ``rows`` rows and no <dimension>, streamed into the zip in chunks.

    ``row_xml(first, count)`` gives the XML of ``count`` rows from row number ``first``; by
    default empty rows without numbers, which is what makes a small file hold millions of rows.
    """
    row_xml = row_xml or (lambda first, count: b"<row/>" * count)
    base = make_xlsx([["题干", "答案"]])
    source = zipfile.ZipFile(io.BytesIO(base))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info.filename, source.read(info.filename))
        with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
                        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for first in range(1, rows + 1, chunk_rows):
                sheet.write(row_xml(first, min(chunk_rows, rows - first + 1)))
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def numbered_rows(first: int, count: int) -> bytes:
    """Rows with a stem and an answer cell, as a real million-row export would have."""
    return b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>q%d</t></is></c>'
                    b'<c r="B%d" t="inlineStr"><is><t>A</t></is></c></row>' % (n, n, n, n)
                    for n in range(first, first + count))
