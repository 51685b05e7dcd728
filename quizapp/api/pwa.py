"""Installable web app basics: the manifest, a service worker served from the site's root scope, and
the offline shell's two pages.

The service worker caches the app shell (stylesheets, scripts, icons, Bootstrap, the offline pages)
under a cache name that changes whenever one of them changes. When a page cannot be reached it shows
the offline daily quiz (if today's paper is on the device) or the offline page. It caches no other page
and no API response: a cached page could hold a member's data or, after submission, a paper's keys.
The shell's pages hold no personal data: they are rendered without the context processors (no user is
loaded) and their scripts read the member's paper and answers from the device (IndexedDB).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Blueprint, current_app, make_response, send_from_directory, url_for

bp = Blueprint("pwa", __name__)
SHELL_FOLDERS = ("css", "js", "img")
BOOTSTRAP_FILES = ("css/bootstrap.min.css", "umd/popper.min.js", "js/bootstrap.min.js")
SHELL_PAGES = {"pwa.offline": "pwa/offline.html", "pwa.offline_daily": "pwa/offline_daily.html"}  # endpoint: template


def shell_urls() -> list[str]:
    """Versioned URLs (?v=content hash) of every static file the pages load."""
    static = Path(current_app.static_folder)
    own = sorted(str(path.relative_to(static)) for folder in SHELL_FOLDERS for path in (static / folder).rglob("*")
                 if path.is_file())
    return ([url_for("static", filename=name) for name in own]
            + [url_for("bootstrap.static", filename=name) for name in BOOTSTRAP_FILES])


def _render_bare(template: str, **context) -> str:
    """A template rendered without the context processors: Flask-Login's loads the user, which on an
    anonymous session rewrites the session cookie; a request the browser or the worker makes on its own
    while a login is in flight would then overwrite the new session and log the member out."""
    return current_app.jinja_env.get_template(template).render(**context)


@bp.route("/sw.js")
def service_worker():
    """The worker script; its version follows the static files' hashes and the shell pages' text."""
    urls = shell_urls()
    pages = {endpoint: url_for(endpoint) for endpoint in SHELL_PAGES}
    texts = [_render_bare(template) for template in SHELL_PAGES.values()]
    version = hashlib.sha256("\n".join(urls + texts).encode()).hexdigest()[:12]
    script = _render_bare("pwa/sw.js", urls=urls, version=version, offline_url=pages["pwa.offline"],
                          daily_url=pages["pwa.offline_daily"], daily_route=url_for("quiz.start_daily"),
                          home_url=url_for("main.index"), store_url=url_for("static", filename="js/offline_store.js"))
    response = make_response(script)
    response.headers["Content-Type"] = "text/javascript; charset=utf-8"
    response.headers["Service-Worker-Allowed"] = "/"
    response.cache_control.no_cache = True  # browsers look for a new worker on every visit
    return response


@bp.route("/offline")
def offline():
    """Shown by the service worker for a page that cannot be reached."""
    return _shell_page("pwa.offline")


@bp.route("/offline/daily")
def offline_daily():
    """Today's daily quiz from the device: the page is the same for everyone, the paper comes from IndexedDB."""
    return _shell_page("pwa.offline_daily")


def _shell_page(endpoint: str):
    response = make_response(_render_bare(SHELL_PAGES[endpoint]))
    response.cache_control.no_cache = True
    return response


@bp.route("/manifest.webmanifest")
def manifest():
    response = send_from_directory(current_app.static_folder, "manifest.webmanifest",
                                   mimetype="application/manifest+json")
    response.cache_control.no_cache = True
    return response
