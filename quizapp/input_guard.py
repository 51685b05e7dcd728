"""Input the database cannot hold is refused at the edge, in one place for the whole app:

- ids in URLs: the `int` converter matches only 1 .. 2**31 - 1 (PostgreSQL's integer), so a larger or a
  zero id is a plain 404 instead of an "integer out of range" error inside a query;
- numbers read with `request.args.get(name, type=int)` (and from forms): a value outside that range is
  treated like any other unreadable number, i.e. the default, the same as `?page=abc`;
- NUL characters in query arguments, form fields or the strings of a JSON body (the API, autosave): 400
  with the field named (PostgreSQL refuses NUL in text, and no input of this app has a use for one).
"""
from __future__ import annotations

from flask import Flask, abort, request
from flask.wrappers import Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

from quizapp.models._types import MAX_ID


def _up_to(limit: str) -> str:
    """A regular expression for the decimal numbers 1 .. int(limit), without leading zeros."""
    shorter = f"[1-9]\\d{{0,{len(limit) - 2}}}" if len(limit) > 1 else ""
    same_length = []
    for index, digit in enumerate(limit):
        head, rest = limit[:index], len(limit) - index - 1
        low = "1" if index == 0 else "0"
        if digit > low:
            same_length.append(f"{head}[{low}-{int(digit) - 1}]" + (f"\\d{{{rest}}}" if rest else ""))
    same_length.append(limit)
    return "|".join(([shorter] if shorter else []) + same_length)


class IdConverter(IntegerConverter):
    """`<int:...>` limited to the ids a database row can have. The limit is in the pattern itself, not
    only in to_python: werkzeug checks a rule's method before converting, so a POST to an id out of range
    would otherwise meet the GET rule of the same path and answer 405 instead of 404."""

    regex = f"(?:{_up_to(str(MAX_ID))})"

    def __init__(self, map, fixed_digits: int = 0, min: int = 1, max: int = MAX_ID, signed: bool = False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
        self.regex = IdConverter.regex


def _in_range(value: object) -> bool:
    return not isinstance(value, int) or -MAX_ID <= value <= MAX_ID


class BoundedNumbers(ImmutableMultiDict):
    """Query and form values whose type=int reading stops at the database's integer range."""

    def get(self, key, default=None, type=None):
        value = super().get(key, default=default, type=type)
        return value if type is not int or _in_range(value) else default

    def getlist(self, key, type=None):
        values = super().getlist(key, type=type)
        return values if type is not int else [value for value in values if _in_range(value)]


class GuardedRequest(Request):
    parameter_storage_class = BoundedNumbers


def refuse_nul_characters():
    """Before-request hook: a NUL in any query argument, form field or JSON string is a 400 naming the field."""
    for where, values in (("网址参数", request.args), ("表单字段", request.form)):
        for name, value in values.items(multi=True):
            if "\x00" in value or "\x00" in name:
                _refuse(where, name)
    if request.is_json and (name := _nul_in_json(request.get_json(silent=True), "")) is not None:
        _refuse("请求内容的字段", name)


def _refuse(where: str, name: str):
    abort(400, f"{where}「{name.replace(chr(0), '')[:30]}」含有不允许的空字符（NUL），请删除后重试。")


def _nul_in_json(value: object, name: str) -> str | None:
    """The name of the first key, or of the field of the first string, in `value` that holds a NUL."""
    if isinstance(value, str):
        return name if "\x00" in value else None
    if isinstance(value, dict):
        items = [(str(key), item) for key, item in value.items()]
    elif isinstance(value, list):
        items = [(name, item) for item in value]
    else:
        return None
    for key, item in items:
        if "\x00" in key:
            return key
        if (found := _nul_in_json(item, key)) is not None:
            return found
    return None


def register(app: Flask) -> None:
    """Call before the blueprints are registered: their rules bind the converter when added."""
    app.url_map.converters["int"] = IdConverter
    app.request_class = GuardedRequest
    app.before_request(refuse_nul_characters)
