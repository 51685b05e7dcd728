"""Re-measure drafting quality on the development texts against the hand marks.

The texts are third-party and stay outside the repository: they are read from ../shared/texts-dev
relative to the repository root (or QUIZAPP_SHARED_TEXTS); the test skips when they are absent.
Every draft must carry a mark, so a change to the drafter that makes new drafts fails here until
a person has marked them (python -m question_bank generate --report DIR --marks MARKS.csv writes
the sheet with the existing marks filled in).
"""
import os
from pathlib import Path

import pytest

from question_bank import quality

ROOT = Path(__file__).resolve().parents[2]
TEXTS = Path(os.environ.get("QUIZAPP_SHARED_TEXTS", ROOT.parent / "shared" / "texts-dev"))
MARKS = Path(__file__).parent / "marks" / "drafting_marks.csv"

pytestmark = pytest.mark.skipif(not TEXTS.is_dir(), reason=f"no development texts at {TEXTS}")


@pytest.fixture(scope="module")
def reports():
    return quality.draft_folder(TEXTS)


def test_every_draft_is_marked_and_the_rates_meet_the_targets(reports):
    rates = quality.measure(reports, quality.read_marks(MARKS))
    assert not rates.unmarked, f"未标注的草稿：{rates.unmarked}"
    assert rates.share("correct") >= 0.85
    assert rates.share("wrong") <= 0.05


def test_judgement_keys_are_between_35_and_65_percent_true(reports):
    true, judges = (sum(pair) for pair in zip(*(r.true_judges() for r in reports)))
    assert 0.35 <= true / judges <= 0.65


def test_every_dev_text_with_something_to_ask_gets_drafts(reports):
    for report in reports:
        if any(report.drafting.found.values()):
            assert report.drafting.drafts, report.file
