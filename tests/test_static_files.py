"""Static files: URLs versioned by content, kept by browsers for a year, served without loading the user."""
import hashlib
import os
import re

from flask import url_for

from tests.statements import recorded_statements

ASSET = re.compile(r'(?:href|src)="([^"]+\.(?:css|js|svg)[^"]*)"')


def test_every_stylesheet_script_and_icon_of_a_page_is_versioned_and_kept_for_a_year(client, login, make_user):
    login(make_user())
    assets = ASSET.findall(client.get("/quiz/").get_data(as_text=True))
    assert len(assets) >= 6  # the icon, Bootstrap's css, popper and js, app.css and the page's own
    for asset in assets:
        assert re.search(r"\?v=[0-9a-f]{10}$", asset), asset
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert response.cache_control.max_age == 365 * 24 * 3600 and response.cache_control.immutable, asset


def test_the_version_is_the_content_hash_and_changes_with_the_file(app, tmp_path):
    app.static_folder = str(tmp_path)
    sheet = tmp_path / "page.css"
    sheet.write_text("body { color: red; }")
    with app.test_request_context():
        first = url_for("static", filename="page.css")
        assert first == "/static/page.css?v=" + hashlib.md5(b"body { color: red; }").hexdigest()[:10]
        sheet.write_text("body { color: blue; }")
        os.utime(sheet, ns=(1, 1))  # a new modification time, whatever the file system's resolution
        assert url_for("static", filename="page.css") not in (first, None)
        assert url_for("static", filename="missing.css") == "/static/missing.css"  # the request will 404


def test_an_unversioned_static_url_is_checked_each_time(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200 and response.cache_control.no_cache and not response.cache_control.max_age


def test_a_static_file_loads_no_user_even_for_one_who_must_change_the_password(app, client, login, make_user):
    login(make_user(must_change_password=True))
    assert client.get("/quiz/").status_code == 302  # pages wait for the new password
    with recorded_statements() as statements, app.app_context():  # a context of its own: no user in `g`
        response = client.get("/static/css/app.css")
    assert response.status_code == 200 and statements == []
