"""Results of a competition: score distribution, per-question correct rate, and the .xlsx export.

All of it reads the summary rows (score counts, question stats, entries), never the answers.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from question_bank.draft import QUESTION_TYPES
from question_bank.spreadsheet import append_row
from quizapp.extensions import db
from quizapp.models import BRANCH_INDEXES, Competition, CompetitionQuestionStat, CompetitionScoreCount, QuestionVersion
from quizapp.services.competitions import leaderboard

MAX_BINS = 10


@dataclass
class Bin:
    label: str
    count: int


@dataclass
class QuestionRate:
    question_id: int
    stem: str
    type_label: str
    answered: int
    correct: int

    @property
    def rate(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


def max_score(competition: Competition) -> float:
    return sum(section["count"] * section["points"] for section in competition.rule.get("sections", []))


def score_distribution(competition: Competition) -> list[Bin]:
    """Participants per score band: one band per point up to 10 points, else ten equal bands
    (each band holds [low, low + width); the last one also holds full marks)."""
    full = max_score(competition) or 1.0
    width = 1.0 if full <= MAX_BINS else math.ceil(full / MAX_BINS)
    bins = math.floor(full / width) + 1 if width == 1.0 else math.ceil(full / width)
    counts = [0] * bins
    rows = db.session.execute(select(CompetitionScoreCount.score, CompetitionScoreCount.entries)
                              .where(CompetitionScoreCount.competition_id == competition.id))
    for score, entries in rows:
        counts[min(bins - 1, max(0, int(score // width)))] += entries
    if width == 1.0:
        return [Bin(f"{index}", count) for index, count in enumerate(counts)]
    return [Bin(f"{index * width:g}–{min(full, (index + 1) * width - 1):g}" if index < bins - 1
                else f"{index * width:g}–{full:g}", count) for index, count in enumerate(counts)]


def _version_in_force(competition: Competition):
    """The number of the version a competition's question was asked in: the latest written before the
    competition ended (or the first, for a question versioned only later)."""
    earlier = aliased(QuestionVersion)
    written = (select(func.max(earlier.number))
               .where(earlier.question_id == CompetitionQuestionStat.question_id,
                      earlier.created_at <= competition.ends_at).scalar_subquery())
    return func.coalesce(written, 1)


def question_rates(competition: Competition) -> list[QuestionRate]:
    """Every question of the competition as it was asked, the hardest (lowest correct rate) first."""
    query = (select(CompetitionQuestionStat, QuestionVersion.stem, QuestionVersion.type)
             .join(QuestionVersion, (QuestionVersion.question_id == CompetitionQuestionStat.question_id)
                   & (QuestionVersion.number == _version_in_force(competition)))
             .where(CompetitionQuestionStat.competition_id == competition.id))
    rates = [QuestionRate(stat.question_id, stem, QUESTION_TYPES[kind], stat.answered, stat.correct)
             for stat, stem, kind in db.session.execute(query)]
    return sorted(rates, key=lambda rate: (rate.rate, rate.question_id))


# --- export ---------------------------------------------------------------------------------

def _sheet(workbook: Workbook, title: str, headers: list[str], rows: list[list], widths: list[int]):
    sheet = workbook.create_sheet(title)
    append_row(sheet, headers)
    for row in rows:
        append_row(sheet, row)
    for column, width in zip("ABCDEFGHIJ", widths):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    return sheet


def duration(seconds: int | None) -> str:
    if seconds is None:
        return ""
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}分{seconds:02d}秒" if minutes else f"{seconds}秒"


def export_xlsx(competition: Competition, local_time) -> bytes:
    """The results workbook: people, branches, questions, distribution (local_time formats instants)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    people = [[row.rank, row.name, row.group_name, row.score, row.max_score, duration(row.time_used_s),
               local_time(row.submitted_at, "%Y-%m-%d %H:%M:%S")] for row in leaderboard.all_ranked_rows(competition)]
    _sheet(workbook, "个人排名", ["名次", "姓名", "组织", "成绩", "满分", "用时", "交卷时间"], people,
           [8, 14, 20, 10, 10, 12, 22])
    branches = [[row.rank, row.name, row.participants, row.members, round(row.average, 2), f"{row.rate:.1%}",
                 round(row.index, 4)] for row in leaderboard.branch_board(competition)]
    _sheet(workbook, "支部排名", ["名次", "组织", "参赛人数", "应参赛人数", "平均分", "参赛率",
                              BRANCH_INDEXES[competition.branch_index]], branches, [8, 20, 10, 12, 10, 10, 18])
    questions = [[number, rate.type_label, rate.stem, rate.answered, rate.correct, f"{rate.rate:.1%}"]
                 for number, rate in enumerate(question_rates(competition), 1)]
    _sheet(workbook, "题目正确率", ["序号（由难到易）", "题型", "题目", "作答人次", "答对人次", "正确率"], questions,
           [16, 8, 60, 10, 10, 10])
    _sheet(workbook, "成绩分布", ["分数段", "人数"], [[b.label, b.count] for b in score_distribution(competition)],
           [14, 10])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
