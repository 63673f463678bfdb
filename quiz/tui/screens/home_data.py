"""What the home screen shows, read from the services in a worker (never before the first
frame: this module imports the store and SQLAlchemy)."""

from dataclasses import dataclass

from quiz.services.cards import sync_cards
from quiz.services.exam_plan import ExamPlan, exam_plan
from quiz.services.profiles import ProfileInfo, find_profile
from quiz.services.progress import (
    DeckProgress,
    TodayAnswers,
    deck_progress,
    study_streak,
    today_answers,
)
from quiz.tui.context import StudyContext


@dataclass(frozen=True)
class HomeData:
    """Everything the home screen shows for one profile."""

    profile: ProfileInfo
    decks: list[DeckProgress]
    streak: int
    today: TodayAnswers
    plan: ExamPlan | None = None
    study_day: str = ""  # e.g. "study day Tue 1 Dec, a new day starts at 04:00"


def load_home(context: StudyContext, profile: ProfileInfo) -> HomeData:
    """Sync the profile's cards with the questions, then read the counts (blocking)."""
    now = context.now()
    database = context.database
    profile = find_profile(database, profile.name) or profile  # settings changed elsewhere
    sync_cards(database, profile.id)
    return HomeData(
        profile,
        deck_progress(database, profile, now),
        study_streak(database, profile, now),
        today_answers(database, profile, now),
        exam_plan(database, profile, now),
        profile.calendar.describe_day(now),
    )
