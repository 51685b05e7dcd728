"""Import batches: recorded with each written file, listed, and withdrawn."""
import hashlib
import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptAnswer, ImportBatch, Question
from quizapp.services.bank.import_batches import ImportBatchError, withdraw_batch
from quizapp.services.bank.imports import import_file
from quizapp.services.bank.versions import snapshot_versions
from tests.questions.conftest import GOOD_ROWS, counts, xlsx
from tests.questions.test_import_views import token_of, upload

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)
BAD_ROW = ["判断题", "判断？", "", "", "", "", "也许", "", "", "", "", "", "", "T-9"]


def test_a_written_file_is_recorded_and_its_new_questions_carry_the_batch(admin):
    data = xlsx(*GOOD_ROWS)
    report = import_file(data, "题库.xlsx", acting_user=admin, now=NOW)
    batch = db.session.get(ImportBatch, report.batch_id)
    assert (batch.file_name, batch.sha256, batch.created_by_id, batch.created_at) == (
        "题库.xlsx", hashlib.sha256(data).hexdigest(), admin.id, NOW)
    assert (batch.created, batch.updated, batch.skipped, batch.invalid) == (4, 0, 0, 0)
    assert set(db.session.scalars(select(Question.import_batch_id))) == {batch.id}
    again = import_file(data, "题库.xlsx", acting_user=admin, now=NOW, on_duplicate="update")
    assert db.session.get(ImportBatch, again.batch_id).updated == 4
    assert set(db.session.scalars(select(Question.import_batch_id))) == {batch.id}  # updates keep their batch


def test_dry_runs_and_refused_files_record_nothing(admin):
    import_file(xlsx(*GOOD_ROWS), "题库.xlsx", acting_user=admin, dry_run=True)
    import_file(xlsx(*GOOD_ROWS, BAD_ROW), "题库.xlsx", acting_user=admin)
    assert db.session.scalar(select(ImportBatch.id)) is None and counts()["question"] == 0


def test_partial_import_takes_the_good_questions_and_counts_the_others(admin):
    report = import_file(xlsx(*GOOD_ROWS, BAD_ROW), "题库.xlsx", acting_user=admin, skip_invalid=True)
    assert report.ok and (report.created, report.invalid) == (4, 1)
    assert "已跳过 1 道有问题的题，已新增 4 道" in report.summary()
    assert db.session.get(ImportBatch, report.batch_id).invalid == 1
    assert counts()["question"] == 4


def test_partial_import_still_refuses_an_unreadable_file(admin):
    report = import_file(b"not a workbook", "题库.xlsx", acting_user=admin, skip_invalid=True)
    assert not report.ok and counts()["question"] == 0


def test_withdrawing_removes_unused_questions_and_retires_used_ones(admin):
    report = import_file(xlsx(*GOOD_ROWS), "题库.xlsx", acting_user=admin, now=NOW)
    used = db.session.scalar(select(Question).where(Question.key == "T-001"))
    attempt = Attempt(user_id=admin.id, mode="practice", rule={}, seed=1, status="finished")
    db.session.add(attempt)
    db.session.flush()
    versions = snapshot_versions([used.id])  # asked in its first version, as start_attempt pins it
    db.session.add(AttemptAnswer(attempt_id=attempt.id, position=1, question_id=used.id,
                                 question_version_id=versions[used.id]))
    db.session.commit()
    withdrawal = withdraw_batch(report.batch_id, acting_user=admin, now=NOW)
    assert (withdrawal.removed, withdrawal.retired) == (3, 1)
    assert [(q.key, q.status) for q in db.session.scalars(select(Question))] == [("T-001", "retired")]
    batch = db.session.get(ImportBatch, report.batch_id)
    assert (batch.withdrawn_at, batch.withdrawn_by_id, batch.removed, batch.retired) == (NOW, admin.id, 3, 1)
    with pytest.raises(ImportBatchError, match="已经撤回过了"):
        withdraw_batch(report.batch_id, acting_user=admin, now=NOW)


def test_withdrawing_an_unknown_batch(admin):
    with pytest.raises(ImportBatchError, match="不存在"):
        withdraw_batch(404, acting_user=admin, now=NOW)


FOREIGN = [
    {"content": "中国共产党第一次全国代表大会在（　）召开。", "options": ["北京", "上海", "广州", "武汉"],
     "answer": "上海", "note": "x"},
    {"content": "下列说法正确的是", "options": ["甲", "乙"], "answer": 0, "note": "y"},
]


def test_foreign_json_through_the_pages_with_a_mapping_change_duplicates_and_withdrawal(admin_client):
    upload_url = upload(admin_client, xlsx(GOOD_ROWS[0]))
    admin_client.post(f"/admin/questions/import/{token_of(upload_url)}/confirm", data={"on_duplicate": "skip"})
    preview = upload(admin_client, json.dumps(FOREIGN, ensure_ascii=False).encode(), "外部题库.json")
    page = admin_client.get(preview).get_data(as_text=True)
    assert "JSON 数组，2 条记录，字段 content、options、answer、note" in page
    assert "题库中已有题干和选项都相同的题" in page and "中国共产党第一次全国代表大会在（　）召开。" in page
    token = token_of(preview)
    admin_client.post(f"/admin/questions/import/{token}/mapping",
                      data={"header": ["note"], "target": ["explanation"]})
    admin_client.post(f"/admin/questions/import/{token}/confirm", data={"on_duplicate": "skip"})
    assert db.session.scalar(select(Question.explanation).where(Question.stem == "下列说法正确的是")) == "y"
    batches = admin_client.get("/admin/questions/import/batches").get_data(as_text=True)
    assert "外部题库.json" in batches and "新增 1 道，更新 0 道，跳过重复 1 道" in batches
    batch_id = db.session.scalar(select(ImportBatch.id).where(ImportBatch.file_name == "外部题库.json"))
    page = admin_client.post(f"/admin/questions/import/batches/{batch_id}/withdraw",
                             follow_redirects=True).get_data(as_text=True)
    assert "已撤回：删除 1 道从未使用的题" in page and counts()["question"] == 1


def test_problem_list_download(admin_client):
    token = token_of(upload(admin_client, xlsx(*GOOD_ROWS, BAD_ROW)))
    response = admin_client.get(f"/admin/questions/import/{token}/problems.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert "%E9%97%AE%E9%A2%98%E6%B8%85%E5%8D%95" in response.headers["Content-Disposition"]  # 问题清单


def test_changing_one_field_moves_it_from_the_header_that_held_it(admin_client):
    records = [{"title": "党史测验", "question": f"第{n}题：遵义会议是转折点", "answer": "对"} for n in range(2)]
    preview = upload(admin_client, json.dumps(records, ensure_ascii=False).encode(), "测验.json")
    page = admin_client.get(preview).get_data(as_text=True)
    assert "与文件中第1行的题干和选项都相同" in page  # both stems read from "title"
    token = token_of(preview)
    admin_client.post(f"/admin/questions/import/{token}/mapping", data={
        "header": ["title", "question", "answer"], "current": ["stem", "ignore", "answer"],
        "target": ["stem", "stem", "answer"]})
    page = admin_client.get(preview).get_data(as_text=True)
    assert "重复的题目" not in page and "新题 2 道" in page


def test_partial_import_counts_items_that_gave_no_question(admin):
    payload = {"format": "quizapp-questions", "version": 1, "questions": [
        {"type": "judge", "stem": "遵义会议是转折点", "answer": True}, "不是对象"]}
    report = import_file(json.dumps(payload, ensure_ascii=False).encode(), "题库.json", acting_user=admin,
                         skip_invalid=True)
    assert (report.total, report.invalid, report.created) == (2, 1, 1)
    assert "已跳过 1 道有问题的题，已新增 1 道" in report.summary()
