"""A competition's results show its questions as they were asked, not as edited since."""
from dataclasses import replace

from quizapp.services.bank import questions
from quizapp.services.competitions import results


def test_question_rates_keep_the_stem_asked_after_an_edit(make_competition, finish, org):
    competition = make_competition()
    attempt = finish(org["a"], competition, 5.0)
    question = attempt.answers[0].question
    asked = question.stem
    draft = replace(questions.question_to_draft(question), stem="比赛之后改过的题干？")
    questions.update_question(question, draft, acting_user=org["admin"])

    stems = {rate.question_id: rate.stem for rate in results.question_rates(competition)}
    assert stems[question.id] == asked
    assert len(stems) == 2


def test_a_regrade_corrects_published_places_and_notes_it(client, login, make_competition, finish, org):
    from datetime import timedelta

    from sqlalchemy import func, select

    from quizapp.extensions import db
    from quizapp.models import CompetitionEntry, MemberTotal, PointsEntry
    from quizapp.services.competitions import entries, lifecycle
    from quizapp.services.competitions.awards import PointsPolicy
    from quizapp.services.progress.summaries import rebuild_all
    from quizapp.services.quality import regrades
    from tests.competitions.conftest import END

    competition = make_competition(placing_points=[10, 5])
    first = finish(org["a"], competition, 10.0, correct=[True, True])  # both answers "A"
    finish(org["b"], competition, 5.0, correct=[False, True])
    two_will_do = PointsPolicy(5, 20, min_entrants_for_places=2)  # the fixture has two entrants
    lifecycle.publish_results(competition, now=END + timedelta(hours=1), policy=two_will_do)
    question = first.answers[0].question
    questions.update_question(question, replace(questions.question_to_draft(question), answer=["B"]),
                              acting_user=org["admin"])

    preview = regrades.plan(question.id, "rekey")
    assert preview.competition_ids == {competition.id} and preview.member_ids == {org["a"].id}
    record = regrades.apply(question.id, "rekey", "第1题答案应为B", acting_user=org["admin"], now=END + timedelta(days=1),
                            policy=two_will_do)

    best = dict(db.session.execute(select(CompetitionEntry.user_id, CompetitionEntry.best_score)
                                   .where(CompetitionEntry.competition_id == competition.id)).all())
    assert best == {org["a"].id: 5.0, org["b"].id: 5.0}  # a tie for first place now
    places = dict(db.session.execute(select(PointsEntry.user_id, func.sum(PointsEntry.amount)).where(
        PointsEntry.reason.in_(("competition_place", "place_regrade"))).group_by(PointsEntry.user_id)).all())
    assert places == {org["a"].id: 10, org["b"].id: 10}
    assert record.points_changed == 5
    def summaries():
        db.session.expire_all()
        return (sorted((t.user_id, t.points, t.correct) for t in db.session.scalars(select(MemberTotal))),
                sorted((e.user_id, e.best_score, e.best_attempt_id) for e in db.session.scalars(
                    select(CompetitionEntry).where(CompetitionEntry.competition_id == competition.id))))

    incremental = summaries()
    rebuild_all()
    entries.rebuild_entries(competition)
    assert summaries() == incremental
    login(org["admin"])
    page = client.get(f"/competitions/{competition.id}/results").get_data(as_text=True)
    assert 'id="regrade-note"' in page and "第1题答案应为B" in page


def _places(competition_id: int) -> dict[int, int]:
    from sqlalchemy import func, select

    from quizapp.extensions import db
    from quizapp.models import Attempt, PointsEntry
    attempts = select(Attempt.id).where(Attempt.competition_id == competition_id)
    return dict(db.session.execute(select(PointsEntry.user_id, func.sum(PointsEntry.amount)).where(
        PointsEntry.attempt_id.in_(attempts),
        PointsEntry.reason.in_(("competition_place", "place_regrade", "competition_revoked")))
        .group_by(PointsEntry.user_id)).all())


def test_a_regrade_awards_places_only_as_publication_would(make_competition, finish, org):
    """Too few entrants for placing points (the default policy): a regrade that changes the order gives
    none either; and a member whose placing points an admin revoked does not get them back."""
    from datetime import timedelta

    from quizapp.extensions import db
    from quizapp.models import PointsEntry
    from quizapp.services.competitions import awards, lifecycle
    from quizapp.services.competitions.awards import PointsPolicy
    from quizapp.services.quality import regrades
    from tests.competitions.conftest import END

    few = make_competition(placing_points=[10, 5])
    first = finish(org["a"], few, 10.0, correct=[True, True])
    finish(org["b"], few, 5.0, correct=[False, True])
    lifecycle.publish_results(few, now=END + timedelta(hours=1))  # the default: 5 entrants needed
    question = first.answers[0].question
    questions.update_question(question, replace(questions.question_to_draft(question), answer=["B"]),
                              acting_user=org["admin"])
    regrades.apply(question.id, "rekey", "第1题答案应为B", acting_user=org["admin"], now=END + timedelta(days=1))
    assert _places(few.id) == {}

    two_will_do = PointsPolicy(5, 20, min_entrants_for_places=2)
    placed = make_competition(placing_points=[10, 5])
    finish(org["a"], placed, 10.0, correct=[True, True])
    finish(org["b"], placed, 5.0, correct=[False, True])
    lifecycle.publish_results(placed, now=END + timedelta(hours=1), policy=two_will_do)
    award = next(entry for entry in db.session.scalars(awards.awarded(placed.id))
                 if entry.user_id == org["a"].id and entry.reason == "competition_place")
    awards.revoke(award.id, acting_user=org["admin"], now=END + timedelta(hours=2))
    questions.update_question(question, replace(questions.question_to_draft(question), answer=["C"]),
                              acting_user=org["admin"])
    regrades.apply(question.id, "credit", "一律给分", acting_user=org["admin"], now=END + timedelta(days=2),
                   policy=two_will_do)
    assert _places(placed.id)[org["a"].id] == 0 and isinstance(award, PointsEntry)
