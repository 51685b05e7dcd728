"""flask commands of this area."""

COMMANDS: list = []
