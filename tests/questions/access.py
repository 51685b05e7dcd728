"""Who may open the 题库管理 pages (collected by tests/test_access_matrix.py): admins only.

Writes answer an admin with a redirect (302); an unknown import token sends the admin back to the
upload page (302), and nothing is ever uploaded here.
"""
from quizapp.extensions import db
from quizapp.models import Category, Question
from tests.access import ADMIN_ONLY, Page, expect

ADMIN_REDIRECT = expect(member=403, secretary=403, other_secretary=403, admin=302)
ADMIN_MISSING = expect(member=403, secretary=403, other_secretary=403, admin=404)
UNKNOWN_TOKEN = "A" * 32

ACCESS = [
    Page("/admin/questions/", ADMIN_ONLY),
    Page("/admin/questions/?q=党&type=single&status=published&difficulty=2&page=2", ADMIN_ONLY),
    Page("/admin/questions/new", ADMIN_ONLY),
    Page("/admin/questions/{question}/edit", ADMIN_ONLY),
    Page("/admin/questions/{question}/preview", ADMIN_ONLY),
    Page("/admin/questions/{missing}/preview", ADMIN_MISSING),
    Page("/admin/questions/{missing}/edit", ADMIN_MISSING),
    Page("/admin/questions/bulk", ADMIN_REDIRECT, method="POST", data={"action": "retire", "ids": "{question}"}),
    Page("/admin/questions/categories", ADMIN_ONLY),
    Page("/admin/questions/categories", ADMIN_REDIRECT, method="POST", data={"path": "党史/新分类"}),
    Page("/admin/questions/categories/{category}/rename", ADMIN_REDIRECT, method="POST", data={"name": "新名"}),
    Page("/admin/questions/categories/{category}/move", ADMIN_REDIRECT, method="POST", data={"parent": "0"}),
    Page("/admin/questions/categories/{missing}/rename", ADMIN_MISSING, method="POST", data={"name": "新名"}),
    Page("/admin/questions/import", ADMIN_ONLY),
    Page("/admin/questions/import/template.xlsx", ADMIN_ONLY),
    Page(f"/admin/questions/import/{UNKNOWN_TOKEN}", ADMIN_REDIRECT),
    Page(f"/admin/questions/import/{UNKNOWN_TOKEN}/mapping", ADMIN_REDIRECT, method="POST"),
    Page(f"/admin/questions/import/{UNKNOWN_TOKEN}/confirm", ADMIN_REDIRECT, method="POST",
         data={"on_duplicate": "skip"}),
    Page(f"/admin/questions/import/{UNKNOWN_TOKEN}/problems.xlsx", ADMIN_REDIRECT),
    Page("/admin/questions/import/batches", ADMIN_ONLY),
    Page("/admin/questions/import/batches/{missing}/withdraw", ADMIN_REDIRECT, method="POST"),
    Page("/admin/questions/export.json", ADMIN_ONLY),
    Page("/admin/questions/health", ADMIN_ONLY),
    Page("/admin/questions/health?status=", ADMIN_ONLY),
    Page("/admin/questions/export.xlsx?status=published", ADMIN_ONLY),
]


def prepare(world) -> dict:
    category = Category(name="党史", path="党史")
    question = Question(key="ACCESS-1", type="judge", stem="遵义会议是伟大转折。", normalised_stem="遵义会议是伟大转折",
                        answer=True, category=category)
    db.session.add_all([category, question])
    db.session.commit()
    return {"category": category.id, "question": question.id}
