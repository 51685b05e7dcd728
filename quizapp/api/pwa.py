"""Installable web app basics: the manifest and a service worker served from the site's root scope.

The service worker caches the app shell's static files (stylesheets, scripts, icons, Bootstrap) under
a cache name that changes whenever one of them changes, and shows static/offline.html when a page
cannot be reached. It never caches pages or API responses: a cached page could hold a member's data
or, after submission, a paper's keys.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Blueprint, current_app, make_response, send_from_directory, url_for

bp = Blueprint("pwa", __name__)
SHELL_FOLDERS = ("css", "js", "img")
BOOTSTRAP_FILES = ("css/bootstrap.min.css", "umd/popper.min.js", "js/bootstrap.min.js")


def shell_urls() -> list[str]:
    """Versioned URLs (?v=content hash) of every static file the pages load, and the offline page."""
    static = Path(current_app.static_folder)
    own = sorted(str(path.relative_to(static)) for folder in SHELL_FOLDERS for path in (static / folder).rglob("*")
                 if path.is_file())
    return ([url_for("static", filename=name) for name in own]
            + [url_for("bootstrap.static", filename=name) for name in BOOTSTRAP_FILES]
            + [url_for("static", filename="offline.html")])


@bp.route("/sw.js")
def service_worker():
    """The worker script. Rendered without the context processors: Flask-Login's loads the user, which on
    an anonymous session rewrites the session cookie; the browser's own update check of the worker,
    started while a login is in flight, would then overwrite the new session and log the member out."""
    urls = shell_urls()
    version = hashlib.sha256("\n".join(urls).encode()).hexdigest()[:12]
    script = current_app.jinja_env.get_template("pwa/sw.js").render(urls=urls, version=version, offline_url=urls[-1])
    response = make_response(script)
    response.headers["Content-Type"] = "text/javascript; charset=utf-8"
    response.headers["Service-Worker-Allowed"] = "/"
    response.cache_control.no_cache = True  # browsers look for a new worker on every visit
    return response


@bp.route("/manifest.webmanifest")
def manifest():
    response = send_from_directory(current_app.static_folder, "manifest.webmanifest",
                                   mimetype="application/manifest+json")
    response.cache_control.no_cache = True
    return response
