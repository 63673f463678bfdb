"""A profile's cards: rows for new questions, reading a card with its question, and
storing a card's state after a rating (the one place card state is read and written)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    Connection,
    Integer,
    bindparam,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session

from quiz.core.scheduling import (
    NEW,
    CardKind,
    CardSnapshot,
    SchedulerSettings,
    cap_for_exam,
    exam_window,
    make_scheduler,
    preview,
    review,
)
from quiz.errors import QuizError
from quiz.services.database import Database
from quiz.services.profiles import ProfileInfo
from quiz.store.models import CardState, Profile, Question
from quiz.store.prepared import Prepared

if TYPE_CHECKING:
    from quiz.bank.schema import QuestionBase


@dataclass(frozen=True)
class StudyCard:
    """A card to study, as it stands at `now`, with what each rating would do to it."""

    question_id: int
    key: str
    deck_id: int
    question: "QuestionBase"
    snapshot: CardSnapshot
    settings: SchedulerSettings
    now: datetime

    @property
    def kind(self) -> CardKind:
        return CardKind(self.snapshot.state)

    @cached_property
    def intervals(self) -> dict[int, timedelta]:
        """The interval each rating (1-4) would give, computed when first asked for."""
        return preview(self.settings, self.snapshot, self.now)


def sync_cards(database: Database, profile_id: int) -> int:
    """Create card rows (state new) for questions added since the profile's last sync."""
    with database.sessions.begin() as session:
        return sync_cards_in(session, profile_id)


def sync_cards_in(session: Session, profile_id: int) -> int:
    """`sync_cards` inside a transaction the caller owns."""
    profile = session.get(Profile, profile_id)
    if profile is None:
        raise QuizError(f"no profile with id {profile_id}")
    newest = session.scalar(select(func.max(Question.id))) or 0
    if newest <= profile.synced_question_id:
        return 0
    rows = select(
        literal(profile_id, Integer),
        Question.id,
        literal(NEW, Integer),
        Question.created_at,
        literal(0, Integer),
        literal(0, Integer),
        literal(False, Boolean),
        Question.topic,
        Question.retired_at.is_not(None),
        Question.deck_id,
    ).where(Question.id > profile.synced_question_id)
    added = session.scalar(select(func.count()).where(Question.id > profile.synced_question_id))
    session.execute(
        insert(CardState).from_select(
            [
                "profile_id",
                "question_id",
                "state",
                "due",
                "reps",
                "lapses",
                "suspended",
                "topic",
                "retired",
                "deck_id",
            ],
            rows,
        )
    )
    profile.synced_question_id = newest
    return int(added or 0)


CARD_COLUMNS = (
    CardState.state,
    CardState.step,
    CardState.stability,
    CardState.difficulty,
    CardState.due,
    CardState.last_review,
    CardState.reps,
    CardState.lapses,
    Question.id,
    Question.key,
    Question.deck_id,
    Question.topic,
    Question.data,
)
"""A card row with its question, as every reader of cards selects it."""

_ONE_CARD = Prepared(
    select(*CARD_COLUMNS)
    .join(Question, Question.id == CardState.question_id)
    .where(
        CardState.profile_id == bindparam("profile_id"),
        CardState.question_id == bindparam("question_id"),
    )
)


def card_from_row(
    row: Any, profile: ProfileInfo, now: datetime, data: dict[str, Any] | None = None
) -> StudyCard:
    """A `StudyCard` from a row of `CARD_COLUMNS` (with `data`: the question's, when the
    row holds it as text)."""
    from quiz.bank.schema import parse_question  # not needed to count cards (home)

    snapshot = CardSnapshot(*row[:8])
    return StudyCard(
        row.id,
        row.key,
        row.deck_id,
        parse_question(row.data if data is None else data),
        snapshot,
        profile.scheduler_settings(),
        now,
    )


def read_card(
    connection: Connection, profile: ProfileInfo, question_id: int, now: datetime
) -> StudyCard | None:
    """One card of the profile, as it is stored now."""
    row = _ONE_CARD.first(connection, {"profile_id": profile.id, "question_id": question_id})
    return None if row is None else card_from_row(row, profile, now)


def study_card(
    database: Database, profile: ProfileInfo, question_id: int, now: datetime
) -> StudyCard | None:
    """One given card as a `StudyCard`."""
    with database.engine.connect() as connection:
        return read_card(connection, profile, question_id, now)


def cards_for(
    database: Database, profile: ProfileInfo, question_ids: Sequence[int], now: datetime
) -> list[StudyCard]:
    """These questions as study cards (in the order given), e.g. to revise an exam's
    mistakes whether or not they are due. Questions retired or without a card are left out."""
    if not question_ids:
        return []
    with database.sessions() as session:
        rows = session.execute(
            select(*CARD_COLUMNS)
            .join(Question, Question.id == CardState.question_id)
            .where(
                CardState.profile_id == profile.id,
                CardState.question_id.in_(list(question_ids)),
                Question.retired_at.is_(None),
            )
        ).all()
    found = {row.id: row for row in rows}
    return [
        card_from_row(found[question_id], profile, now)
        for question_id in dict.fromkeys(question_ids)
        if question_id in found
    ]


def rescheduled(
    profile: ProfileInfo,
    question_id: int,
    before: CardSnapshot,
    rating: int,
    now: datetime,
    seed: int | None,
) -> CardSnapshot:
    """The card's state after this rating, by the profile's scheduler; with an exam date
    set, its next review is kept before the exam (`cap_for_exam`)."""
    if rating not in (1, 2, 3, 4):
        raise QuizError("a rating is 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)")
    after = review(make_scheduler(profile.scheduler_settings()), before, rating, now, seed)
    if profile.exam_date is not None:
        window = exam_window(profile.exam_date, profile.calendar)
        after = cap_for_exam(after, now, window, question_id)
    return after


_UPDATE_CARD = Prepared(
    update(CardState)
    .where(
        CardState.profile_id == bindparam("card_profile_id"),
        CardState.question_id == bindparam("card_question_id"),
    )
    .values(
        {
            column: bindparam(f"new_{column}")
            for column in (
                "state",
                "step",
                "stability",
                "difficulty",
                "due",
                "last_review",
                "reps",
                "lapses",
            )
        }
    )
)


def store_card(
    connection: Connection, profile_id: int, question_id: int, card: CardSnapshot
) -> None:
    """Write a card's scheduling state."""
    values = {f"new_{key}": value for key, value in vars(card).items()}
    _UPDATE_CARD.run(
        connection, {"card_profile_id": profile_id, "card_question_id": question_id, **values}
    )
