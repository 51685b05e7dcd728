"""Safety checks on Office (zip) files before any library parses them."""
from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

from question_bank.readers.base import MIB, FileProblem, Limits

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
_CHUNK = 1 << 20


def _refuse_ole(data: bytes, kind: str, old_ext: str) -> None:
    if not data.startswith(OLE_MAGIC):
        return
    if _ENCRYPTION_STREAM in data:
        raise FileProblem(f"{kind} 文件设置了打开密码（已加密），请取消密码后另存再导入")
    raise FileProblem(f"这是旧版 {old_ext} 格式，请在 Office 中另存为 {old_ext}x 后再导入")


def _check_sizes(archive: zipfile.ZipFile, kind: str, limits: Limits) -> None:
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MIB and ratio > limits.max_compression_ratio:
            raise FileProblem(f"{kind} 文件异常：其中「{info.filename}」的压缩比高达 {ratio:.0f} 倍，已拒绝")
    if total > limits.max_unzipped_bytes:
        raise FileProblem(
            f"{kind} 文件解压后有 {total // MIB} MiB，超过 {limits.max_unzipped_bytes // MIB} MiB 的上限")


def open_office_zip(data: bytes, kind: str, old_ext: str, limits: Limits) -> zipfile.ZipFile:
    """The zip inside an .xlsx/.docx after refusing encrypted, old-format, corrupt or bomb files."""
    _refuse_ole(data, kind, old_ext)
    if not data.startswith(b"PK"):
        raise FileProblem(f"不是有效的 {old_ext}x 文件（内容不是 {kind} 格式）")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as exc:
        raise FileProblem(f"{kind} 文件已损坏，无法打开") from exc
    _check_sizes(archive, kind, limits)
    return archive


# Start tags counted with bytes.count, as few as will do (each is a pass over the part): <row and
# <x:row (a namespace prefix), Word's <w:tr, cells <c …> / <c/> and prefixed <x:c ….
_ROW_TAGS = (b"<row", b":row", b"<w:tr")
_CELL_TAGS = (b"<c ", b"<c/", b":c ")


def _count(window: bytes, tail: bytes, tags: tuple[bytes, ...]) -> int:
    """Tags in ``window`` not already counted in ``tail`` (the end of the previous window)."""
    return sum(window.count(tag) - tail.count(tag) for tag in tags)


@dataclass
class _Scan:
    """What streaming through the parts found so far; every count is of what is there, not declared."""

    kind: str
    limits: Limits
    unzipped: int = 0
    rows: int = 0
    cells: int = 0

    def refuse_rows(self, part: str) -> None:
        if self.rows > self.limits.max_sheet_rows:
            raise FileProblem(f"{self.kind} 文件的「{part}」有超过 {self.limits.max_sheet_rows} 行（含空行），"
                              "请删除多余的行或分成几个文件后再导入")
        if self.cells > self.limits.max_cells:
            raise FileProblem(f"{self.kind} 文件的「{part}」有超过 {self.limits.max_cells} 个单元格，"
                              "请删除多余的行列或分成几个文件后再导入")

    def feed(self, part: str, chunk: bytes, tail: bytes, counted: bool) -> None:
        """One chunk of a part; ``tail`` ends the previous chunk, as a marker may straddle two."""
        self.unzipped += len(chunk)
        if self.unzipped > self.limits.max_unzipped_bytes:
            raise FileProblem(f"{self.kind} 文件解压后超过 {self.limits.max_unzipped_bytes // MIB} MiB 的上限")
        window = tail + chunk
        if any(marker in window for marker in _DTD_MARKERS):
            raise FileProblem(f"{self.kind} 文件含有 XML 实体定义（可能是恶意文件），已拒绝")
        if counted:
            self.rows += _count(window, tail, _ROW_TAGS)
            self.cells += _count(window, tail, _CELL_TAGS)
            self.refuse_rows(part)


def _is_table_part(name: str) -> bool:
    return name.startswith(("xl/worksheets/", "word/document")) and name.endswith(".xml")


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, scan: _Scan) -> None:
    counted = _is_table_part(info.filename)
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(_CHUNK):
            scan.feed(info.filename, chunk, tail, counted)
            tail = chunk[-16:]


def scan_parts(archive: zipfile.ZipFile, kind: str, limits: Limits) -> None:
    """Stream every XML part once, whatever the file declares, and stop at the first limit passed:
    bytes really unzipped, a DTD or entity declaration (billion laughs, external entities), and the
    rows and cells of worksheets and Word tables (an .xlsx may hold millions of empty rows).

    Office files never need a DTD, so refusing one costs nothing legitimate; doing it here
    keeps us safe whatever XML parser the libraries are configured with.
    """
    scan = _Scan(kind, limits)
    for info in archive.infolist():
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            _scan_part(archive, info, scan)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError, zlib.error) as exc:
            raise FileProblem(f"{kind} 文件已损坏，无法读取「{info.filename}」") from exc


def check_office_file(data: bytes, kind: str, old_ext: str, limits: Limits) -> None:
    """Every check above, before the file is handed to openpyxl or python-docx."""
    archive = open_office_zip(data, kind, old_ext, limits)
    try:
        scan_parts(archive, kind, limits)
    finally:
        archive.close()
