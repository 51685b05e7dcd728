"""A competition's results show its questions as they were asked, not as edited since."""
from dataclasses import replace

from quizapp.services import competition_results, questions


def test_question_rates_keep_the_stem_asked_after_an_edit(make_competition, finish, org):
    competition = make_competition()
    attempt = finish(org["a"], competition, 5.0)
    question = attempt.answers[0].question
    asked = question.stem
    draft = replace(questions.question_to_draft(question), stem="比赛之后改过的题干？")
    questions.update_question(question, draft, acting_user=org["admin"])

    stems = {rate.question_id: rate.stem for rate in competition_results.question_rates(competition)}
    assert stems[question.id] == asked
    assert len(stems) == 2
