"""Roster import: a spreadsheet of people becomes accounts with generated initial passwords.

The whole file is checked first and every problem reported (第N行「字段」：reason); only a file without
problems is written, in one transaction, together with the one-time sheet of initial passwords.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from question_bank.decoding import UndecodableText, decode_text
from question_bank.draft import RowError
from question_bank.readers.archive import check_office_file
from question_bank.readers.base import MIB, FileProblem, Limits
from question_bank.spreadsheet import append_row
from quizapp.extensions import db
from quizapp.models import ROLES, StudyGroup, User
from quizapp.services import ServiceError, downloads
from quizapp.services.clock import local_day
from quizapp.services.people import accounts

HEADERS = ("姓名", "用户名", "所属支部", "角色")
INSTRUCTION_SHEETS = {"说明", "填写说明"}
# A roster of thousands of people unzips to a few MiB; anything far larger is refused unread.
ZIP_LIMITS = Limits(max_unzipped_bytes=50 * MIB)

ROLE_CODES = {label: code for code, label in ROLES.items()}  # 党员 -> member
CREDENTIAL_HEADERS = ("姓名", "用户名", "所属支部", "初始密码")
TEMPLATE_NOTES = (
    "每行一人；第一行是表头，请勿修改。",
    "姓名、用户名必填；用户名用于登录，不能重复，不能含空格。",
    "所属支部填写系统中已有的组织名称（管理员可留空）。",
    "角色填写 党员、支部书记 或 管理员；留空即为党员。支部书记自动成为所属支部的书记。",
    "导入后系统为每人生成初始密码，只提供一次下载；首次登录须修改密码。",
)


class RosterError(ServiceError):
    """The roster was refused; `problems` lists every reason, nothing was written."""

    def __init__(self, problems: list[RowError]) -> None:
        self.problems = problems
        super().__init__(f"名单中有 {len(problems)} 处问题，未导入任何人，请修改后重新上传。")


class Unreadable(Exception):
    """The file as a whole cannot be read as a roster; the message is Chinese."""


@dataclass(frozen=True)
class RosterEntry:
    row: int
    name: str
    username: str
    group_name: str
    role: str  # a code of ROLES


@dataclass(frozen=True)
class RosterImport:
    count: int
    download_token: str


def read_roster(data: bytes, filename: str, *, max_rows: int, max_bytes: int) -> list[RosterEntry]:
    """Parse and check a roster file against the database; raise RosterError with every problem."""
    try:
        header_row, header, rows = read_table(data, filename, max_rows=max_rows, max_bytes=max_bytes)
    except Unreadable as problem:
        raise RosterError([RowError(filename, 0, "", str(problem))]) from problem
    problems = _header_problems(filename, header_row, header)
    if problems:
        raise RosterError(problems)
    entries, problems = _entries(filename, header, rows)
    problems += _database_problems(filename, entries)
    if problems:
        raise RosterError(sorted(problems, key=lambda problem: problem.row))
    return entries


def import_roster(data: bytes, filename: str, *, owner: User, now: datetime, max_rows: int,
                  max_bytes: int) -> RosterImport:
    """Create every account of a valid roster and store the password sheet for `owner`, all at once."""
    entries = read_roster(data, filename, max_rows=max_rows, max_bytes=max_bytes)
    if not entries:
        raise RosterError([RowError(filename, 0, "", "名单中没有任何人")])
    credentials = _create_accounts(entries)
    stamp = local_day(now).strftime("%Y%m%d")
    download = downloads.offer(owner, f"初始密码-{stamp}.xlsx", f"{len(entries)} 人的初始密码（{filename}）",
                               credentials_sheet(credentials), now=now)
    try:
        db.session.commit()
    except IntegrityError as error:  # someone took a username between the check and the write
        db.session.rollback()
        raise RosterError([RowError(filename, 0, "用户名", "导入时有用户名被占用，请重新上传")]) from error
    return RosterImport(len(entries), download.token)


Table = tuple[int, list[str], list[tuple[int, list[str]]]]  # header row number, header, numbered data rows


def read_table(data: bytes, filename: str, *, max_rows: int, max_bytes: int) -> Table:
    """The first non-empty row as header and the non-empty rows below it, as stripped text."""
    if len(data) > max_bytes:
        raise Unreadable(f"文件太大（{len(data) / MIB:.1f} MiB），上限为 {max_bytes / MIB:.0f} MiB")
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        return _read_csv(data, max_rows)
    if suffix == ".xlsx":
        return _read_xlsx(data, max_rows)
    raise Unreadable(f"不支持的文件类型「{suffix or filename}」：请上传 .xlsx 或 .csv 文件")


def _read_csv(data: bytes, max_rows: int) -> Table:
    rows = enumerate(csv.reader(io.StringIO(_decode_csv(data), newline="")), start=1)
    try:
        return _split_header(rows, max_rows)
    except csv.Error as error:
        raise Unreadable("CSV 文件格式有误，无法读取") from error


def _decode_csv(data: bytes) -> str:
    try:
        return decode_text(data)
    except UndecodableText as error:
        raise Unreadable(f"{error.message}，请上传 .xlsx 或 .csv 名单") from error


def _read_xlsx(data: bytes, max_rows: int) -> Table:
    try:
        check_office_file(data, "Excel", ".xls", ZIP_LIMITS)  # the one guard of every Office upload
    except FileProblem as problem:
        raise Unreadable(str(problem)) from problem
    workbook = None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = [sheet for sheet in workbook.worksheets if sheet.title.strip() not in INSTRUCTION_SHEETS]
        if not sheets:
            raise Unreadable("Excel 文件中没有名单工作表")
        sheets[0].reset_dimensions()  # never trust the declared size
        return _split_header(enumerate(sheets[0].iter_rows(values_only=True), start=1), max_rows)
    except Unreadable:
        raise
    except DefusedXmlException as error:
        raise Unreadable("Excel 文件含有 XML 实体定义（可能是恶意文件），已拒绝") from error
    except Exception as error:  # openpyxl raises many kinds on a damaged workbook
        raise Unreadable("Excel 文件已损坏或不是有效的 .xlsx 文件，无法读取") from error
    finally:
        if workbook is not None:
            workbook.close()


def _split_header(rows, max_rows: int) -> Table:
    header_row, header, body = 0, [], []
    for number, cells in rows:
        texts = [_cell_text(cell) for cell in cells]
        if not any(texts):
            continue
        if not header_row:
            header_row, header = number, ["".join(text.split()) for text in texts]
        elif len(body) == max_rows:
            raise Unreadable(f"名单超过 {max_rows} 人（行），请分成几个文件导入")
        else:
            body.append((number, texts))
    return header_row, header, body


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a username typed as a number shows as 1001, not 1001.0
    return "" if value is None else str(value).strip()


def _header_problems(filename: str, row: int, header: list[str]) -> list[RowError]:
    if not any(header):
        return [RowError(filename, 0, "", "文件是空的：没有表头，也没有数据")]
    problems = [RowError(filename, row, "表头", f"未知的列「{name}」，表头应为：{'、'.join(HEADERS)}")
                for name in header if name and name not in HEADERS]
    problems += [RowError(filename, row, "表头", f"列「{name}」出现了不止一次")
                 for name in HEADERS if header.count(name) > 1]
    problems += [RowError(filename, row, "表头", f"缺少列「{name}」")
                 for name in HEADERS[:3] if name not in header]
    return problems


def _entries(filename: str, header: list[str],
             rows: list[tuple[int, list[str]]]) -> tuple[list[RosterEntry], list[RowError]]:
    """Entries for every row, and the problems visible without the database."""
    column = {name: header.index(name) for name in HEADERS if name in header}
    entries, problems, first_row_of = [], [], {}
    for number, cells in rows:
        value = {name: cells[index] if index < len(cells) else "" for name, index in column.items()}
        role_label = value.get("角色") or ROLES["member"]
        entry = RosterEntry(number, value["姓名"], value["用户名"], value["所属支部"], ROLE_CODES.get(role_label, ""))
        entries.append(entry)
        problems += [RowError(filename, number, field, message)
                     for field, message in _row_problems(entry, role_label, first_row_of)]
    return entries, problems


def _row_problems(entry: RosterEntry, role_label: str, first_row_of: dict[str, int]) -> list[tuple[str, str]]:
    """(field, message) for one row; first_row_of remembers where each username was first seen."""
    found = []
    if message := accounts.name_problem(entry.name):
        found.append(("姓名", message))
    if message := accounts.username_problem(entry.username):
        found.append(("用户名", message))
    elif (first := first_row_of.setdefault(entry.username.lower(), entry.row)) != entry.row:
        found.append(("用户名", f"用户名「{entry.username}」与第{first}行重复"))
    if not entry.role:
        found.append(("角色", f"未知角色「{role_label}」，应为 {'、'.join(ROLE_CODES)} 之一（留空即为党员）"))
    if not entry.group_name and entry.role != "admin":
        found.append(("所属支部", "所属支部为空"))
    return found


def _database_problems(filename: str, entries: list[RosterEntry]) -> list[RowError]:
    """Usernames already taken and groups that do not exist."""
    taken = _taken_usernames({entry.username.lower() for entry in entries if entry.username})
    known_groups = set(db.session.scalars(select(StudyGroup.name)))
    problems = [RowError(filename, entry.row, "用户名", f"用户名「{entry.username}」已被使用")
                for entry in entries if entry.username.lower() in taken]
    problems += [RowError(filename, entry.row, "所属支部", f"没有名为「{entry.group_name}」的组织，请先在组织管理中创建")
                 for entry in entries if entry.group_name and entry.group_name not in known_groups]
    return problems


def _taken_usernames(lowered: set[str], chunk: int = 500) -> set[str]:
    names, taken = sorted(lowered), set()
    for start in range(0, len(names), chunk):
        query = select(func.lower(User.username)).where(func.lower(User.username).in_(names[start:start + chunk]))
        taken.update(db.session.scalars(query))
    return taken


def _create_accounts(entries: list[RosterEntry]) -> list[tuple[str, str, str, str]]:
    """Add the users (not committed); (姓名, 用户名, 所属支部, 初始密码) per person."""
    groups = {group.name: group for group in db.session.scalars(select(StudyGroup))}
    credentials = []
    for entry in entries:
        password = accounts.generate_password()
        group = groups.get(entry.group_name)
        user = User(username=entry.username, name=entry.name, role=entry.role, group=group,
                    must_change_password=True, password_hash=accounts.hash_initial_password(password))
        db.session.add(user)
        if entry.role == "secretary":
            group.secretaries.append(user)
        credentials.append((entry.name, entry.username, entry.group_name, password))
    return credentials


def credentials_sheet(credentials: list[tuple[str, str, str, str]]) -> bytes:
    """The .xlsx of initial passwords handed to the admin once."""
    return _workbook("初始密码", CREDENTIAL_HEADERS, credentials)


def template_sheet() -> bytes:
    """An empty roster with the expected header, and a second sheet explaining how to fill it in."""
    return _workbook("花名册", HEADERS, [], notes=TEMPLATE_NOTES)


def _workbook(title: str, header: tuple[str, ...], rows: list[tuple], notes: tuple[str, ...] = ()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in (header, *rows):
        append_row(sheet, row)
    for letter in "ABCD":
        sheet.column_dimensions[letter].width = 18
    sheet.freeze_panes = "A2"
    if notes:
        help_sheet = workbook.create_sheet("填写说明")
        for note in notes:
            help_sheet.append([note])
        help_sheet.column_dimensions["A"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
