"""The one decoder for uploaded text files (question files, rosters, study texts).

Excel and Notepad on Chinese Windows save UTF-8 with or without a BOM, UTF-16 with a BOM
("Unicode 文本"), or GB18030/GBK; anything else is refused with one Chinese message.
"""
from __future__ import annotations

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_ENCODINGS = ("utf-8-sig", "gb18030")
NUL_MESSAGE = "不是文本文件：含有空字符（NUL，即二进制内容），请另存为 UTF-8 文本后再上传"


class UndecodableText(ValueError):
    """The bytes are not text in any encoding we accept; ``message`` is Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def decode_text(data: bytes) -> str:
    """The text of ``data``: UTF-16 by its BOM, else UTF-8 (BOM optional), else GB18030/GBK; never with NUL."""
    text = _decoded(data)
    if "\x00" in text:
        raise UndecodableText(NUL_MESSAGE)
    return text


def _decoded(data: bytes) -> str:
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UndecodableText("文件开头标明是 UTF-16 编码，但内容无法按 UTF-16 解码") from exc
    if b"\x00" in data:
        raise UndecodableText(NUL_MESSAGE)
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UndecodableText("无法识别文件编码：既不是 UTF-8，也不是 GB18030/GBK，请另存为 UTF-8 编码后再导入")
