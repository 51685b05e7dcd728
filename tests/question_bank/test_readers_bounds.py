"""Bounded reading: rows and cells are counted while streaming, whatever the file declares."""
import time

from question_bank.readers import Limits, read_questions
from tests.question_bank.filemakers import make_huge_sheet, numbered_rows

NO_RATIO_CHECK = Limits(max_compression_ratio=10 ** 9)


def timed_read(data, limits=None):
    started = time.perf_counter()
    result = read_questions(data, "题库.xlsx", limits=limits)
    return result, time.perf_counter() - started


def test_millions_of_empty_rows_without_dimension_are_refused_quickly():
    data = make_huge_sheet(27_600_000)
    refused, seconds = timed_read(data)
    assert refused.drafts == [] and "压缩比" in refused.errors[0].message and seconds < 5
    # Even past the declared-size checks, streaming stops at the row limit.
    refused, seconds = timed_read(data, NO_RATIO_CHECK)
    assert "有超过 100000 行（含空行）" in refused.errors[0].message and seconds < 5


def test_a_million_rows_of_data_are_refused_quickly():
    data = make_huge_sheet(1_000_000, numbered_rows)
    refused, seconds = timed_read(data, Limits(max_bytes=len(data)))  # past the file-size limit too
    assert refused.drafts == [] and "有超过 100000 行" in refused.errors[0].message and seconds < 5


def test_rows_within_the_limit_are_read():
    header = (b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe9\xa2\x98\xe5\xb9\xb2</t></is></c>'
              b'<c r="B1" t="inlineStr"><is><t>\xe7\xad\x94\xe6\xa1\x88</t></is></c></row>')  # 题干, 答案
    result, _ = timed_read(make_huge_sheet(3, lambda first, count: header + numbered_rows(2, count)))
    assert [d.stem for d in result.drafts] == ["q2", "q3", "q4"]


def test_cells_are_limited_too():
    wide = lambda first, count: b"<row>" + b"<c/>" * 3000 + b"</row>"  # noqa: E731
    refused, _ = timed_read(make_huge_sheet(1000, wide, chunk_rows=1), NO_RATIO_CHECK)
    assert "个单元格" in refused.errors[0].message
