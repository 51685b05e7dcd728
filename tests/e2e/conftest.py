"""Browser tests: the app served on 127.0.0.1 in a thread, driven by Playwright on Debian's chromium.

Fixtures: `live_server` (url, app, make_user), `phone_page` (375×812, touch, zh-CN), `desktop_page`,
`screenshot(page, name)`, and the helpers `log_in(page, server, username, password)` and
`assert_fits_width(page)`. Screenshots of failed tests land in test-artifacts/ (git-ignored).

Without /usr/bin/chromium the tests are skipped, except under CI=true, where that is a failure.
"""
from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import select, text
from werkzeug.serving import make_server

from quizapp import create_app
from quizapp.demo import seed
from quizapp.extensions import db
from quizapp.models import StudyGroup, User

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
TIMEOUT_MS = 15_000


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: browser journeys through Playwright and chromium (tests/e2e)")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)  # read by the page fixtures to screenshot failures
    return report


# ---- the server -----------------------------------------------------------------------------------

@dataclass
class LiveServer:
    url: str
    app: Flask

    def make_user(self, username: str, name: str, password: str, role: str = "member", group: str | None = None,
                  must_change_password: bool = False) -> None:
        with self.app.app_context():
            group_id = db.session.scalar(select(StudyGroup.id).where(StudyGroup.name == group)) if group else None
            user = User(username=username, name=name, role=role, group_id=group_id,
                        must_change_password=must_change_password)
            user.set_password(password)
            db.session.add(user)
            db.session.commit()


@pytest.fixture(scope="package")
def live_server(tmp_path_factory):
    """The app with the demo organisation, served from a thread for the journeys of this package; torn
    down (and a shared PostgreSQL database emptied) before the tests of the next package run."""
    database_url = os.environ.get("QUIZAPP_TEST_DATABASE_URL")
    app = create_app({
        "SECRET_KEY": "e2e-secret",
        "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.sqlite'}",
        "RATELIMIT_ENABLED": False,  # journeys log in often from one address; lockout has unit tests
    })
    with app.app_context():
        db.create_all()
        _empty_tables()
        seed(db.session)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    server.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        _empty_tables()  # a shared PostgreSQL database must be left empty for the other tests
        db.engine.dispose()


def _empty_tables() -> None:
    if db.engine.dialect.name == "sqlite":
        return
    names = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


# ---- the browser ----------------------------------------------------------------------------------

def require_chromium(path: str = CHROMIUM, environ=os.environ) -> None:
    """Skip when chromium is missing, but fail under CI=true, where the browser tests must run."""
    if Path(path).exists():
        return
    reason = f"{path} 不存在：浏览器端到端测试需要 Debian 的 chromium（apt-get install chromium）"
    if environ.get("CI") == "true":
        pytest.fail(reason + "；CI 中不允许跳过。", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


def _page(browser, request, options: dict):
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        save_screenshot(page, f"FAILED-{request.node.name}")
    context.close()


@pytest.fixture
def phone_page(browser, request):
    yield from _page(browser, request, PHONE)


@pytest.fixture
def desktop_page(browser, request):
    yield from _page(browser, request, DESKTOP)


def save_screenshot(page, name: str, directory: Path = ARTIFACTS) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (re.sub(r"[^\w.-]+", "_", name) + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def screenshot():
    """screenshot(page, name) saves a full-page PNG under test-artifacts/ and returns its path."""
    return save_screenshot


# ---- helpers for journeys -------------------------------------------------------------------------

def log_in(page, server: LiveServer, username: str, password: str) -> None:
    """Log in through the form, as a person would."""
    page.goto(server.url + "/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    with page.expect_navigation():  # the form posts and a new page loads, whether the login passed or not
        page.get_by_role("button", name="登录").click()


def open_menu(page) -> None:
    """Open the phone menu and wait until Bootstrap has finished unfolding it: a click on a link while the
    menu is still unfolding can miss it."""
    page.get_by_role("button", name="打开菜单").click()
    expect(page.locator("#mainNav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))


def follow_menu(page, label: str) -> None:
    """Go to a page through the phone menu, as a member would, and wait until it has loaded."""
    open_menu(page)
    with page.expect_navigation():
        page.get_by_role("link", name=label, exact=True).click()


def assert_fits_width(page) -> None:
    """Nothing wider than the viewport: no horizontal scrolling on a phone."""
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url}: the page is {widths[0]} px wide in a {widths[1]} px viewport"
