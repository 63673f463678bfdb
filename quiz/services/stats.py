"""Study statistics, computed in SQL (never by loading every answer).

Per-day figures use study days (the profile's study calendar: its time zone and
`day_start_hour`). Their bounds are computed in Python and sent as a small table of parameters
(`SELECT 0 AS i, :lo AS lo, :hi AS hi UNION ALL ...`) joined to the quarter-hour answer
buckets (kept by triggers, migration 0004) or to the answers on the (profile_id,
answered_at) index: one query, one index range per day, the same SQL on SQLite and
PostgreSQL, and exact across daylight-saving changes.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Integer,
    Select,
    Subquery,
    and_,
    bindparam,
    case,
    cast,
    column,
    func,
    literal,
    select,
    text,
)
from sqlalchemy.orm import Session

from quiz.core.scheduling import NEW, CardKind
from quiz.services.database import Database
from quiz.services.profiles import ProfileInfo
from quiz.store.models import AnswerBucket, AnswerRecord, CardState, Question, UTCDateTime

MASTERED_STABILITY_DAYS = 21.0
FORECAST_DAYS = 30
CALENDAR_DAYS = 365
CHUNK_DAYS = 400  # SQLite allows 500 terms in a compound SELECT
FIRST_PROBE_DAYS = 8  # days a streak beyond the calendar is probed first (then 32, 128, 400)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
STRATEGY = "join"  # or "per_day": one query per day (measured slower; kept for benchmarks)


@dataclass(frozen=True)
class DayCount:
    """Answers given on one study day."""

    day: date
    answers: int
    correct: int

    @property
    def accuracy(self) -> float | None:
        return round(self.correct / self.answers, 4) if self.answers else None


@dataclass(frozen=True)
class Retention:
    """True retention: of the first review each day of cards in review, the share not
    rated Again."""

    reviews: int
    passed: int

    @property
    def rate(self) -> float | None:
        return round(self.passed / self.reviews, 4) if self.reviews else None


@dataclass(frozen=True)
class TopicMastery:
    """One topic: its cards (not suspended or retired), how many are seen (studied: no
    longer new) and mastered (in review with stability of at least 21 days), and the study
    answers (rated: reviews, revision, cramming) given in the period to its seen cards."""

    topic: str
    cards: int
    seen: int
    mastered: int
    answers: int
    correct: int

    @property
    def mastery(self) -> float:
        return round(self.mastered / self.cards, 4) if self.cards else 0.0

    @property
    def accuracy(self) -> float | None:
        return round(self.correct / self.answers, 4) if self.answers else None


@dataclass(frozen=True)
class Statistics:
    """Everything the statistics screen shows."""

    days: list[DayCount]  # the last `weeks` weeks, oldest first, today last
    calendar: list[DayCount]  # answers per day for a heatmap, oldest first
    streak_days: int
    retention: Retention  # over the same weeks as `days`
    forecast: list[tuple[date, int]]  # cards due on each coming day; today includes overdue
    topics: list[TopicMastery]
    overridden: int = 0  # answers over the weeks claimed right by the learner ("I was right")

    def to_dict(self) -> dict[str, Any]:
        return {
            "days": [
                {
                    "day": d.day.isoformat(),
                    "answers": d.answers,
                    "correct": d.correct,
                    "accuracy": d.accuracy,
                }
                for d in self.days
            ],
            "calendar": {d.day.isoformat(): d.answers for d in self.calendar if d.answers},
            "streak_days": self.streak_days,
            "overridden": self.overridden,
            "true_retention": {
                "reviews": self.retention.reviews,
                "passed": self.retention.passed,
                "rate": self.retention.rate,
            },
            "due_forecast": [{"day": d.isoformat(), "due": n} for d, n in self.forecast],
            "topics": [
                {
                    "topic": t.topic,
                    "cards": t.cards,
                    "seen": t.seen,
                    "mastered": t.mastered,
                    "mastery": t.mastery,
                    "answers": t.answers,
                    "correct": t.correct,
                    "accuracy": t.accuracy,
                }
                for t in self.topics
            ],
        }


# -- study-day buckets ----------------------------------------------------------------

Bounds = list[tuple[date, datetime, datetime]]


def day_bounds(profile: ProfileInfo, now: datetime, days: int, ahead: bool = False) -> Bounds:
    """(date, UTC start, UTC end) of `days` study days: ending today, or from today on."""
    calendar = profile.calendar
    today = calendar.study_date(now)
    first = today if ahead else today - timedelta(days=days - 1)
    out = []
    for n in range(days):
        day = first + timedelta(days=n)
        out.append(
            (
                day,
                calendar.day_start(day),
                calendar.day_start(day + timedelta(days=1)),
            )
        )
    return out


_UTC = UTCDateTime()  # one type object for every day bound (each new one costs)


def _days_table(bounds: Sequence[tuple[int, datetime, datetime]]) -> Subquery:
    """`SELECT 0 AS i, :lo0 AS lo, :hi0 AS hi UNION ALL ...` as a subquery named days.

    Written as text with typed parameters: building hundreds of select() objects costs more
    in Python than the query costs in the database."""
    sql = " UNION ALL ".join(f"SELECT {i} AS i, :lo{i} AS lo, :hi{i} AS hi" for i, _, _ in bounds)
    params = []
    for i, lo, hi in bounds:
        params.append(bindparam(f"lo{i}", lo, type_=_UTC))
        params.append(bindparam(f"hi{i}", hi, type_=_UTC))
    return (
        text(sql)
        .bindparams(*params)
        .columns(column("i", Integer), column("lo", _UTC), column("hi", _UTC))
        .subquery("days")
    )


def _per_day(
    session: Session,
    bounds: Bounds,
    query: Callable[[Subquery], Select[Any]],
    strategy: str | None = None,
) -> dict[int, tuple[Any, ...]]:
    """Run `query` (grouped by days.c.i, i first in each row) over the day buckets."""
    indexed = [(i, lo, hi) for i, (_, lo, hi) in enumerate(bounds)]
    size = 1 if (strategy or STRATEGY) == "per_day" else CHUNK_DAYS
    out: dict[int, tuple[Any, ...]] = {}
    for start in range(0, len(indexed), size):
        days = _days_table(indexed[start : start + size])
        for row in session.execute(query(days)):
            out[int(row[0])] = tuple(row[1:])
    return out


def _answers_on_days(profile_id: int, days: Subquery) -> Any:
    return and_(
        AnswerRecord.profile_id == profile_id,
        AnswerRecord.answered_at >= days.c.lo,
        AnswerRecord.answered_at < days.c.hi,
    )


def _correct_sum() -> Any:
    return func.coalesce(func.sum(case((AnswerRecord.correct, 1), else_=0)), 0)


# -- the figures ----------------------------------------------------------------------


def _buckets_on_days(profile_id: int, days: Subquery) -> Any:
    return and_(
        AnswerBucket.profile_id == profile_id,
        AnswerBucket.starts_at >= days.c.lo,
        AnswerBucket.starts_at < days.c.hi,
    )


def _daily(
    session: Session,
    profile: ProfileInfo,
    bounds: Bounds,
    with_correct: bool,
    strategy: str | None = None,
) -> list[DayCount]:
    """Answers (and right answers) per study day, summed from the quarter-hour buckets."""

    def query(days: Subquery) -> Select[Any]:
        columns: list[Any] = [days.c.i, func.sum(AnswerBucket.answers)]
        if with_correct:
            columns.append(func.sum(AnswerBucket.correct))
        return (
            select(*columns)
            .select_from(days)
            .join(AnswerBucket, _buckets_on_days(profile.id, days))
            .group_by(days.c.i)
        )

    found = _per_day(session, bounds, query, strategy)
    out = []
    for i, (day, _, _) in enumerate(bounds):
        row = found.get(i)
        answers = int(row[0] or 0) if row else 0
        correct = int(row[1] or 0) if row and with_correct else 0
        out.append(DayCount(day, answers, correct))
    return out


RATING_SLOTS = 8  # ratings are 1..4: id * 8 + rating orders by id and keeps the rating


def _retention(
    session: Session, profile: ProfileInfo, bounds: Bounds, strategy: str | None = None
) -> Retention:
    """The first review (lowest id) per card per day, found with its rating in one pass
    over the covering answers index: min(id * 8 + rating) is the first answer's id and
    rating together, so no answer row is read back by id."""

    def query(days: Subquery) -> Select[Any]:
        packed = cast(AnswerRecord.id, BigInteger) * RATING_SLOTS + AnswerRecord.rating
        first = (
            select(days.c.i.label("i"), func.min(packed).label("packed"))
            .select_from(days)
            .join(AnswerRecord, _answers_on_days(profile.id, days))
            .where(
                AnswerRecord.state_before == CardKind.REVIEW.value,
                AnswerRecord.rating.is_not(None),
            )
            .group_by(days.c.i, AnswerRecord.question_id)
            .subquery("first")
        )
        passed = first.c.packed % RATING_SLOTS > 1
        return (
            select(
                first.c.i,
                func.count(),
                func.coalesce(func.sum(case((passed, 1), else_=0)), 0),
            )
            .select_from(first)
            .group_by(first.c.i)
        )

    reviews = passed = 0
    for row in _per_day(session, bounds, query, strategy).values():
        reviews += int(row[0])
        passed += int(row[1])
    return Retention(reviews, passed)


def _forecast(
    session: Session, profile: ProfileInfo, bounds: Bounds, strategy: str | None = None
) -> list[tuple[date, int]]:
    if not bounds:
        return []
    day0, _, end0 = bounds[0]
    widened: Bounds = [(day0, EPOCH, end0), *bounds[1:]]  # today includes overdue cards

    # Card rows only (the queue index covers them), less the cards of the few retired
    # questions (their own index): no probe of the question of every due card.
    retired = select(Question.id).where(Question.retired_at.is_not(None))

    def query(days: Subquery) -> Select[Any]:
        return (
            select(days.c.i, func.count())
            .select_from(days)
            .join(
                CardState,
                and_(
                    CardState.profile_id == profile.id,
                    CardState.suspended.is_(False),
                    CardState.state.in_(
                        [CardKind.LEARNING.value, CardKind.REVIEW.value, CardKind.RELEARNING.value]
                    ),
                    CardState.due >= days.c.lo,
                    CardState.due < days.c.hi,
                ),
            )
            .where(CardState.question_id.not_in(retired))
            .group_by(days.c.i)
        )

    found = _per_day(session, widened, query, strategy)
    return [(day, int(found[i][0]) if i in found else 0) for i, (day, _, _) in enumerate(bounds)]


def _topics(session: Session, profile: ProfileInfo, since: datetime) -> list[TopicMastery]:
    """Cards, seen and mastered per topic from the card rows alone (their copy of the topic
    and retired flag: one range of the topics index); right answers over the study answers
    (rated) since `since` to the cards counted as seen, so a topic shows accuracy only when
    it has seen cards, and drill and exam answers (never rated) are left to their reports."""
    in_row = and_(
        CardState.profile_id == profile.id,
        CardState.retired.is_(False),
        CardState.suspended.is_(False),
    )
    cards = session.execute(
        select(
            CardState.topic,
            func.count(),
            func.coalesce(func.sum(case((CardState.state != NEW, 1), else_=0)), 0),
            func.coalesce(
                func.sum(
                    case(
                        (
                            and_(
                                CardState.state == CardKind.REVIEW.value,
                                CardState.stability >= MASTERED_STABILITY_DAYS,
                            ),
                            1,
                        ),
                        else_=0,
                    )
                ),
                0,
            ),
        )
        .where(in_row)
        .group_by(CardState.topic)
    ).all()
    # study answers in the period per question first (one range of the covering answers
    # index), then per topic over the seen cards
    per_question = (
        select(
            AnswerRecord.question_id.label("question_id"),
            func.count().label("n"),
            _correct_sum().label("c"),
        )
        .where(
            AnswerRecord.profile_id == profile.id,
            AnswerRecord.answered_at >= since,
            AnswerRecord.rating.is_not(None),
        )
        .group_by(AnswerRecord.question_id)
        .subquery("per_question")
    )
    # the card's conditions in the sums, not in WHERE: the planner then probes each card
    # by its key (rather than scanning the cards and probing the answers per question)
    counted = and_(
        CardState.retired.is_(False), CardState.suspended.is_(False), CardState.state != NEW
    )
    answers = {
        topic: (int(n), int(c))
        for topic, n, c in session.execute(
            select(
                CardState.topic,
                func.sum(case((counted, per_question.c.n), else_=0)),
                func.sum(case((counted, per_question.c.c), else_=0)),
            )
            .select_from(per_question)
            .join(
                CardState,
                and_(
                    CardState.profile_id == profile.id,
                    CardState.question_id == per_question.c.question_id,
                ),
            )
            .group_by(CardState.topic)
        )
    }
    return [
        TopicMastery(str(topic), int(n), int(seen), int(mastered), *answers.get(topic, (0, 0)))
        for topic, n, seen, mastered in sorted(cards, key=lambda row: str(row[0]))
    ]


def _streak_from(
    session: Session,
    profile: ProfileInfo,
    now: datetime,
    calendar: list[DayCount] | None,
) -> int:
    """The streak, read off the calendar's counts while they reach, then probed further."""
    streak = 0
    end = now
    first_chunk = True
    if calendar:
        days = list(reversed(calendar))
        start = 1 if days[0].answers == 0 else 0
        for day in days[start:]:
            if day.answers == 0:
                return streak
            streak += 1
        first_chunk = False
        end = profile.calendar.day_start(calendar[0].day) - timedelta(hours=1)
    chunk = FIRST_PROBE_DAYS  # most streaks end soon: probe a few days, then more
    while True:
        bounds = list(reversed(day_bounds(profile, end, chunk)))  # newest first
        chunk = min(chunk * 4, CHUNK_DAYS)

        def query(days: Subquery) -> Select[Any]:
            return select(days.c.i, literal(1, Integer)).where(
                select(AnswerBucket.starts_at)
                .where(_buckets_on_days(profile.id, days), AnswerBucket.answers > 0)
                .exists()
            )

        studied = _per_day(session, bounds, query, "join")
        start = 1 if first_chunk and 0 not in studied else 0  # today may still come
        for i in range(start, len(bounds)):
            if i not in studied:
                return streak
            streak += 1
        first_chunk = False
        end = bounds[-1][1] - timedelta(hours=1)


def statistics(
    database: Database,
    profile: ProfileInfo,
    now: datetime,
    weeks: int = 4,
    calendar_days: int = CALENDAR_DAYS,
    forecast_days: int = FORECAST_DAYS,
    strategy: str | None = None,
) -> Statistics:
    """Answers and accuracy per day over the last `weeks` weeks, a calendar of answer
    counts, the daily streak, true retention over the weeks, cards due on each of the next
    `forecast_days` days and mastery per topic (right: its seen cards' reviews over the weeks)."""
    recent = day_bounds(profile, now, weeks * 7)
    with database.sessions() as session:
        days = _daily(session, profile, recent, True, strategy)
        calendar = _daily(
            session, profile, day_bounds(profile, now, calendar_days), False, strategy
        )
        retention = _retention(session, profile, recent, strategy)
        forecast = _forecast(
            session, profile, day_bounds(profile, now, forecast_days, ahead=True), strategy
        )
        topics = _topics(session, profile, recent[0][1])
        streak = _streak_from(session, profile, now, calendar)
        overridden = session.scalar(
            select(func.count()).where(
                AnswerRecord.profile_id == profile.id,
                AnswerRecord.answered_at >= recent[0][1],
                AnswerRecord.overridden.is_(True),
            )
        )
    return Statistics(days, calendar, streak, retention, forecast, topics, int(overridden or 0))
