"""知识竞赛 points under control (issue 17, finding 9): a secretary who organises a competition for his
own branch, enters alone, scores 0 and publishes, must not collect large points; an admin sees the
competition awards and can revoke them, and the summaries stay what a rebuild computes."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import MemberTotal, PointsEntry
from quizapp.models.audit import AuditEntry
from quizapp.services.competitions import lifecycle
from quizapp.services.competitions.awards import DEFAULT_POLICY, PointsPolicy, PointsRevokeError, as_awards, awarded, revoke
from quizapp.services.competitions.lifecycle import CompetitionData, CompetitionError
from quizapp.services.progress import summaries
from tests.competitions.conftest import DURING, END, START
from tests.progress.test_recording import dump_all

SECTIONS = [{"type": "single", "count": 2, "points": 5.0}]


def _ledger(user) -> int:
    return db.session.scalar(select(func.coalesce(func.sum(PointsEntry.amount), 0))
                             .where(PointsEntry.user_id == user.id))


def _data(org, **overrides) -> CompetitionData:
    values = dict(title="一支部自测", starts_at=START, ends_at=END, whole_organisation=False,
                  group_ids=[org["first"].id], sections=SECTIONS)
    return CompetitionData(**{**values, **overrides})


def test_a_secretary_cannot_set_large_points(org, bank):
    with pytest.raises(CompetitionError) as error:
        lifecycle.save_competition(_data(org, participation_points=100, placing_points=[1000, 500]),
                                      acting_user=org["secretary"], now=START - timedelta(days=1))
    assert "参与积分最多 5 分" in str(error.value) and "每个名次的积分最多 20 分" in str(error.value)
    admin_made = lifecycle.save_competition(_data(org, participation_points=100, placing_points=[1000]),
                                               acting_user=org["admin"], now=START - timedelta(days=1))
    assert admin_made.placing_points == [1000]  # an admin's own competition is not capped


def test_a_secretary_alone_in_his_competition_gets_no_place_points(org, bank, take):
    secretary = org["secretary"]
    competition = lifecycle.save_competition(
        _data(org, participation_points=5, placing_points=[20, 10]), acting_user=secretary,
        now=START - timedelta(days=1), announce=True)
    take(secretary, competition, right=0)  # enters alone and scores 0
    assert lifecycle.publish_results(competition, now=END, acting_user_id=secretary.id) == 0
    assert _ledger(secretary) == 5  # the participation points only: no place with one entrant
    assert db.session.get(MemberTotal, secretary.id).points == 5


def test_place_points_need_enough_entrants_and_stay_within_the_organisers_cap(org, make_user, make_competition,
                                                                               finish):
    competition = make_competition(placing_points=[1000, 500], created_by_id=org["secretary"].id,
                                   groups=[org["first"]])
    members = [org["a"], org["b"], *(make_user(group=org["first"]) for _ in range(3))]
    for number, member in enumerate(members):
        finish(member, competition, 10 - number)
    assert lifecycle.publish_results(competition, now=END) == 2
    awards = dict(db.session.execute(select(PointsEntry.user_id, PointsEntry.amount)
                                     .where(PointsEntry.reason == "competition_place")).all())
    assert awards == {org["a"].id: 20, org["b"].id: 20}  # capped at publication, whatever was stored


@pytest.mark.parametrize("entrants, placed", [(4, 0), (5, 1)])
def test_the_entrants_needed_for_place_points(org, make_user, make_competition, finish, entrants, placed):
    competition = make_competition(placing_points=[10])
    for number in range(entrants):
        finish(make_user(group=org["first"]), competition, 10 - number)
    assert lifecycle.publish_results(competition, now=END, policy=DEFAULT_POLICY) == placed


def test_revoking_an_award_keeps_ledger_summaries_and_rebuild_in_step(org, bank, make_competition, take):
    competition = make_competition(placing_points=[10], participation_points=3)
    take(org["a"], competition, right=2)  # through the engine: ledger and summaries as in production
    lifecycle.publish_results(competition, now=END, policy=PointsPolicy(5, 20, 1))
    awards = as_awards(db.session.scalars(awarded(competition.id)).all())
    assert sorted(award.entry.amount for award in awards) == [3, 10]
    place = next(award.entry for award in awards if award.entry.reason == "competition_place")

    revoke(place.id, acting_user=org["admin"], now=END + timedelta(days=1), note="自评自奖")
    assert _ledger(org["a"]) == 3
    assert db.session.get(MemberTotal, org["a"].id).points == 3
    incremental = dump_all()
    summaries.rebuild_all()
    assert dump_all() == incremental
    assert [award.revoked for award in as_awards(
        db.session.scalars(awarded(competition.id)).all())].count(True) == 1
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "points.revoke")).one()
    assert (entry.actor_id, entry.target, entry.details["amount"]) == (org["admin"].id, f"points_entry:{place.id}", 10)

    with pytest.raises(PointsRevokeError, match="已经撤销过了"):
        revoke(place.id, acting_user=org["admin"], now=END + timedelta(days=1))
    assert _ledger(org["a"]) == 3


def test_only_admins_revoke_and_only_competition_awards(org, make_competition, finish):
    competition = make_competition(participation_points=3)
    finish(org["a"], competition, 10)
    award = db.session.scalars(select(PointsEntry)).one()
    with pytest.raises(PointsRevokeError, match="只有管理员"):
        revoke(award.id, acting_user=org["secretary"], now=END)
    other = PointsEntry(user_id=org["a"].id, day=DURING.date(), amount=2, reason="practice")
    db.session.add(other)
    db.session.commit()
    with pytest.raises(PointsRevokeError, match="不是知识竞赛积分"):
        revoke(other.id, acting_user=org["admin"], now=END)
