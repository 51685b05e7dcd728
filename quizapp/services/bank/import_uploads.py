"""The uploaded question file between the import preview and the confirm step.

The file stays on the server under a random token: the confirm step re-reads it, so no draft
ever travels through the browser.
"""
from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from question_bank.readers.headers import IGNORE
from quizapp.services.bank.imports import QuestionImportError

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
UPLOAD_LIFETIME = timedelta(hours=24)
EXPIRED = "导入文件已过期或不存在，请重新上传。"


@dataclass
class PendingUpload:
    folder: Path
    token: str
    filename: str
    user_id: int
    mapping: dict[str, str] = field(default_factory=dict)

    @property
    def data_path(self) -> Path:
        return self.folder / f"{self.token}.upload"

    @property
    def meta_path(self) -> Path:
        return self.folder / f"{self.token}.json"

    def save_meta(self) -> None:
        meta = {"filename": self.filename, "user_id": self.user_id, "mapping": self.mapping}
        self.meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    def discard(self) -> None:
        self.data_path.unlink(missing_ok=True)
        self.meta_path.unlink(missing_ok=True)


def change_mapping(upload: PendingUpload, rows: list[tuple[str, str | None, str]]) -> None:
    """Apply the preview's mapping form: (header, field it had, field chosen) per row.

    Only the rows the admin changed are kept; a field given to another header is taken from the
    header that held it (it becomes ignored), so changing one select is enough to move a field.
    """
    changed = {header: target for header, current, target in rows if target != current}
    holders = {current: header for header, current, target in rows if target == current and current != IGNORE}
    for target in list(changed.values()):
        holder = holders.get(target)
        if holder is not None and holder not in changed:
            changed[holder] = IGNORE
    upload.mapping.update(changed)
    upload.save_meta()


def save_upload(folder: Path, data: bytes, filename: str, user_id: int, *, now: datetime) -> PendingUpload:
    """Keep an uploaded file for the preview and confirm steps; older leftovers are removed."""
    folder.mkdir(parents=True, exist_ok=True)
    _purge(folder, now)
    upload = PendingUpload(folder, secrets.token_urlsafe(24), Path(filename).name or "upload", user_id)
    upload.data_path.write_bytes(data)
    upload.save_meta()
    return upload


def load_upload(folder: Path, token: str, user_id: int) -> PendingUpload:
    """The upload `token` of this user, or QuestionImportError when it is unknown, expired or not theirs."""
    if not TOKEN_RE.match(token):
        raise QuestionImportError(EXPIRED)
    meta_path = folder / f"{token}.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise QuestionImportError(EXPIRED) from error
    upload = PendingUpload(folder, token, meta["filename"], meta["user_id"], meta.get("mapping") or {})
    if upload.user_id != user_id or not upload.data_path.exists():
        raise QuestionImportError(EXPIRED)
    return upload


def _purge(folder: Path, now: datetime) -> None:
    cutoff = (now - UPLOAD_LIFETIME).timestamp()
    for path in folder.iterdir():
        if path.suffix in (".upload", ".json") and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
