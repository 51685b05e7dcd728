"""A paper does not hold two questions of one type drawn from the same passage (原文摘录)."""
from collections import Counter
from random import Random

from quizapp.services.quizzes import papers
from quizapp.services.quizzes.papers import draw_paper
from tests.quiz.conftest import rule
from tests.statements import recorded_statements

QUOTE = "必须坚持国家利益至上,以人民安全为宗旨,以政治安全为根本。"


def quotes_by_type(paper) -> Counter:
    return Counter((question.type, "".join(question.quote.split()).rstrip("。")) for question in paper if question.quote)


def test_two_questions_of_one_type_never_share_a_quote_while_others_are_left(bank):
    bank({"single": 4}, quote=QUOTE)
    bank({"single": 2}, quote=" 必须坚持国家利益至上，以人民安全为宗旨，以政治安全为根本 ")  # the same passage, spaced and punctuated otherwise
    for number in range(4):
        bank({"single": 1}, quote=f"另一段原文{number}。")
    for seed in range(40):
        paper = draw_paper(rule(("single", 5)), Random(seed))
        assert len(paper) == 5
        assert sum(1 for question in paper if "国家利益至上" in question.quote) == 1, seed


def test_the_same_quote_may_serve_questions_of_different_types(bank):
    bank({"single": 1, "judge": 1, "fill": 1}, quote=QUOTE)
    paper = draw_paper(rule(("single", 1), ("judge", 1), ("fill", 1)), Random(3))
    assert [question.quote for question in paper] == [QUOTE] * 3


def test_questions_without_a_quote_never_clash(bank):
    questions = bank({"judge": 4}, quote="")
    assert {q.id for q in draw_paper(rule(("judge", 4)), Random(1))} == {q.id for q in questions}


def test_a_small_bank_still_gives_a_paper_taking_a_shared_quote_last(bank):
    shared = bank({"judge": 3}, quote=QUOTE)
    other = bank({"judge": 1}, quote="另一段原文。")[0]
    for seed in range(10):
        paper = draw_paper(rule(("judge", 2)), Random(seed))
        assert other in paper and len({q.id for q in paper}) == 2
    assert len(draw_paper(rule(("judge", 4)), Random(1))) == 4 and shared


def test_wrong_answer_book_questions_sharing_a_quote_give_way(bank):
    first, second = bank({"single": 2}, quote=QUOTE)
    bank({"single": 3}, quote="")
    paper = draw_paper(rule(("single", 3)), Random(2), prefer_ids=[first.id, second.id])
    assert paper[0] == first and second not in paper


def test_a_paper_without_clashes_is_drawn_in_one_pass(bank):
    for number in range(12):
        bank({"single": 1}, quote=f"原文{number}。")
    with recorded_statements() as statements:
        draw_paper(rule(("single", 6)), Random(5))
    assert sum(1 for statement in statements if "question.id IN" in statement) == 1


def test_a_bank_of_one_passage_is_drawn_a_bounded_number_of_times(bank, monkeypatch):
    bank({"judge": 30}, quote=QUOTE)
    draws = []
    real = papers.questions_by_id
    monkeypatch.setattr(papers, "questions_by_id", lambda ids: draws.append(ids) or real(ids))
    assert len(draw_paper(rule(("judge", 10)), Random(1))) == 10
    assert 1 < len(draws) <= papers.MAX_SAME_QUOTE_REDRAWS
