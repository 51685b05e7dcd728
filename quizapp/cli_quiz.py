"""flask commands of the quiz engine."""
import click

from quizapp.models._types import utcnow
from quizapp.services import quizzes


@click.command("finalise-expired")
def finalise_expired():
    """Finalise every open attempt past its deadline with the answers saved (run it from cron)."""
    count = quizzes.finalise_expired(now=utcnow())
    click.echo(f"已自动交卷 {count} 份超时的答卷。")


COMMANDS: list = [finalise_expired]
