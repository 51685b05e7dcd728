"""Every route of the app as concrete URLs, for sweeps over the whole url_map (tests/trust/)."""
from __future__ import annotations

import re
from urllib.parse import urlencode

from flask import Flask

ARGUMENT = re.compile(r"<(?:(?P<converter>[a-z]+)(?:\((?P<options>[^)]*)\))?:)?(?P<name>\w+)>")


def rules(app: Flask, method: str):
    """(rule, endpoint) of every route answering `method`, static files aside."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if method in rule.methods and not rule.endpoint.endswith("static"):
            yield rule


def fill(rule, number: object, text: str = "x") -> str:
    """The rule's path with every integer argument set to `number` and every other one to something that fits."""
    def value(match: re.Match) -> str:
        converter, options = match["converter"], match["options"]
        if converter == "int":
            return str(number)
        if converter == "any":
            return options.split(",")[0].strip().strip("'\"")
        return text

    return ARGUMENT.sub(value, rule.rule)


def with_query(path: str, arguments: dict) -> str:
    return f"{path}?{urlencode(arguments)}" if arguments else path
