"""flask commands of the competitions area: rebuild entries from attempts; freeze ended competitions."""
from __future__ import annotations

import click
from sqlalchemy import select

from quizapp.cli.common import fail
from quizapp.extensions import db
from quizapp.models import Competition
from quizapp.models._types import utcnow
from quizapp.services.competitions import lifecycle


@click.command("rebuild-entries", help="根据答卷重算竞赛的参赛成绩和排行榜汇总。")
@click.option("--competition", "competition_id", type=int, default=None,
              help="只重算这一场竞赛（编号）；不填则重算全部竞赛。")
def rebuild_entries(competition_id: int | None):
    if competition_id is not None:
        chosen = [db.session.get(Competition, competition_id)]
        if chosen[0] is None:
            fail(f"竞赛（编号 {competition_id}）不存在。")
    else:
        chosen = list(db.session.scalars(select(Competition).order_by(Competition.id)))
    for competition in chosen:
        count = lifecycle.rebuild_entries(competition)
        click.echo(f"「{competition.title}」：重算了 {count} 名参赛者的成绩。")


@click.command("freeze-competitions", help="为已结束的竞赛中未交的答卷按截止时间交卷（建议每分钟运行一次）。")
def freeze_competitions():
    count = lifecycle.freeze_ended(now=utcnow())
    click.echo(f"已按截止时间交卷 {count} 份未交的竞赛答卷。")


COMMANDS: list = [rebuild_entries, freeze_competitions]
