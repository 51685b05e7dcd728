"""Security headers on every response: one after_request function instead of an extension.

The Content-Security-Policy allows scripts from this site only (no inline scripts or handlers: behaviour
lives in static/js). Inline style *attributes* stay allowed (style-src-attr): templates set computed
widths and indents with them; <style> elements and style sheets must come from this site.
Only the 大屏 (competitions.screen) may be framed, by the origins in SCREEN_FRAME_ANCESTORS.
"""
from __future__ import annotations

import re

from flask import Flask, current_app, request

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; style-src-elem 'self'; "
          "style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
          "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {ancestors}")
FRAMEABLE_ENDPOINTS = {"competitions.screen"}
HSTS_SECONDS = 365 * 24 * 3600
ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")


def register(app: Flask) -> None:
    if bad := [origin for origin in app.config["SCREEN_FRAME_ANCESTORS"] if not ORIGIN.fullmatch(origin)]:
        raise ValueError(f"SCREEN_FRAME_ANCESTORS 中的「{bad[0]}」不是网站来源，应形如 https://screen.example.org")
    app.after_request(add_security_headers)


def add_security_headers(response):
    headers, config = response.headers, current_app.config
    framers = config["SCREEN_FRAME_ANCESTORS"] if request.endpoint in FRAMEABLE_ENDPOINTS else []
    headers.setdefault("Content-Security-Policy", POLICY.format(ancestors=" ".join(framers) or "'none'"))
    if not framers:
        headers.setdefault("X-Frame-Options", "DENY")  # for browsers that do not read frame-ancestors
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    if config["SECURE_COOKIES"]:
        headers.setdefault("Strict-Transport-Security", f"max-age={HSTS_SECONDS}")
    return response
