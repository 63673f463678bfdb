"""Reviewing with spaced repetition: submit a response, rate it, undo, end the sitting.

The path of one answer: `submit` grades the response (the screen sends only what the
learner did) and saves it at once, in one transaction; `rate` reschedules the card and
returns the next one with today's counts, in a second. A study session starts with its
first answer and ends when the learner leaves; coming back starts a new one. Answers left
unrated (a crash, or leaving before rating) get their suggested rating when studying
resumes. Review and revision ("revision" sessions, on a given list of cards) share this
path; drills and exams are papers (`quiz.services.paper`) and are never rated.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import Connection, bindparam, case, delete, func, insert, select, update

from quiz.core.responses import Response, dump_response
from quiz.core.scheduling import NEW, CardSnapshot
from quiz.core.scheduling import format_interval as format_interval  # for the TUI
from quiz.errors import QuizError
from quiz.services.answering import Outcome, check_response
from quiz.services.cards import StudyCard, read_card, rescheduled, store_card
from quiz.services.database import Database
from quiz.services.profiles import ProfileInfo
from quiz.services.queue import (
    Fact,
    KeptQueue,
    QueueCounts,
    counts,
    keep_rated,
    kept_queue,
    pick_next,
)
from quiz.store.models import AnswerRecord, CardState, Question, StudySession
from quiz.store.prepared import Prepared

RatedKind = Literal["review", "revision", "cram"]
RATED_KINDS: tuple[str, ...] = ("review", "revision", "cram")  # session kinds rated
REVIEW_KINDS: tuple[str, ...] = ("review", "revision")  # ... asked on schedule (FSRS learns)
GOOD, AGAIN = 3, 1


@dataclass
class StudyRun:
    """One sitting of review (a deck or all decks) or revision (the given cards, each asked
    once). `session_id` is filled in by `submit` when the first answer starts the session."""

    profile: ProfileInfo
    kind: RatedKind = "review"
    deck_id: int | None = None
    cards: tuple[int, ...] | None = None  # revision: the question ids to ask, in order
    session_id: int | None = None
    last_topic: str | None = None
    asked: set[int] = field(default_factory=set)  # revision: question ids answered
    exam_id: int | None = None  # revision: the mock exam it revises (kept in its session)
    reschedule: bool = True  # cram: False leaves the long-term schedule alone
    # today's counts, kept and updated as answers are rated (None: count them again)
    kept: KeptQueue | None = None
    facts: dict[int, Fact | None] = field(default_factory=dict)  # of the cards submitted

    @property
    def keeps_schedule(self) -> bool:
        return self.kind == "cram" and not self.reschedule


@dataclass(frozen=True)
class Next:
    """What comes after an answer is rated: the next card (None when done) and what is
    left today for this sitting's deck."""

    card: StudyCard | None
    counts: QueueCounts


@dataclass(frozen=True)
class SessionSummary:
    """The end-of-session report: this session's answers only."""

    cards: int
    correct: int
    seconds: float
    due_tomorrow: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.cards if self.cards else 0.0


def begin(database: Database, run: StudyRun, now: datetime) -> Next:
    """Settle answers left unrated, close sessions left open, spread the reviews over the
    coming days when load balancing is on, and show the first card."""
    settle_unrated_answers(database, run.profile)
    if run.kind == "review" and run.profile.load_balance:
        from quiz.services.balancing import balance_reviews

        balance_reviews(database, run.profile, now)
    with database.engine.connect() as connection:
        return _next(connection, run, now)


def _next(connection: Connection, run: StudyRun, now: datetime) -> Next:
    if run.cards is not None:
        todo = [qid for qid in run.cards if qid not in run.asked]
        card = read_card(connection, run.profile, todo[0], now) if todo else None
        return Next(card, QueueCounts(0, 0, len(todo)))
    if run.kept is None or now >= run.kept.day.end:
        run.kept = kept_queue(connection, run.profile, now, run.deck_id)
    kept = run.kept
    left = kept.counts(now)
    card = pick_next(connection, run.profile, now, run.deck_id, run.last_topic, kept.day, kept)
    if card is None or not left.total:  # done, or so it seems: count again, and say why
        run.kept = None
        left = counts(connection, run.profile, now, run.deck_id, kept.day, why_empty=True)
        card = pick_next(connection, run.profile, now, run.deck_id, run.last_topic, kept.day)
    return Next(card, left)


_INSERT_ANSWER = Prepared(insert(AnswerRecord).returning(AnswerRecord.id))
_INSERT_SESSION = insert(StudySession)


def submit(
    database: Database,
    run: StudyRun,
    question_id: int,
    response: Response,
    duration_ms: int,
    now: datetime,
) -> Outcome:
    """Grade the response to this card and save it at once (unrated). A flashcard is saved
    when its back is shown; its rating then says whether it was known."""
    if duration_ms < 0:
        raise QuizError("the time taken cannot be negative; check the clock")
    profile = run.profile
    with database.answering.begin() as connection:
        card = read_card(connection, profile, question_id, now)
        if card is None:
            raise QuizError(f"question {question_id} has no card for {profile.name}; sync first")
        checked = check_response(card.question, response)
        if run.session_id is None:
            created = connection.execute(
                _INSERT_SESSION,
                {
                    "profile_id": profile.id,
                    "kind": run.kind,
                    "deck_id": run.deck_id,
                    "started_at": now,
                    "details": None if run.exam_id is None else {"exam_id": run.exam_id},
                },
            )
            run.session_id = int(created.inserted_primary_key[0])  # type: ignore[index]
        inserted = _INSERT_ANSWER.one(
            connection,
            {
                "session_id": run.session_id,
                "profile_id": profile.id,
                "question_id": question_id,
                "answered_at": now,
                "response": dump_response(response),
                "correct": checked.correct,
                "duration_ms": duration_ms,
                "rating": None,
                "state_before": card.snapshot.state,
                "previous_state": card.snapshot.to_dict(),
                "overridden": False,
            },
        )
    run.asked.add(question_id)
    run.last_topic = card.question.topic
    fact = card.question.fact
    run.facts[question_id] = None if fact is None else (card.deck_id, fact)
    return Outcome(
        answer_id=int(inserted.id),
        session_id=run.session_id,
        question_id=question_id,
        response=response,
        checked=checked,
        intervals=card.intervals,
    )


TYPED_TYPES = ("short_answer", "cloze")  # the question types whose answer is typed


def override(database: Database, run: StudyRun, outcome: Outcome, now: datetime) -> Outcome:
    """ "I was right": the learner claims a typed answer (short answer, cloze) the grader
    marked wrong was right. The saved answer is marked overridden and correct (before it is
    rated), and the outcome returned suggests Good. History, statistics and reports show it
    as overridden, apart from answers graded right."""
    if outcome.checked.correct:
        raise QuizError("this answer was already graded right; rate it")
    with database.engine.begin() as connection:
        row = connection.execute(
            select(AnswerRecord.rating, AnswerRecord.correct, Question.type)
            .join(Question, Question.id == AnswerRecord.question_id)
            .where(
                AnswerRecord.id == outcome.answer_id,
                AnswerRecord.profile_id == run.profile.id,
                AnswerRecord.session_id == run.session_id,
            )
        ).first()
        if row is None:
            raise QuizError(f"no answer {outcome.answer_id} in this sitting")
        if row.type not in TYPED_TYPES:
            raise QuizError("only a typed answer can be claimed right; rate this one instead")
        if row.rating is not None:
            raise QuizError("this answer is already rated; undo it to claim it was right")
        connection.execute(
            update(AnswerRecord)
            .where(AnswerRecord.id == outcome.answer_id)
            .values(correct=True, overridden=True)
        )
    return overridden_outcome(outcome)


def overridden_outcome(outcome: Outcome) -> Outcome:
    """The outcome of an answer the learner claimed was right: correct, suggesting Good."""
    checked = replace(outcome.checked, correct=True, overridden=True, score=1.0)
    return replace(outcome, checked=checked)


_SELF_GRADED = (
    select(Question.type).where(Question.id == AnswerRecord.question_id).scalar_subquery()
    == "flashcard"
)
_RATE = Prepared(
    update(AnswerRecord)
    .where(
        AnswerRecord.id == bindparam("answer"),
        AnswerRecord.profile_id == bindparam("rater"),
        AnswerRecord.rating.is_(None),
    )
    .values(
        rating=bindparam("new_rating"),
        # a flashcard is self-graded: the rating says whether it was known
        correct=case((_SELF_GRADED, bindparam("known")), else_=AnswerRecord.correct),
    )
    .returning(AnswerRecord.question_id, AnswerRecord.previous_state)
)


def _rate(
    connection: Connection,
    profile: ProfileInfo,
    answer_id: int,
    rating: int,
    now: datetime,
    seed: int | None,
    keep_schedule: bool = False,
) -> tuple[int, CardSnapshot, CardSnapshot] | None:
    """Rate one saved, unrated answer and reschedule its card (two statements); returns
    the card's question id and its state before and after (None when left alone). With
    `keep_schedule` (cramming) the card is rescheduled only when it was last reviewed
    earlier the same study day: then FSRS's same-day rules apply, as in a review."""
    if rating not in (1, 2, 3, 4):
        raise QuizError("a rating is 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)")
    row = _RATE.first(
        connection,
        {"answer": answer_id, "rater": profile.id, "new_rating": rating, "known": rating > AGAIN},
    )
    if row is None:
        rated = connection.scalar(
            select(AnswerRecord.rating).where(
                AnswerRecord.id == answer_id, AnswerRecord.profile_id == profile.id
            )
        )
        if rated is not None:
            raise QuizError("this answer is already rated; undo it to rate again")
        raise QuizError(f"no answer {answer_id} for this profile")
    before = CardSnapshot.from_dict(row.previous_state or {})
    if keep_schedule and not _same_study_day(profile, before.last_review, now):
        return None
    after = rescheduled(profile, row.question_id, before, rating, now, seed)
    store_card(connection, profile.id, row.question_id, after)
    return row.question_id, before, after


def _same_study_day(profile: ProfileInfo, moment: datetime | None, now: datetime) -> bool:
    calendar = profile.calendar
    return moment is not None and calendar.study_date(moment) == calendar.study_date(now)


def rate(
    database: Database,
    run: StudyRun,
    answer_id: int,
    rating: int,
    now: datetime,
    seed: int | None = None,
) -> Next:
    """Rate a saved answer (1 Again .. 4 Easy), reschedule its card, and say what is next."""
    with database.answering.begin() as connection:
        rated = _rate(connection, run.profile, answer_id, rating, now, seed, run.keeps_schedule)
        if run.kept is not None and not _counts_kept(connection, run, rated, now):
            run.kept = None
        return _next(connection, run, now)


def _counts_kept(
    connection: Connection,
    run: StudyRun,
    rated: tuple[int, CardSnapshot, CardSnapshot] | None,
    now: datetime,
) -> bool:
    """Update the sitting's kept counts for this rating; False when they must be counted
    again (cram answers are outside today's counts, as is a card this sitting did not ask)."""
    if run.kept is None or rated is None or run.kind == "cram" or rated[0] not in run.facts:
        return False
    question_id, before, after = rated
    fact = run.facts[question_id]
    return keep_rated(connection, run.kept, run.profile.id, question_id, fact, before, after, now)


def undo(database: Database, run: StudyRun, now: datetime) -> Next | None:
    """Remove this sitting's last answer and restore its card; the card is asked again
    next (None when there was nothing to undo).

    Only an answer that was right, or a flashcard (the learner rated it), can be undone:
    an answer the app graded wrong, or one claimed right ("I was right"), is evidence of
    what the learner knew and stays in their history (undoing it would let a wrong answer
    be replaced by a right one, and statistics show 100%)."""
    if run.session_id is None:
        return None
    with database.engine.begin() as connection:
        answer = connection.execute(
            select(
                AnswerRecord.id,
                AnswerRecord.question_id,
                AnswerRecord.rating,
                AnswerRecord.previous_state,
                AnswerRecord.correct,
                AnswerRecord.overridden,
                Question.type,
            )
            .join(Question, Question.id == AnswerRecord.question_id)
            .where(AnswerRecord.session_id == run.session_id)
            .order_by(AnswerRecord.id.desc())
            .limit(1)
        ).first()
        if answer is None:
            return None
        if answer.type != "flashcard" and (not answer.correct or answer.overridden):
            step = "rate it" if answer.rating is None else "go on to the next card"
            raise QuizError(
                f"an answer graded wrong stays in your history, so it cannot be undone; {step}"
            )
        if answer.rating is not None and answer.previous_state is not None:
            before = CardSnapshot.from_dict(answer.previous_state)
            store_card(connection, run.profile.id, answer.question_id, before)
        connection.execute(delete(AnswerRecord).where(AnswerRecord.id == answer.id))
        run.asked.discard(answer.question_id)
        run.kept = None  # counted again next time
        card = read_card(connection, run.profile, answer.question_id, now)
        if run.cards is not None:
            left = QueueCounts(0, 0, sum(1 for qid in run.cards if qid not in run.asked))
        else:
            left = counts(connection, run.profile, now, run.deck_id)
        return Next(card, left)


def end(database: Database, run: StudyRun, now: datetime) -> SessionSummary | None:
    """End the sitting's session and summarise it (None when nothing was answered)."""
    if run.session_id is None:
        return None
    _, end_of_day = run.profile.calendar.bounds(now)
    with database.sessions.begin() as session:
        study = session.get(StudySession, run.session_id)
        if study is None:
            raise QuizError(f"no study session {run.session_id}")
        if study.ended_at is None:
            study.ended_at = now
        cards, correct, first = session.execute(
            select(
                func.count(),
                func.coalesce(func.sum(func.cast(AnswerRecord.correct, CardState.reps.type)), 0),
                func.min(AnswerRecord.answered_at),
            ).where(AnswerRecord.session_id == run.session_id)
        ).one()
        due_tomorrow = session.scalar(
            select(func.count())
            .select_from(CardState)
            .join(Question, Question.id == CardState.question_id)
            .where(
                CardState.profile_id == run.profile.id,
                CardState.suspended.is_(False),
                CardState.state != NEW,
                CardState.due >= end_of_day,
                CardState.due < end_of_day + timedelta(days=1),
                Question.retired_at.is_(None),
            )
        )
        seconds = (study.ended_at - first).total_seconds() if first else 0.0
        return SessionSummary(int(cards), int(correct), seconds, int(due_tomorrow or 0))


def settle_unrated_answers(database: Database, profile: ProfileInfo) -> int:
    """Rate each review or revision answer left unrated with its suggested rating (Again
    when wrong, else Good), at the time it was given, unless its card was answered again
    since; end the sessions left open at their last answer. Returns how many were rated."""
    with database.engine.begin() as connection:
        pending = connection.execute(
            select(AnswerRecord.id, AnswerRecord.question_id, AnswerRecord.correct)
            .add_columns(AnswerRecord.answered_at, StudySession.kind)
            .join(StudySession, StudySession.id == AnswerRecord.session_id)
            .where(
                AnswerRecord.profile_id == profile.id,
                AnswerRecord.rating.is_(None),
                StudySession.kind.in_(RATED_KINDS),
            )
            .order_by(AnswerRecord.id)
        ).all()
        settled = 0
        for row in pending:
            later = connection.scalar(
                select(func.count()).where(
                    AnswerRecord.profile_id == profile.id,
                    AnswerRecord.question_id == row.question_id,
                    AnswerRecord.id > row.id,
                )
            )
            if not later:
                rating = GOOD if row.correct else AGAIN
                cram = row.kind == "cram"  # a cram sitting left: its schedule kept
                _rate(connection, profile, row.id, rating, row.answered_at, None, cram)
                settled += 1
        _end_open_sessions(connection, profile.id)
    return settled


def _end_open_sessions(connection: Connection, profile_id: int) -> None:
    """Sessions of review or revision left open (the app was closed or killed) end at
    their last answer."""
    last = (
        select(func.max(AnswerRecord.answered_at))
        .where(AnswerRecord.session_id == StudySession.id)
        .scalar_subquery()
    )
    connection.execute(
        update(StudySession)
        .where(
            StudySession.profile_id == profile_id,
            StudySession.kind.in_(RATED_KINDS),
            StudySession.ended_at.is_(None),
        )
        .values(ended_at=func.coalesce(last, StudySession.started_at))
    )


def revision_run(
    profile: ProfileInfo,
    cards: Sequence[StudyCard],
    exam_id: int | None = None,
    done: Iterable[int] = (),
) -> StudyRun:
    """A revision sitting on these cards, each asked once in the order given, leaving out
    the question ids `done` (revised in an earlier sitting: the revision resumes). Its
    session remembers `exam_id`, the mock exam it revises."""
    return StudyRun(
        profile,
        "revision",
        cards=tuple(card.question_id for card in cards),
        asked=set(done),
        exam_id=exam_id,
    )
