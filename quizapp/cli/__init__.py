"""flask --app quizapp <command>: one module per group of commands, registered by setup.register."""
from quizapp.cli.setup import register

__all__ = ["register"]
