"""What every command shares.

Everything a command prints is in Chinese: failures go through fail() (click's own errors begin with an
English "Error:"), choices through Choice, and each command's help is given in Chinese (help=...).
"""
from __future__ import annotations

from typing import NoReturn

import click


def fail(*lines: str) -> NoReturn:
    """Print `lines` to stderr and exit with status 1."""
    for line in lines:
        click.echo(line, err=True)
    raise click.exceptions.Exit(1)


class Choice(click.Choice):
    """click.Choice that refuses in Chinese: 「x」不是 --status 可用的值（可用：draft、published）."""

    def convert(self, value, param, ctx):
        if value in self.choices:
            return value
        fail(f"「{value}」不是 {param.opts[0]} 可用的值（可用：{'、'.join(self.choices)}）")
