"""PWA basics: the manifest, and a root-scope service worker caching the static app shell under a versioned name."""
from __future__ import annotations

import json
import re
import shutil

import pytest

from quizapp.templating import content_hash

SHELL_PAGES = ["/offline", "/offline/daily"]


def _worker(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    cache = re.search(r'const CACHE = "(quizapp-shell-[0-9a-f]{12})";', text).group(1)
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", text).group(1))
    return response, cache, shell


def _constant(script: str, name: str):
    return json.loads(re.search(rf"const {name} = (.*?);\n", script).group(1))


def test_service_worker_is_served_for_the_whole_site(client):
    response, _cache, shell = _worker(client)
    assert response.headers["Content-Type"].startswith("text/javascript")
    assert response.headers["Service-Worker-Allowed"] == "/" and "no-cache" in response.headers["Cache-Control"]
    assert "/static/css/app.css" in {url.split("?")[0] for url in shell}
    assert "/static/js/offline_daily.js" in {url.split("?")[0] for url in shell}
    for url in shell:
        assert url.startswith(("/static/", "/bootstrap/static/")), url
        assert client.get(url).status_code == 200, url


def test_service_worker_caches_the_shell_and_nothing_else(client):
    """The only write into a cache is the install's addAll of the static files and the two shell pages:
    no API answer and no other page is ever cached."""
    script = _worker(client)[0].get_data(as_text=True)
    assert re.findall(r"\.(put|add|addAll)\(", script) == ["addAll"]
    assert "cache.addAll(SHELL.concat([OFFLINE, OFFLINE_DAILY]))" in script
    assert [_constant(script, "OFFLINE"), _constant(script, "OFFLINE_DAILY")] == SHELL_PAGES
    assert _constant(script, "DAILY_ROUTES") == ["/quiz/daily", "/"]
    assert "/api/" not in script
    # Reads from the cache: the shell pages by name, and otherwise only what lies under the static folders.
    reads = re.findall(r"caches\.match\((\w+)\)", script)
    assert set(reads) == {"OFFLINE", "OFFLINE_DAILY", "request"}
    assert re.search(r'url\.pathname\.startsWith\("/static/"\) \|\| url\.pathname\.startsWith\("/bootstrap/static/"\)\)\) \{\n'
                     r"\s+event\.respondWith\(caches\.match\(request\)", script)


@pytest.mark.parametrize("path", SHELL_PAGES)
def test_shell_pages_hold_no_personal_data(client, login, make_user, path):
    """A member's request gets the very page an anonymous one gets: no name, no id, no CSRF token, no cookie."""
    anonymous = client.get(path)
    member = make_user(username="shellcheck7", name="乌兰托娅")
    login(member)
    response = client.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page == anonymous.get_data(as_text=True)
    for personal in ("shellcheck7", "乌兰托娅", "csrf", "data-member"):
        assert personal not in page
    assert response.headers.getlist("Set-Cookie") == [] and "no-cache" in response.headers["Cache-Control"]
    assert "限时考试和竞赛需要联网进行" in page


def test_cache_name_changes_when_a_static_file_changes(app, client, tmp_path):
    static = tmp_path / "static"
    shutil.copytree(app.static_folder, static)
    app.static_folder = str(static)
    _response, before, _shell = _worker(client)
    assert _worker(client)[1] == before
    content_hash.cache_clear()
    (static / "css" / "app.css").write_text("body { color: black; }\n", encoding="utf-8")
    assert _worker(client)[1] != before


def test_manifest_names_the_app_and_its_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200 and response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert (manifest["short_name"], manifest["start_url"], manifest["display"]) == ("学习答题", "/", "standalone")
    assert {icon["purpose"] for icon in manifest["icons"]} == {"any", "maskable"}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_pages_link_the_manifest_and_register_the_worker(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert re.search(r'src="/static/js/pwa.js\?v=[0-9a-f]+" defer', page)


def test_offline_page_is_chinese_and_self_contained(client):
    page = client.get("/offline").get_data(as_text=True)
    assert "暂时无法联网" in page and "http" not in page and "onclick" not in page and "<style" not in page
    assert 'href="/offline/daily"' in page


def test_offline_daily_page_groups_options_like_the_quiz_page(client):
    page = client.get("/offline/daily").get_data(as_text=True)
    assert "离线：答案已保存在本机，联网后自动提交" in page and "待提交" in page
    assert '<legend class="quiz-stem" id="stem">' in page and "<script>" not in page


def test_service_worker_leaves_the_session_cookie_alone(client):
    """The browser checks the worker for updates on its own, also while a login is in flight: a response
    setting the (anonymous) session cookie it was sent with would overwrite the new login."""
    client.get("/login")  # an anonymous session holding the CSRF token
    assert client.get_cookie("session") is not None
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.headers.getlist("Set-Cookie") == []
