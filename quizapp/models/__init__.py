"""All models, imported here so that Alembic and the app see one metadata."""
from quizapp.models.api_tokens import ApiRefreshToken  # noqa: F401
from quizapp.models.audit import AuditEntry  # noqa: F401
from quizapp.models.competition import (  # noqa: F401,E501
    BRANCH_INDEXES,
    COMPETITION_STATES,
    FEEDBACK_CHOICES,
    Competition,
    CompetitionEntry,
    CompetitionGroupStat,
    CompetitionQuestionStat,
    CompetitionScope,
    CompetitionScoreCount,
)
from quizapp.models.downloads import OneTimeDownload  # noqa: F401
from quizapp.models.generation import CANDIDATE_STATES, Candidate
from quizapp.models.progress import SPANS, CategoryStat, MemberTotal, QuestionStat, StudyStat
from quizapp.models.quality import (  # noqa: F401
    REGRADE_MODES,
    REPORT_OUTCOMES,
    REPORT_REASONS,
    ItemChoiceStat,
    ItemStat,
    QuestionReport,
    Regrade,
    RegradeCompetition,
)
from quizapp.models.questions import Category, ImportBatch, Question, QuestionVersion, Source
from quizapp.models.quiz import MODES, Attempt, AttemptAnswer, PointsEntry, ReviewCard
from quizapp.models.users import GROUP_KINDS, ROLES, GroupSecretary, StudyGroup, User

__all__ = [
    "ROLES", "GROUP_KINDS", "GroupSecretary", "StudyGroup", "User",
    "Category", "ImportBatch", "Question", "QuestionVersion", "Source",
    "CANDIDATE_STATES", "Candidate",
    "MODES", "Attempt", "AttemptAnswer", "PointsEntry", "ReviewCard",
    "SPANS", "CategoryStat", "MemberTotal", "QuestionStat", "StudyStat",
]
