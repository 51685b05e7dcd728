"""flask commands of the progress area."""
import click

from quizapp.services.progress import summaries
from quizapp.services.quality import item_stats


@click.command("rebuild-stats", help="根据已交的答卷和积分流水重算全部学习统计。")
def rebuild_stats():
    report = summaries.rebuild_all()
    items = item_stats.rebuild_all()
    click.echo(f"学习统计已重建：{report['members']} 名党员，{report.get('study_rows', 0)} 条学习汇总，"
               f"{report.get('category_rows', 0)} 条知识点汇总，{report.get('question_rows', 0)} 条掌握情况，"
               f"{items['item_rows']} 个题目版本的统计。")


COMMANDS: list = [rebuild_stats]
