"""flask commands of the quiz engine."""
import click

from quizapp.models._types import utcnow
from quizapp.services.quizzes import engine


@click.command("finalise-expired", help="为已超时的答卷按已保存的答案自动交卷（建议由 cron 定时运行）。")
def finalise_expired():
    count = engine.finalise_expired(now=utcnow())
    click.echo(f"已自动交卷 {count} 份超时的答卷。")


COMMANDS: list = [finalise_expired]
