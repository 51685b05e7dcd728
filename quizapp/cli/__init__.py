"""flask --app quizapp <command>: one module per group of commands, all registered here."""
from __future__ import annotations

from flask import Flask

from quizapp.cli import backup, bank, competitions, progress, quiz, setup

GROUPS = (setup, bank, quiz, progress, competitions, backup)


def register(app: Flask) -> None:
    for group in GROUPS:
        for command in group.COMMANDS:
            app.cli.add_command(command)
