"""All models, imported here so that Alembic and the app see one metadata."""
from quizapp.models.users import ROLES, GROUP_KINDS, GroupSecretary, StudyGroup, User
from quizapp.models.questions import Category, Question, Source
from quizapp.models.generation import CANDIDATE_STATES, Candidate
from quizapp.models.quiz import MODES, Attempt, AttemptAnswer, PointsEntry, ReviewCard

__all__ = [
    "ROLES", "GROUP_KINDS", "GroupSecretary", "StudyGroup", "User",
    "Category", "Question", "Source",
    "CANDIDATE_STATES", "Candidate",
    "MODES", "Attempt", "AttemptAnswer", "PointsEntry", "ReviewCard",
]
