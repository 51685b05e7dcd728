"""Safety checks on Office (zip) files before any library parses them."""
from __future__ import annotations

import io
import zipfile

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


def _declares_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(_CHUNK):
            window = tail + chunk
            if any(marker in window for marker in _DTD_MARKERS):
                return True
            tail = window[-16:]  # a marker may straddle two chunks
    return False


def refuse_xml_entities(archive: zipfile.ZipFile, kind: str) -> None:
    """Refuse any XML part that declares a DTD or entities (billion laughs, external entities).

    Office files never need a DTD, so refusing one costs nothing legitimate; doing it here
    keeps us safe whatever XML parser the libraries are configured with.
    """
    for info in archive.infolist():
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            declares = _declares_dtd(archive, info)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
            raise FileProblem(f"{kind} 文件已损坏，无法读取「{info.filename}」") from exc
        if declares:
            raise FileProblem(f"{kind} 文件含有 XML 实体定义（可能是恶意文件），已拒绝")


def check_office_file(data: bytes, kind: str, old_ext: str, limits: Limits) -> None:
    """Every check above, before the file is handed to openpyxl or python-docx."""
    archive = open_office_zip(data, kind, old_ext, limits)
    try:
        refuse_xml_entities(archive, kind)
    finally:
        archive.close()
