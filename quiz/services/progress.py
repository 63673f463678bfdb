"""Progress for the home screen and scripts: decks with what is left today, the streak,
today's figures. Counts come from `quiz.services.queue`, as studying takes them."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, func, select

from quiz.core.scheduling import CardKind
from quiz.services.database import Database
from quiz.services.profiles import ProfileInfo
from quiz.services.queue import LEARNING, buried_by_deck, count, counts, queue, today
from quiz.store.models import AnswerRecord, CardState, Deck, Question, UTCDateTime
from quiz.store.prepared import Prepared


@dataclass(frozen=True)
class DeckProgress:
    """A deck on the home screen, for one profile."""

    deck_id: int
    name: str
    title: str
    questions: int
    new: int
    learning: int
    due: int
    studied_today: int
    buried: int = 0  # cards that wait for tomorrow: siblings of a card rated today


@dataclass(frozen=True)
class TodayAnswers:
    """Today's answers and how many were right (home's line)."""

    answers: int
    correct: int

    @property
    def accuracy(self) -> float | None:
        return round(self.correct / self.answers, 4) if self.answers else None


@dataclass(frozen=True)
class TodayStats(TodayAnswers):
    """Today's figures for scripts (`quiz stats --json`)."""

    due_now: int
    new_available: int


# Each deck with its active questions, counted on the (deck, retired) index one deck at a
# time: a count of a join grouped by deck took twice as long on 100,000 questions.
_DECKS = select(
    Deck.id,
    Deck.name,
    Deck.title,
    select(func.count())
    .where(Question.deck_id == Deck.id, Question.retired_at.is_(None))
    .correlate(Deck)
    .scalar_subquery(),
).order_by(Deck.title)


def deck_progress(database: Database, profile: ProfileInfo, now: datetime) -> list[DeckProgress]:
    """Per deck with active questions: question count, and new, learning and due cards
    left today (as studying the deck offers them), cards studied today, cards buried until
    tomorrow."""
    out = []
    with database.engine.connect() as connection:
        day = today(connection, profile, now)
        decks = connection.execute(_DECKS).all()
        studied = dict(
            connection.execute(
                select(Question.deck_id, func.count(func.distinct(AnswerRecord.question_id)))
                .join(Question, Question.id == AnswerRecord.question_id)
                .where(AnswerRecord.profile_id == profile.id, AnswerRecord.answered_at >= day.start)
                .group_by(Question.deck_id)
            ).all()
        )
        buried = buried_by_deck(connection, profile, day)
        for deck_id, name, title, questions in decks:
            if not questions:  # a deck left empty (or a drill file's)
                continue
            left = counts(connection, profile, now, deck_id, day)
            out.append(
                DeckProgress(
                    deck_id,
                    name,
                    title,
                    questions,
                    left.new,
                    left.learning,
                    left.review,
                    studied.get(deck_id, 0),
                    buried.get(deck_id, 0),
                )
            )
    return out


_LAST_ANSWER_BEFORE = Prepared(  # one a day of the streak: a year's streak, 365 of them
    select(func.max(AnswerRecord.answered_at).label("last")).where(
        AnswerRecord.profile_id == bindparam("profile_id"),
        AnswerRecord.answered_at < bindparam("before", type_=UTCDateTime()),
    )
)


def study_streak(database: Database, profile: ProfileInfo, now: datetime) -> int:
    """Consecutive study days with at least one answer, ending today (or yesterday)."""
    calendar = profile.calendar
    day = calendar.study_date(now)
    streak = 0
    with database.engine.connect() as connection:

        def studied(on: datetime) -> bool:
            start, end = calendar.bounds(on)
            found = _LAST_ANSWER_BEFORE.one(connection, {"profile_id": profile.id, "before": end})
            return found.last is not None and found.last >= start

        def noon(back: int) -> datetime:  # a moment inside the study day `back` days ago
            return calendar.day_start(day - timedelta(days=back)) + timedelta(hours=12)

        back = 0 if studied(noon(0)) else 1  # today not studied yet: the streak may continue
        while studied(noon(back)):
            streak += 1
            back += 1
    return streak


def today_answers(database: Database, profile: ProfileInfo, now: datetime) -> TodayAnswers:
    """Today's answers and how many were right."""
    with database.engine.connect() as connection:
        return _today_answers(connection, profile, today(connection, profile, now).start)


def _today_answers(connection: Connection, profile: ProfileInfo, since: datetime) -> TodayAnswers:
    answers, correct = connection.execute(
        select(
            func.count(),
            func.coalesce(func.sum(func.cast(AnswerRecord.correct, CardState.reps.type)), 0),
        ).where(AnswerRecord.profile_id == profile.id, AnswerRecord.answered_at >= since)
    ).one()
    return TodayAnswers(int(answers), int(correct))


def today_stats(database: Database, profile: ProfileInfo, now: datetime) -> TodayStats:
    """Today's answers and accuracy, cards due now and new cards still available today."""
    with database.engine.connect() as connection:
        day = today(connection, profile, now)
        answered = _today_answers(connection, profile, day.start)
        due_now = count(
            connection,
            queue(profile.id, None, (*LEARNING, CardKind.REVIEW.value)).where(CardState.due <= now),
        )
        left = counts(connection, profile, now, None, day)
    return TodayStats(answered.answers, answered.correct, due_now, left.new)
