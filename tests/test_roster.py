"""Roster import: whole-file validation, all-or-nothing writing, the one-time password sheet."""
import io
import zipfile
from datetime import datetime, timedelta, timezone

import openpyxl
import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import User
from quizapp.models.downloads import OneTimeDownload
from quizapp.services import downloads
from quizapp.services.people import roster
from quizapp.services.people.roster import RosterError

NOW = datetime(2025, 7, 1, 2, 0, tzinfo=timezone.utc)
HEADER = ["姓名", "用户名", "所属支部", "角色"]
GOOD = [HEADER, ["张伟", "zhangwei", "第一党支部", ""], ["李娜", "lina", "第一党支部", "支部书记"],
        ["王芳", "wangfang", "第二党支部", "党员"]]


def csv_bytes(rows, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(",".join(row) for row in rows) + "\r\n").encode(encoding)


def xlsx_bytes(rows, title: str = "花名册") -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.title = title
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_rows(data: bytes) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [row for row in workbook.worksheets[0].iter_rows(values_only=True)]


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


@pytest.fixture
def branches(app, make_group):
    committee = make_group(name="机关党委", kind="committee")
    return {name: make_group(name=name, parent=committee) for name in ("第一党支部", "第二党支部")}


@pytest.fixture
def owner(app, make_user):
    return make_user(role="admin")


def do_import(data: bytes, filename: str, owner, max_rows: int = 100, max_bytes: int = 1_000_000):
    return roster.import_roster(data, filename, owner=owner, now=NOW, max_rows=max_rows, max_bytes=max_bytes)


def problems_of(data: bytes, filename: str, owner, **limits) -> list[str]:
    before = user_count()
    with pytest.raises(RosterError) as raised:
        do_import(data, filename, owner, **limits)
    db.session.rollback()
    assert user_count() == before, "nothing may be written when the roster has a problem"
    assert db.session.scalar(select(func.count()).select_from(OneTimeDownload)) == 0
    return [str(problem) for problem in raised.value.problems]


# ---- good files -----------------------------------------------------------------------------------

@pytest.mark.parametrize("filename, data", [
    ("名单.csv", csv_bytes(GOOD)),
    ("名单.csv", csv_bytes(GOOD, "utf-8-sig")),  # Excel's "CSV UTF-8" writes a BOM
    ("名单.csv", csv_bytes(GOOD, "gbk")),  # plain "CSV" from Excel on Chinese Windows
    ("名单.CSV", csv_bytes(GOOD, "gb18030")),
    ("名单.xlsx", xlsx_bytes(GOOD)),
], ids=["utf8", "utf8-bom", "gbk", "gb18030", "xlsx"])
def test_import_creates_accounts_and_a_one_time_sheet(branches, owner, filename, data):
    result = do_import(data, filename, owner)
    assert result.count == 3
    people = {user.username: user for user in db.session.scalars(select(User).where(User.id != owner.id))}
    assert {name: (user.name, user.group.name, user.role) for name, user in people.items()} == {
        "zhangwei": ("张伟", "第一党支部", "member"),
        "lina": ("李娜", "第一党支部", "secretary"),
        "wangfang": ("王芳", "第二党支部", "member"),
    }
    assert all(user.must_change_password for user in people.values())
    assert [user.username for user in branches["第一党支部"].secretaries] == ["lina"]
    fetched = downloads.take(owner, result.download_token, now=NOW)
    rows = sheet_rows(fetched.content)
    assert rows[0] == ("姓名", "用户名", "所属支部", "初始密码")
    assert [row[:3] for row in rows[1:]] == [tuple(row[:3]) for row in GOOD[1:]]
    assert all(people[username].check_password(password) for _, username, _, password in rows[1:])
    assert len({password for *_, password in rows[1:]}) == 3


def test_xlsx_numbers_blank_rows_and_spaces(branches, owner):
    rows = [[], [" 姓 名", "用户名", "所属支部"], [" 张伟 ", 1001, "第一党支部"], [None, None, None],
            ["李娜", 1002.0, "第二党支部"]]
    do_import(xlsx_bytes(rows), "名单.xlsx", owner)
    assert set(db.session.scalars(select(User.username).where(User.id != owner.id))) == {"1001", "1002"}
    assert db.session.scalar(select(User.name).where(User.username == "1001")) == "张伟"


def test_instruction_sheet_before_the_roster_is_skipped(branches, owner):
    workbook = openpyxl.Workbook()
    workbook.active.title = "填写说明"
    workbook.active.append(["请按模板填写"])
    sheet = workbook.create_sheet("花名册")
    for row in GOOD:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert do_import(buffer.getvalue(), "名单.xlsx", owner).count == 3


def test_admin_may_have_no_group(branches, owner):
    rows = [HEADER, ["赵管理", "zhao", "", "管理员"]]
    do_import(csv_bytes(rows), "a.csv", owner)
    admin = db.session.scalar(select(User).where(User.username == "zhao"))
    assert (admin.role, admin.group_id) == ("admin", None)


def test_template_round_trip(branches, owner):
    template = roster.template_sheet()
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    assert workbook.sheetnames == ["花名册", "填写说明"]
    workbook["花名册"].append(["张伟", "zw", "第一党支部", "党员"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert do_import(buffer.getvalue(), "模板.xlsx", owner).count == 1


# ---- bad files: every problem, nothing written ------------------------------------------------------

@pytest.mark.parametrize("rows, expected", [
    ([HEADER, ["", "a1", "第一党支部", ""]], ["名单.csv 第2行「姓名」：姓名为空"]),
    ([HEADER, ["甲", "", "第一党支部", ""]], ["名单.csv 第2行「用户名」：用户名为空"]),
    ([HEADER, ["甲", "zhang san", "第一党支部", ""]], ["名单.csv 第2行「用户名」：用户名不能包含空格"]),
    ([HEADER, ["甲", "x" * 65, "第一党支部", ""]], ["名单.csv 第2行「用户名」：用户名超过 64 个字符"]),
    ([HEADER, ["甲", "dup", "第一党支部", ""], ["乙", "DUP", "第二党支部", ""]],
     ["名单.csv 第3行「用户名」：用户名「DUP」与第2行重复"]),
    ([HEADER, ["甲", "Taken", "第一党支部", ""]], ["名单.csv 第2行「用户名」：用户名「Taken」已被使用"]),
    ([HEADER, ["甲", "a1", "第九党支部", ""]],
     ["名单.csv 第2行「所属支部」：没有名为「第九党支部」的组织，请先在组织管理中创建"]),
    ([HEADER, ["甲", "a1", "", ""]], ["名单.csv 第2行「所属支部」：所属支部为空"]),
    ([HEADER, ["甲", "a1", "第一党支部", "书记"]],
     ["名单.csv 第2行「角色」：未知角色「书记」，应为 党员、支部书记、管理员 之一（留空即为党员）"]),
    ([["姓名", "账号", "所属支部"], ["甲", "a1", "第一党支部"]],
     ["名单.csv 第1行「表头」：未知的列「账号」，表头应为：姓名、用户名、所属支部、角色",
      "名单.csv 第1行「表头」：缺少列「用户名」"]),
    ([["姓名", "用户名", "用户名", "所属支部"]], ["名单.csv 第1行「表头」：列「用户名」出现了不止一次"]),
    ([], ["名单.csv：文件是空的：没有表头，也没有数据"]),
    ([HEADER], ["名单.csv：名单中没有任何人"]),
])
def test_row_and_header_problems(branches, owner, make_user, rows, expected):
    make_user(username="taken")
    assert problems_of(csv_bytes(rows), "名单.csv", owner) == expected


def test_every_problem_is_reported_in_row_order(branches, owner):
    rows = [HEADER, ["甲", "a1", "无此支部", ""], ["", "a2", "第一党支部", ""], ["丙", "a1", "第一党支部", "群众"]]
    assert problems_of(csv_bytes(rows), "名单.csv", owner) == [
        "名单.csv 第2行「所属支部」：没有名为「无此支部」的组织，请先在组织管理中创建",
        "名单.csv 第3行「姓名」：姓名为空",
        "名单.csv 第4行「用户名」：用户名「a1」与第2行重复",
        "名单.csv 第4行「角色」：未知角色「群众」，应为 党员、支部书记、管理员 之一（留空即为党员）",
    ]


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100


@pytest.mark.parametrize("filename, data, message", [
    ("照片.xlsx", PNG, "不是有效的 .xlsx 文件"),
    ("照片.csv", PNG, "不是文本文件"),
    ("名单.pdf", b"%PDF-1.4", "不支持的文件类型「.pdf」"),
    ("名单", b"a,b", "不支持的文件类型「名单」"),
    ("名单.xlsx", OLE, "旧版 .xls 格式"),
    ("名单.xlsx", b"PK\x03\x04garbage", "Excel 文件已损坏"),
    ("名单.xlsx", zip_bomb(), "压缩比高达"),
    ("名单.csv", b"a,b\r\n\x80\xff", "无法识别文件编码"),
], ids=["png-as-xlsx", "png-as-csv", "pdf", "no-extension", "old-xls", "corrupt-zip", "zip-bomb", "unknown-encoding"])
def test_files_that_are_not_rosters(branches, owner, filename, data, message):
    [problem] = problems_of(data, filename, owner)
    assert message in problem


def test_too_many_rows(branches, owner):
    rows = [HEADER] + [[f"人{n}", f"u{n}", "第一党支部", ""] for n in range(6)]
    [problem] = problems_of(csv_bytes(rows), "名单.csv", owner, max_rows=5)
    assert "名单超过 5 人（行）" in problem
    assert do_import(csv_bytes(rows[:6]), "名单.csv", owner, max_rows=5).count == 5


def test_too_many_bytes(branches, owner):
    [problem] = problems_of(csv_bytes(GOOD), "名单.csv", owner, max_bytes=20)
    assert "文件太大" in problem


# ---- the one-time sheet ---------------------------------------------------------------------------

def test_sheet_is_handed_out_once_and_only_to_its_owner(branches, owner, make_user):
    token = do_import(csv_bytes(GOOD), "a.csv", owner).download_token
    stranger = make_user(role="admin")
    assert downloads.take(stranger, token, now=NOW) is None
    assert [d.token for d in downloads.pending(owner, now=NOW)] == [token]
    assert downloads.take(owner, token, now=NOW) is not None
    assert downloads.take(owner, token, now=NOW) is None
    assert downloads.pending(owner, now=NOW) == []


def test_sheet_expires(branches, owner):
    token = do_import(csv_bytes(GOOD), "a.csv", owner).download_token
    later = NOW + downloads.LIFETIME + timedelta(seconds=1)
    assert downloads.pending(owner, now=later) == []
    assert downloads.take(owner, token, now=later) is None


# ---- the page -------------------------------------------------------------------------------------

@pytest.fixture
def admin_client(client, owner, login):
    login(owner)
    return client


def upload(client, data: bytes, filename: str, **kwargs):
    return client.post("/admin/roster", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data", **kwargs)


def test_page_imports_and_offers_the_sheet_once(admin_client, branches):
    response = upload(admin_client, csv_bytes(GOOD, "gbk"), "名单.csv", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "已导入 3 人" in page and "下载初始密码表" in page
    token = db.session.scalar(select(OneTimeDownload.token))
    download = admin_client.post("/admin/roster/download", data={"token": token})
    assert download.status_code == 200 and download.headers["Cache-Control"] == "no-store"
    assert "attachment" in download.headers["Content-Disposition"]
    assert len(sheet_rows(download.data)) == 4
    again = admin_client.post("/admin/roster/download", data={"token": token}, follow_redirects=True)
    assert "已下载过或已过期" in again.get_data(as_text=True)
    assert "下载初始密码表" not in admin_client.get("/admin/roster").get_data(as_text=True)


def test_page_lists_every_problem(admin_client, branches):
    rows = [HEADER, ["甲", "a1", "第一党支部", ""], ["乙", "a1", "第一党支部", ""]]
    page = upload(admin_client, csv_bytes(rows), "名单.csv").get_data(as_text=True)
    assert "名单中有 1 处问题，未导入任何人" in page
    assert "第3行「用户名」：用户名「a1」与第2行重复" in page
    assert user_count() == 1


@pytest.mark.parametrize("filename, message", [("名单.txt", "只支持 .xlsx 或 .csv 文件"), ("", "请选择名单文件")])
def test_page_refuses_other_uploads(admin_client, branches, filename, message):
    page = upload(admin_client, b"x", filename).get_data(as_text=True)
    assert message in page


def test_template_download(admin_client):
    response = admin_client.get("/admin/roster/template")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert sheet_rows(response.data)[0] == tuple(HEADER)


class TestRequestTooLarge:
    @pytest.fixture
    def app_config(self):
        return {"MAX_CONTENT_LENGTH": 2048}

    def test_upload_over_the_request_limit_is_refused(self, admin_client, branches):
        rows = [HEADER] + [[f"人{n}", f"u{n}", "第一党支部", ""] for n in range(200)]
        response = upload(admin_client, csv_bytes(rows), "名单.csv")
        page = response.get_data(as_text=True)
        assert response.status_code == 413 and "上传的文件太大" in page and "一次上传不能超过 2 KB" in page
        assert user_count() == 1
