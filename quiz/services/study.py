"""Daily study: the queue for today, recording answers, rating, undo, progress.

Every answer is committed when it is given (before the learner rates it), so a crash
never loses one. Card rows exist for every question once a profile is synced, so each
queue (new, learning, review) is one range of the card_states queue index.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from functools import cache
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Integer,
    Select,
    and_,
    bindparam,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session

from quiz.bank.schema import QuestionBase, parse_question
from quiz.core.scheduling import (
    LEARN_AHEAD,
    NEW,
    CardKind,
    CardSnapshot,
    cap_for_exam,
    exam_window,
    introduction_days,
    make_scheduler,
    new_cards_pace,
    preview,
    review,
    study_date,
    study_day_bounds,
)
from quiz.core.scheduling import format_interval as format_interval  # re-exported for the TUI
from quiz.errors import QuizError
from quiz.services.database import Database
from quiz.services.profiles import ProfileInfo
from quiz.store.models import (
    AnswerRecord,
    CardState,
    Deck,
    Profile,
    Question,
    StudySession,
    UTCDateTime,
)

CANDIDATES = 12  # cards read per queue to pick one whose topic differs from the last
LEARNING = (CardKind.LEARNING.value, CardKind.RELEARNING.value)
NEVER = datetime(9999, 12, 31, tzinfo=UTC)  # "due by" bound for new cards: all of them


@dataclass(frozen=True)
class StudyCard:
    """The next card to study, with what each rating would do to it."""

    question_id: int
    key: str
    deck_id: int
    question: QuestionBase
    snapshot: CardSnapshot
    intervals: dict[int, timedelta]

    @property
    def kind(self) -> CardKind:
        return CardKind(self.snapshot.state)


@dataclass(frozen=True)
class QueueCounts:
    """What is left to study today."""

    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


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


@dataclass(frozen=True)
class SessionSummary:
    """The end-of-session report."""

    cards: int
    correct: int
    seconds: float
    due_tomorrow: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.cards if self.cards else 0.0


@dataclass(frozen=True)
class TodayStats:
    """Today's figures for scripts (`quiz stats --json`)."""

    answers: int
    correct: int
    due_now: int
    new_available: int

    @property
    def accuracy(self) -> float | None:
        return round(self.correct / self.answers, 4) if self.answers else None


@dataclass(frozen=True)
class _Today:
    start: datetime
    end: datetime
    new_done: int
    reviews_done: int


# -- syncing and sessions -------------------------------------------------------------


def sync_cards(database: Database, profile_id: int) -> int:
    """Create card rows (state new) for questions added since the profile's last sync."""
    with database.sessions.begin() as session:
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
        ).where(Question.id > profile.synced_question_id)
        added = session.scalar(select(func.count()).where(Question.id > profile.synced_question_id))
        session.execute(
            insert(CardState).from_select(
                ["profile_id", "question_id", "state", "due", "reps", "lapses", "suspended"], rows
            )
        )
        profile.synced_question_id = newest
        return int(added or 0)


def start_session(
    database: Database,
    profile: ProfileInfo,
    now: datetime,
    deck_id: int | None = None,
    kind: str = "review",
    tz: tzinfo | None = None,
) -> int:
    """Continue today's open session for this deck, or start one. Returns its id.

    Answers given but never rated (the app was closed or killed in between) are rated
    first with the rating they suggested, so studying goes on where it stopped."""
    settle_unrated_answers(database, profile, tz)
    start, _ = study_day_bounds(now, profile.day_start_hour, tz)
    with database.sessions.begin() as session:
        open_id = session.scalar(
            select(StudySession.id)
            .where(
                StudySession.profile_id == profile.id,
                StudySession.kind == kind,
                StudySession.ended_at.is_(None),
                StudySession.started_at >= start,
                StudySession.deck_id.is_(None)
                if deck_id is None
                else StudySession.deck_id == deck_id,
            )
            .order_by(StudySession.id.desc())
        )
        if open_id is not None:
            return open_id
        study = StudySession(profile_id=profile.id, kind=kind, deck_id=deck_id, started_at=now)
        session.add(study)
        session.flush()
        return study.id


def settle_unrated_answers(
    database: Database, profile: ProfileInfo, tz: tzinfo | None = None
) -> int:
    """Rate each review answer left unrated with its suggested rating (Again when wrong,
    else Good), at the time it was given, unless its card was answered again since.
    Returns how many were rated."""
    with database.sessions() as session:
        pending = session.execute(
            select(
                AnswerRecord.id,
                AnswerRecord.question_id,
                AnswerRecord.correct,
                AnswerRecord.answered_at,
            )
            .join(StudySession, StudySession.id == AnswerRecord.session_id)
            .where(
                AnswerRecord.profile_id == profile.id,
                AnswerRecord.rating.is_(None),
                StudySession.kind == "review",  # drills and exams are never rated
            )
            .order_by(AnswerRecord.id)
        ).all()
        later = {
            row.id
            for row in pending
            if session.scalar(
                select(func.count()).where(
                    AnswerRecord.profile_id == profile.id,
                    AnswerRecord.question_id == row.question_id,
                    AnswerRecord.id > row.id,
                )
            )
        }
    for row in pending:
        if row.id not in later:
            rate_answer(database, row.id, profile, 3 if row.correct else 1, row.answered_at, tz=tz)
    return len(pending) - len(later)


# -- the queue ------------------------------------------------------------------------


_TODAY = (
    select(AnswerRecord.state_before, func.count())
    .where(
        AnswerRecord.profile_id == bindparam("profile_id"),
        AnswerRecord.answered_at >= bindparam("start", type_=UTCDateTime()),
        AnswerRecord.rating.is_not(None),
    )
    .group_by(AnswerRecord.state_before)
)


def _today(session: Session, profile: ProfileInfo, now: datetime, tz: tzinfo | None) -> _Today:
    start, end = study_day_bounds(now, profile.day_start_hour, tz)
    counts = dict(session.execute(_TODAY, {"profile_id": profile.id, "start": start}).all())
    return _Today(start, end, counts.get(NEW, 0), counts.get(CardKind.REVIEW.value, 0))


def _new_limit(session: Session, profile: ProfileInfo, today: _Today, tz: tzinfo | None) -> int:
    """New cards allowed today: the profile's setting, raised when an exam date needs every
    new card introduced in time (see `exam_new_per_day`)."""
    if profile.exam_date is None:
        return profile.new_per_day
    days_left = (profile.exam_date - study_date(today.start, profile.day_start_hour, tz)).days
    if days_left <= 0:
        return profile.new_per_day
    # Only a backlog larger than the setting allows needs counting in full.
    enough = profile.new_per_day * introduction_days(days_left) - today.new_done + 1
    queue = _queue(profile.id, None, (NEW,))
    remaining = _count(session, queue, enough)
    if remaining >= enough:
        remaining = _count(session, queue)
    return max(profile.new_per_day, new_cards_pace(remaining + today.new_done, days_left))


def exam_new_per_day(
    database: Database, profile: ProfileInfo, now: datetime, tz: tzinfo | None = None
) -> int:
    """The new cards a day in force today: `new_per_day`, or more when an exam date is set
    and the new cards left could not all be introduced in time at that pace."""
    with database.sessions() as session:
        return _new_limit(session, profile, _today(session, profile, now, tz), tz)


def _queue(
    profile_id: int, deck_id: int | None, states: tuple[int, ...]
) -> Select[CardState, Question]:
    query = (
        select(CardState, Question)
        .join(Question, Question.id == CardState.question_id)
        .where(
            CardState.profile_id == profile_id,
            CardState.suspended.is_(False),
            CardState.state.in_(states),
            Question.retired_at.is_(None),
        )
        .order_by(CardState.due, CardState.question_id)
    )
    return query if deck_id is None else query.where(Question.deck_id == deck_id)


_CARD_COLUMNS = (
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


@cache
def _candidates(states: tuple[int, ...], by_deck: bool) -> Select[Any]:
    """Cards of a queue due by `until`, oldest due first: built once, bound per call."""
    query = (
        select(*_CARD_COLUMNS)
        .join(Question, Question.id == CardState.question_id)
        .where(
            CardState.profile_id == bindparam("profile_id"),
            CardState.suspended.is_(False),
            CardState.state.in_(states),
            CardState.due <= bindparam("until", type_=UTCDateTime()),
            Question.retired_at.is_(None),
        )
        .order_by(CardState.due, CardState.question_id)
        .limit(CANDIDATES)
    )
    return query.where(Question.deck_id == bindparam("deck_id")) if by_deck else query


def _pick(rows: Sequence[Any], last_topic: str | None) -> Any | None:
    """The first candidate whose topic differs from the last card's, else the first."""
    for row in rows:
        if row.topic != last_topic:
            return row
    return rows[0] if rows else None


def next_card(
    database: Database,
    profile: ProfileInfo,
    now: datetime,
    deck_id: int | None = None,
    last_topic: str | None = None,
    tz: tzinfo | None = None,
) -> StudyCard | None:
    """Learning cards due now, then reviews due today, then new cards up to the daily
    limit, mixing topics; when nothing else is left, learning cards due within 20 minutes."""
    with database.sessions() as session:
        today = _today(session, profile, now, tz)
        queues: list[tuple[tuple[int, ...], datetime]] = [(LEARNING, now)]
        if today.reviews_done < profile.max_reviews_per_day:
            queues.append(((CardKind.REVIEW.value,), today.end))
        if today.new_done < _new_limit(session, profile, today, tz):
            queues.append(((NEW,), NEVER))
        queues.append((LEARNING, now + LEARN_AHEAD))
        params = {"profile_id": profile.id, "deck_id": deck_id}
        for states, until in queues:
            query = _candidates(states, deck_id is not None)
            row = _pick(session.execute(query, {**params, "until": until}).all(), last_topic)
            if row is not None:
                return _study_card(row, profile, now)
    return None


def _study_card(row: Any, profile: ProfileInfo, now: datetime) -> StudyCard:
    """A `StudyCard` from a row of `_CARD_COLUMNS`."""
    snapshot = CardSnapshot(*row[:8])
    return StudyCard(
        row.id,
        row.key,
        row.deck_id,
        parse_question(row.data),
        snapshot,
        preview(profile.scheduler_settings(), snapshot, now),
    )


def cards_for(
    database: Database, profile: ProfileInfo, question_ids: Sequence[int], now: datetime
) -> list[StudyCard]:
    """These questions as study cards (in the order given), e.g. to revise an exam's
    mistakes whether or not they are due. Questions retired or without a card are left out."""
    if not question_ids:
        return []
    with database.sessions() as session:
        rows = session.execute(
            select(*_CARD_COLUMNS)
            .join(Question, Question.id == CardState.question_id)
            .where(
                CardState.profile_id == profile.id,
                CardState.question_id.in_(list(question_ids)),
                Question.retired_at.is_(None),
            )
        ).all()
    found = {row.id: row for row in rows}
    return [
        _study_card(found[question_id], profile, now)
        for question_id in dict.fromkeys(question_ids)
        if question_id in found
    ]


def _count(session: Session, query: Select[CardState, Question], limit: int | None = None) -> int:
    inner = query.with_only_columns(CardState.question_id).order_by(None)
    if limit is not None:
        inner = inner.limit(max(limit, 0))
    return int(session.scalar(select(func.count()).select_from(inner.subquery())) or 0)


def queue_counts(
    database: Database,
    profile: ProfileInfo,
    now: datetime,
    deck_id: int | None = None,
    tz: tzinfo | None = None,
) -> QueueCounts:
    """How many new, learning and review cards are left today (limits applied)."""
    with database.sessions() as session:
        today = _today(session, profile, now, tz)
        return QueueCounts(
            new=_count(
                session,
                _queue(profile.id, deck_id, (NEW,)),
                _new_limit(session, profile, today, tz) - today.new_done,
            ),
            learning=_count(
                session, _queue(profile.id, deck_id, LEARNING).where(CardState.due < today.end)
            ),
            review=_count(
                session,
                _queue(profile.id, deck_id, (CardKind.REVIEW.value,)).where(
                    CardState.due < today.end
                ),
                profile.max_reviews_per_day - today.reviews_done,
            ),
        )


# -- answering ------------------------------------------------------------------------


def record_answer(
    database: Database,
    session_id: int,
    profile: ProfileInfo,
    card: StudyCard,
    response: dict[str, Any],
    correct: bool,
    duration_ms: int,
    now: datetime,
    rating: int | None = None,
    seed: int | None = None,
    tz: tzinfo | None = None,
) -> int:
    """Save an answer at once (and, given a rating, reschedule the card in the same
    transaction). Returns the answer's id."""
    after = (
        _rescheduled(profile, card.question_id, card.snapshot, rating, now, seed, tz)
        if rating
        else None
    )
    with database.engine.begin() as connection:
        inserted = connection.execute(
            _INSERT_ANSWER,
            {
                "session_id": session_id,
                "profile_id": profile.id,
                "question_id": card.question_id,
                "answered_at": now,
                "response": response,
                "correct": correct,
                "duration_ms": duration_ms,
                "rating": rating,
                "state_before": card.snapshot.state,
                "previous_state": card.snapshot.to_dict(),
            },
        )
        if after is not None:
            _store_card(connection, profile.id, card.question_id, after)
        answer_id: int = inserted.inserted_primary_key[0]  # type: ignore[index]
        return answer_id


def rate_answer(
    database: Database,
    answer_id: int,
    profile: ProfileInfo,
    rating: int,
    now: datetime,
    seed: int | None = None,
    tz: tzinfo | None = None,
) -> CardSnapshot:
    """Rate a saved answer (1 Again .. 4 Easy) and reschedule its card."""
    with database.sessions.begin() as session:
        answer = session.get(AnswerRecord, answer_id)
        if answer is None or answer.profile_id != profile.id:
            raise QuizError(f"no answer {answer_id} for this profile")
        if answer.rating is not None:
            raise QuizError("this answer is already rated; undo it to rate again")
        before = CardSnapshot.from_dict(answer.previous_state or {})
        after = _rescheduled(profile, answer.question_id, before, rating, now, seed, tz)
        answer.rating = rating
        _store_card(session.connection(), profile.id, answer.question_id, after)
        return after


_INSERT_ANSWER = insert(AnswerRecord)
_UPDATE_CARD = (
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


def _rescheduled(
    profile: ProfileInfo,
    question_id: int,
    before: CardSnapshot,
    rating: int,
    now: datetime,
    seed: int | None,
    tz: tzinfo | None,
) -> CardSnapshot:
    """The card's state after this rating, by the profile's scheduler; with an exam date
    set, its next review is kept before the exam (`cap_for_exam`)."""
    if rating not in (1, 2, 3, 4):
        raise QuizError("a rating is 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)")
    after = review(make_scheduler(profile.scheduler_settings()), before, rating, now, seed)
    if profile.exam_date is not None:
        window = exam_window(profile.exam_date, profile.day_start_hour, tz)
        after = cap_for_exam(after, now, window, question_id)
    return after


def _store_card(
    connection: Connection, profile_id: int, question_id: int, card: CardSnapshot
) -> None:
    values = {f"new_{key}": value for key, value in vars(card).items()}
    connection.execute(
        _UPDATE_CARD,
        {"card_profile_id": profile_id, "card_question_id": question_id, **values},
    )


def undo_last_answer(database: Database, session_id: int) -> int | None:
    """Remove the session's last answer and restore its card. Returns the question id."""
    with database.sessions.begin() as session:
        answer = session.scalar(
            select(AnswerRecord)
            .where(AnswerRecord.session_id == session_id)
            .order_by(AnswerRecord.id.desc())
        )
        if answer is None:
            return None
        if answer.rating is not None and answer.previous_state is not None:
            before = CardSnapshot.from_dict(answer.previous_state)
            _store_card(session.connection(), answer.profile_id, answer.question_id, before)
        question_id = answer.question_id
        session.delete(answer)
        return question_id


def finish_session(
    database: Database,
    session_id: int,
    profile: ProfileInfo,
    now: datetime,
    tz: tzinfo | None = None,
) -> SessionSummary:
    """Close the session and summarise it, with the number of cards due tomorrow."""
    _, end = study_day_bounds(now, profile.day_start_hour, tz)
    with database.sessions.begin() as session:
        study = session.get(StudySession, session_id)
        if study is None:
            raise QuizError(f"no study session {session_id}")
        study.ended_at = now
        cards, correct = session.execute(
            select(
                func.count(),
                func.coalesce(func.sum(func.cast(AnswerRecord.correct, CardState.reps.type)), 0),
            ).where(AnswerRecord.session_id == session_id)
        ).one()
        first = session.scalar(
            select(func.min(AnswerRecord.answered_at)).where(AnswerRecord.session_id == session_id)
        )
        due_tomorrow = session.scalar(
            select(func.count())
            .select_from(CardState)
            .join(Question, Question.id == CardState.question_id)
            .where(
                CardState.profile_id == profile.id,
                CardState.suspended.is_(False),
                CardState.state != NEW,
                CardState.due >= end,
                CardState.due < end + timedelta(days=1),
                Question.retired_at.is_(None),
            )
        )
        seconds = (now - first).total_seconds() if first else 0.0
        return SessionSummary(int(cards), int(correct), seconds, int(due_tomorrow or 0))


# -- progress -------------------------------------------------------------------------


def deck_progress(
    database: Database, profile: ProfileInfo, now: datetime, tz: tzinfo | None = None
) -> list[DeckProgress]:
    """Per deck: question count, new available today, learning and due counts, studied today."""
    out = []
    with database.sessions() as session:
        today = _today(session, profile, now, tz)
        decks = session.execute(
            select(Deck.id, Deck.name, Deck.title, func.count(Question.id))
            .outerjoin(Question, and_(Question.deck_id == Deck.id, Question.retired_at.is_(None)))
            .group_by(Deck.id, Deck.name, Deck.title)
            .order_by(Deck.title)
        ).all()
        studied = dict(
            session.execute(
                select(Question.deck_id, func.count(func.distinct(AnswerRecord.question_id)))
                .join(Question, Question.id == AnswerRecord.question_id)
                .where(
                    AnswerRecord.profile_id == profile.id, AnswerRecord.answered_at >= today.start
                )
                .group_by(Question.deck_id)
            ).all()
        )
        new_limit = _new_limit(session, profile, today, tz)
        for deck_id, name, title, questions in decks:
            new = _count(session, _queue(profile.id, deck_id, (NEW,)), new_limit - today.new_done)
            learning = _count(
                session, _queue(profile.id, deck_id, LEARNING).where(CardState.due < today.end)
            )
            due = _count(
                session,
                _queue(profile.id, deck_id, (CardKind.REVIEW.value,)).where(
                    CardState.due < today.end
                ),
                profile.max_reviews_per_day - today.reviews_done,
            )
            out.append(
                DeckProgress(
                    deck_id, name, title, questions, new, learning, due, studied.get(deck_id, 0)
                )
            )
    return out


_LAST_ANSWER_BEFORE = select(func.max(AnswerRecord.answered_at)).where(
    AnswerRecord.profile_id == bindparam("profile_id"),
    AnswerRecord.answered_at < bindparam("before", type_=UTCDateTime()),
)


def study_streak(
    database: Database, profile: ProfileInfo, now: datetime, tz: tzinfo | None = None
) -> int:
    """Consecutive study days with at least one answer, ending today (or yesterday)."""
    start, end = study_day_bounds(now, profile.day_start_hour, tz)
    streak = 0
    with database.engine.connect() as connection:

        def studied(day_start: datetime, day_end: datetime) -> bool:
            last = connection.scalar(
                _LAST_ANSWER_BEFORE, {"profile_id": profile.id, "before": day_end}
            )
            return last is not None and last >= day_start

        if not studied(start, end):  # today not studied yet: the streak may still continue
            start, end = start - timedelta(days=1), start
        while studied(start, end):
            streak += 1
            start, end = start - timedelta(days=1), start
    return streak


def today_stats(
    database: Database, profile: ProfileInfo, now: datetime, tz: tzinfo | None = None
) -> TodayStats:
    """Today's answers and accuracy, cards due now and new cards still available today."""
    with database.sessions() as session:
        today = _today(session, profile, now, tz)
        answers, correct = session.execute(
            select(
                func.count(),
                func.coalesce(func.sum(func.cast(AnswerRecord.correct, CardState.reps.type)), 0),
            ).where(AnswerRecord.profile_id == profile.id, AnswerRecord.answered_at >= today.start)
        ).one()
        due_now = _count(
            session,
            _queue(profile.id, None, (*LEARNING, CardKind.REVIEW.value)).where(
                CardState.due <= now
            ),
        )
        new_available = _count(
            session,
            _queue(profile.id, None, (NEW,)),
            _new_limit(session, profile, today, tz) - today.new_done,
        )
    return TodayStats(int(answers), int(correct), due_now, new_available)


def study_card(
    database: Database, profile: ProfileInfo, question_id: int, now: datetime
) -> StudyCard | None:
    """One given card as a `StudyCard` (to show a card again after undoing its answer)."""
    with database.sessions() as session:
        row = session.execute(
            select(*_CARD_COLUMNS)
            .join(Question, Question.id == CardState.question_id)
            .where(CardState.profile_id == profile.id, CardState.question_id == question_id)
        ).first()
    return None if row is None else _study_card(row, profile, now)
