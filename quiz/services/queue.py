"""Today's queue: which card comes next and how many are left, by one definition.

Learning cards due within `LEARN_AHEAD` of now, reviews due before the study day ends (up to
the daily review limit) and new cards (up to the daily new limit) are "left today"; the next
card is taken from those queues in that order (learning cards due now first), mixing topics.
Home, the study screen's progress line and `next_card` all count with `QueueCounts`.

Siblings are buried (as in Anki): once a question of a bank `fact` has been rated in the
study day, the other questions of that fact are neither counted nor offered until the next
study day. The card that was rated itself keeps coming back while it is learning.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Text,
    and_,
    bindparam,
    cast,
    func,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import aliased

from quiz.core.scheduling import (
    LEARN_AHEAD,
    NEW,
    CardKind,
    CardSnapshot,
    introduction_days,
    new_cards_pace,
)
from quiz.services.cards import CARD_COLUMNS, StudyCard, card_from_row
from quiz.services.database import Database
from quiz.services.profiles import ProfileInfo
from quiz.store.models import AnswerRecord, CardState, Question, StudySession, UTCDateTime
from quiz.store.prepared import Prepared

CANDIDATES = 12  # cards read per queue to pick one whose topic differs from the last
PAGE = CANDIDATES + 4  # rows read at a time when a sitting's kept facts say which are buried
LEARNING = (CardKind.LEARNING.value, CardKind.RELEARNING.value)
REVIEW = (CardKind.REVIEW.value,)
NEVER = datetime(9999, 12, 31, tzinfo=UTC)  # "due before" bound for new cards: all of them


@dataclass(frozen=True)
class QueueCounts:
    """What is left to study today (limits applied), and, when nothing is, why not:
    learning cards coming back later today, new cards and reviews held back by the limits."""

    new: int
    learning: int
    review: int
    later_today: int = 0
    new_held: int = 0
    reviews_held: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


@dataclass(frozen=True)
class Today:
    """The study day so far: its bounds and the cards rated in it, by kind."""

    start: datetime
    end: datetime
    new_done: int
    reviews_done: int


_TODAY = (
    select(AnswerRecord.state_before, func.count())
    .join(StudySession, StudySession.id == AnswerRecord.session_id)
    .where(
        AnswerRecord.profile_id == bindparam("profile_id"),
        AnswerRecord.answered_at >= bindparam("start", type_=UTCDateTime()),
        AnswerRecord.rating.is_not(None),
        StudySession.kind != "cram",  # cramming is extra: it leaves today's limits alone
    )
    .group_by(AnswerRecord.state_before)
)


def today(connection: Connection, profile: ProfileInfo, now: datetime) -> Today:
    start, end = profile.calendar.bounds(now)
    counts = dict(connection.execute(_TODAY, {"profile_id": profile.id, "start": start}).all())
    return Today(start, end, counts.get(NEW, 0), counts.get(CardKind.REVIEW.value, 0))


_RATED = aliased(Question)
_SIBLING = aliased(Question)


def not_buried(profile_id: Any, day_start: Any) -> ColumnElement[bool]:
    """The question is not a sibling of one the profile rated since `day_start`: it has no
    fact, or no other question of its fact (in its deck) has a rated answer since then.

    The siblings of today's rated questions are one uncorrelated list, read once per
    statement (its cost grows with the cards rated today): a subquery correlated with
    every candidate card cost 20 to 30 times more (python -m quiz.bench,
    `burying_cost_ms`)."""
    return or_(Question.fact.is_(None), Question.id.not_in(_buried_siblings(profile_id, day_start)))


def _buried_siblings(profile_id: Any, day_start: Any) -> Select[Any]:
    """The ids of the siblings of the questions the profile rated since `day_start`."""
    return (
        select(_SIBLING.id)
        .select_from(AnswerRecord)
        .join(_RATED, _RATED.id == AnswerRecord.question_id)
        .join(
            _SIBLING,
            and_(
                _SIBLING.deck_id == _RATED.deck_id,
                _SIBLING.fact == _RATED.fact,
                _SIBLING.id != _RATED.id,
            ),
        )
        .where(
            AnswerRecord.profile_id == profile_id,
            AnswerRecord.answered_at >= day_start,
            AnswerRecord.rating.is_not(None),
        )
    )


def buried_by_deck(connection: Connection, profile: ProfileInfo, day: Today) -> dict[int, int]:
    """Per deck, the cards that would be studied today (new, learning, reviews due before
    the day ends) but wait for the next study day as siblings of a card rated today.
    Until a card with siblings is rated, nothing waits: one probe of today's answers says
    so, instead of going over every card (at start-up on 100,000 cards, 30-60 ms less)."""
    siblings = _buried_siblings(profile.id, day.start)
    if not connection.scalar(select(siblings.exists())):
        return {}
    query = (
        select(Question.deck_id, func.count())
        .select_from(CardState)
        .join(Question, Question.id == CardState.question_id)
        .where(
            CardState.profile_id == profile.id,
            CardState.suspended.is_(False),
            Question.retired_at.is_(None),
            Question.fact.is_not(None),
            or_(CardState.state == NEW, CardState.due < day.end),
            Question.id.in_(siblings),
        )
        .group_by(Question.deck_id)
    )
    return {int(deck): int(n) for deck, n in connection.execute(query)}


def queue(
    profile_id: int,
    deck_id: int | None,
    states: tuple[int, ...],
    bury_since: datetime | None = None,
) -> Select[Any]:
    """The profile's active, unsuspended cards in these states, oldest due first; with
    `bury_since` (the study day's start), without the siblings of cards rated since then."""
    query = (
        select(CardState.question_id)
        .join(Question, Question.id == CardState.question_id)
        .where(
            CardState.profile_id == profile_id,
            CardState.suspended.is_(False),
            CardState.state.in_(states),
            Question.retired_at.is_(None),
        )
        .order_by(CardState.due, CardState.question_id)
    )
    if bury_since is not None:
        query = query.where(not_buried(profile_id, bury_since))
    return query if deck_id is None else query.where(CardState.deck_id == deck_id)


def _counted(query: Select[Any], limit: int | None) -> Select[Any]:
    inner = query.order_by(None)
    if limit is not None:
        inner = inner.limit(max(limit, 0))
    return select(func.count()).select_from(inner.subquery())


def count(connection: Connection, query: Select[Any], limit: int | None = None) -> int:
    """Rows of `query`, counting no further than `limit`."""
    return int(connection.scalar(_counted(query, limit)) or 0)


def new_limit(connection: Connection, profile: ProfileInfo, day: Today) -> int:
    """New cards allowed today: the profile's setting, raised when an exam date needs every
    new card introduced in time (see `exam_new_per_day`), plus any extra allowed for today
    ("study more today", `study_more_new`)."""
    study_date = profile.calendar.study_date(day.start)
    extra = profile.extra_new_on(study_date)
    if profile.exam_date is None:
        return profile.new_per_day + extra
    days_left = (profile.exam_date - study_date).days
    if days_left <= 0:
        return profile.new_per_day + extra
    # Only a backlog larger than the setting allows needs counting in full.
    enough = profile.new_per_day * introduction_days(days_left) - day.new_done + 1
    new_cards = queue(profile.id, None, (NEW,))
    remaining = count(connection, new_cards, enough)
    if remaining >= enough:
        remaining = count(connection, new_cards)
    return max(profile.new_per_day, new_cards_pace(remaining + day.new_done, days_left)) + extra


def exam_new_per_day(database: Database, profile: ProfileInfo, now: datetime) -> int:
    """The new cards a day in force today: `new_per_day`, or more when an exam date is set
    and the new cards left could not all be introduced in time at that pace."""
    with database.engine.connect() as connection:
        return new_limit(connection, profile, today(connection, profile, now))


@dataclass(frozen=True)
class _Left:
    """How many of each kind today's limits still allow."""

    new: int
    reviews: int


def _left(connection: Connection, profile: ProfileInfo, day: Today) -> _Left:
    return _Left(
        new_limit(connection, profile, day) - day.new_done,
        profile.max_reviews_per_day - day.reviews_done,
    )


def _active(states: tuple[int, ...], by_deck: bool) -> Select[Any]:
    """The profile's active, unsuspended cards in these states, siblings of cards rated
    today buried (bound per call)."""
    query = (
        select(CardState.question_id)
        .join(Question, Question.id == CardState.question_id)
        .where(
            CardState.profile_id == bindparam("profile_id"),
            CardState.suspended.is_(False),
            CardState.state.in_(states),
            Question.retired_at.is_(None),
            not_buried(bindparam("profile_id"), _bound("day_start")),
        )
    )
    return query.where(CardState.deck_id == bindparam("deck_id")) if by_deck else query


def _bound(name: str) -> Any:
    return bindparam(name, type_=UTCDateTime())


@cache
def _counts_statement(by_deck: bool, held: bool) -> Select[Any]:
    """Today's three counts (or, `held`, what is held back) in one statement, built once."""
    learning = _active(LEARNING, by_deck)
    reviews = _active(REVIEW, by_deck).where(CardState.due < _bound("day_end"))
    new_cards = _active((NEW,), by_deck)
    if held:
        parts = [
            learning.where(
                CardState.due >= _bound("learn_until"), CardState.due < _bound("day_end")
            ),
            new_cards.limit(bindparam("new_held_limit")),
            reviews.limit(bindparam("reviews_held_limit")),
        ]
    else:
        parts = [
            new_cards.limit(bindparam("new_left")),
            learning.where(CardState.due < _bound("learn_until")),
            reviews.limit(bindparam("reviews_left")),
        ]
    return select(
        *(select(func.count()).select_from(part.subquery()).scalar_subquery() for part in parts)
    )


def _count_params(
    profile: ProfileInfo,
    now: datetime,
    deck_id: int | None,
    day: Today,
    left: _Left,
    beyond: int = 0,
) -> dict[str, Any]:
    """The parameters of `_counts_statement`; new cards and reviews are counted up to
    `beyond` past what today's limits allow."""
    return {
        "profile_id": profile.id,
        "deck_id": deck_id,
        "day_start": day.start,
        "day_end": day.end,
        "learn_until": now + LEARN_AHEAD,
        "new_left": max(left.new, 0) + beyond,
        "reviews_left": max(left.reviews, 0) + beyond,
        "new_held_limit": 1000 if left.new <= 0 else 0,
        "reviews_held_limit": 1000 if left.reviews <= 0 else 0,
    }


def counts(
    connection: Connection,
    profile: ProfileInfo,
    now: datetime,
    deck_id: int | None = None,
    day: Today | None = None,
    why_empty: bool = False,
) -> QueueCounts:
    """What is left today; with `why_empty` and nothing left, also what is held back."""
    day = day or today(connection, profile, now)
    params = _count_params(profile, now, deck_id, day, _left(connection, profile, day))
    by_deck = deck_id is not None
    new, learning, review = connection.execute(_counts_statement(by_deck, False), params).one()
    found = QueueCounts(int(new), int(learning), int(review))
    if not why_empty or found.total:
        return found
    later, new_held, reviews_held = connection.execute(
        _counts_statement(by_deck, True), params
    ).one()
    return QueueCounts(0, 0, 0, int(later), int(new_held), int(reviews_held))


def queue_counts(
    database: Database, profile: ProfileInfo, now: datetime, deck_id: int | None = None
) -> QueueCounts:
    """How many new, learning and review cards are left today (limits applied)."""
    with database.engine.connect() as connection:
        return counts(connection, profile, now, deck_id)


@cache
def _candidates(states: tuple[int, ...], by_deck: bool) -> Select[Any]:
    """Cards of a queue due before `until`, oldest due first: built once, bound per call."""
    query = (
        select(*CARD_COLUMNS)
        .join(Question, Question.id == CardState.question_id)
        .where(
            CardState.profile_id == bindparam("profile_id"),
            CardState.suspended.is_(False),
            CardState.state.in_(states),
            CardState.due < bindparam("until", type_=UTCDateTime()),
            Question.retired_at.is_(None),
            not_buried(bindparam("profile_id"), bindparam("day_start", type_=UTCDateTime())),
        )
        .order_by(CardState.due, CardState.question_id)
        .limit(CANDIDATES)
    )
    return query.where(CardState.deck_id == bindparam("deck_id")) if by_deck else query


def _pick(rows: Sequence[Any], last_topic: str | None) -> Any | None:
    """The first candidate whose topic differs from the last card's, else the first."""
    for row in rows:
        if row.topic != last_topic:
            return row
    return rows[0] if rows else None


def pick_next(
    connection: Connection,
    profile: ProfileInfo,
    now: datetime,
    deck_id: int | None = None,
    last_topic: str | None = None,
    day: Today | None = None,
    kept: "KeptQueue | None" = None,
) -> StudyCard | None:
    """Learning cards due now, then reviews due today, then new cards up to the daily
    limit, mixing topics; when nothing else is left, learning cards due within
    `LEARN_AHEAD`; siblings of cards rated today buried. Exactly the cards `counts` counts.
    With `kept` counts, the queues they say are empty are not read, and the facts they
    keep say which cards are buried (see `_unburied`)."""
    if kept is not None:
        return _pick_kept(connection, profile, now, deck_id, last_topic, kept)
    day = day or today(connection, profile, now)
    left = _left(connection, profile, day)
    queues: list[tuple[tuple[int, ...], datetime]] = [(LEARNING, now)]
    if left.reviews > 0:
        queues.append((REVIEW, day.end))
    if left.new > 0:
        queues.append(((NEW,), NEVER))
    queues.append((LEARNING, now + LEARN_AHEAD))
    params = {"profile_id": profile.id, "deck_id": deck_id, "day_start": day.start}
    for states, until in queues:
        query = _candidates(states, deck_id is not None)
        row = _pick(connection.execute(query, {**params, "until": until}).all(), last_topic)
        if row is not None:
            return card_from_row(row, profile, now)
    return None


def _pick_kept(
    connection: Connection,
    profile: ProfileInfo,
    now: datetime,
    deck_id: int | None,
    last_topic: str | None,
    kept: "KeptQueue",
) -> StudyCard | None:
    """`pick_next` with a sitting's kept counts (a count of zero: the queue is not read;
    one above zero: today's limits allow that kind)."""
    queues: list[tuple[tuple[int, ...], datetime]] = []
    if kept.learning_before(now):
        queues.append((LEARNING, now))
    if kept.review > 0:
        queues.append((REVIEW, kept.day.end))
    if kept.new > 0:
        queues.append(((NEW,), NEVER))
    if kept.learning_before(now + LEARN_AHEAD):
        queues.append((LEARNING, now + LEARN_AHEAD))
    for states, until in queues:
        row = _unburied(connection, profile.id, deck_id, states, until, kept, last_topic)
        if row is not None:
            return card_from_row(row, profile, now, json.loads(row.data))
    return None


@cache
def _unburied_candidates(states: int, by_deck: bool) -> Prepared:
    """As `_candidates`, with each card's fact and without the burying subquery (whose
    cost grows with the cards rated today), a page of rows after a given (due, question
    id); the question's data as text (only the card picked needs decoding). The queue's
    `states` (how many: one or two) are bound, as single parameters: one statement per
    shape, so that SQLAlchemy neither renders an IN list again each time nor adapts its
    cached result columns to another statement of the same SQL (both cost per call)."""
    columns = [column for column in CARD_COLUMNS if column is not Question.data]
    state = (
        CardState.state == bindparam("state0")
        if states == 1
        else CardState.state.in_([bindparam(f"state{n}") for n in range(states)])
    )
    query = (
        select(*columns, cast(Question.data, Text).label("data"), Question.fact)
        .join(Question, Question.id == CardState.question_id)
        .where(
            CardState.profile_id == bindparam("profile_id"),
            CardState.suspended.is_(False),
            state,
            CardState.due < _bound("until"),
            tuple_(CardState.due, CardState.question_id)
            > tuple_(_bound("after_due"), bindparam("after_id")),
            Question.retired_at.is_(None),
        )
        .order_by(CardState.due, CardState.question_id)
        .limit(PAGE)
    )
    return Prepared(query.where(CardState.deck_id == bindparam("deck_id")) if by_deck else query)


FIRST = (datetime(1, 1, 1, tzinfo=UTC), 0)  # before every (due, question id)
PASSED = ((NEW,), REVIEW)
"""The queues whose buried cards at the front a sitting passes over from then on: a card
buried stays so, and no card joins them before it (one rated leaves them, or due again
today, is counted again); learning cards rated come back earlier than some buried."""


def _unburied(
    connection: Connection,
    profile_id: int,
    deck_id: int | None,
    states: tuple[int, ...],
    until: datetime,
    kept: "KeptQueue",
    last_topic: str | None,
) -> Any | None:
    """The card `_pick` takes from the first `CANDIDATES` cards of a queue that are not
    buried by the facts the sitting keeps (None: the queue has none), read page by page
    and row by row, as far as the pick needs (most often one row); the buried cards found
    at the front of the new and review queues are remembered, and not read again."""
    query = _unburied_candidates(len(states), deck_id is not None)
    params: dict[str, Any] = {"profile_id": profile_id, "deck_id": deck_id, "until": until}
    params.update((f"state{n}", state) for n, state in enumerate(states))
    after = kept.passed.get(states, FIRST)
    first: Any | None = None
    found = 0
    while True:
        read = 0
        page = {**params, "after_due": after[0], "after_id": after[1]}
        with query.rows(connection, page) as rows:
            for row in rows:
                read += 1
                after = (row.due, row.id)
                if kept.buried(row.id, row.deck_id, row.fact):
                    if first is None and states in PASSED:
                        kept.passed[states] = after
                    continue
                if row.topic != last_topic:
                    return row
                if first is None:  # the pick when every card is of the last topic
                    first = row
                found += 1
                if found >= CANDIDATES:
                    return first
        if read < PAGE:
            return first


def next_card(
    database: Database,
    profile: ProfileInfo,
    now: datetime,
    deck_id: int | None = None,
    last_topic: str | None = None,
) -> StudyCard | None:
    """The next card to study today (see `pick_next`), or None when nothing is left."""
    with database.engine.connect() as connection:
        return pick_next(connection, profile, now, deck_id, last_topic)


SLACK = 500
"""New cards and reviews a sitting counts past today's limits: while it has counted more
than a limit allows, burying a sibling of that kind leaves the count at the limit."""

Fact = tuple[int, str]
"""A bank fact in a deck: (deck id, fact); its questions are siblings."""


@dataclass(frozen=True)
class Sibling:
    """A card of the profile on the same fact as a card rated (not suspended or retired)."""

    question_id: int
    state: int
    due: datetime | None


@dataclass
class KeptQueue:
    """Today's counts kept by a study sitting and updated as its answers are rated, instead
    of counted again after each one: the study day (with the cards rated in it); the new
    cards and reviews found (counted up to `SLACK` past the limits: `more_new`,
    `more_reviews` say the counting stopped there) and what today's limits still allow;
    the learning cards due before the day ends with their due times (a learning card counts
    from `LEARN_AHEAD` before it is due); and the facts rated today, each with the one
    question rated (None: several, all of them buried). Rating the first card of a fact
    today buries its siblings: those counted are taken off. `rated` says when the update
    cannot be exact (a new day, a buried card rated, a review due again today, a limit
    reached with more cards past it than were counted): then the sitting counts again.
    `passed`: per queue, the (due, question id) up to which all its cards are buried
    (see `PASSED`)."""

    day: Today
    new_found: int
    new_left: int
    reviews_found: int
    reviews_left: int
    learning: dict[int, datetime] = field(default_factory=dict)
    rated_facts: dict[Fact, int | None] = field(default_factory=dict)
    more_new: bool = False
    more_reviews: bool = False
    passed: dict[tuple[int, ...], tuple[datetime, int]] = field(default_factory=dict)

    @property
    def new(self) -> int:
        return max(min(self.new_found, self.new_left), 0)

    @property
    def review(self) -> int:
        return max(min(self.reviews_found, self.reviews_left), 0)

    def learning_before(self, moment: datetime) -> bool:
        return any(due < moment for due in self.learning.values())

    def counts(self, now: datetime) -> QueueCounts:
        until = now + LEARN_AHEAD
        learning = sum(1 for due in self.learning.values() if due < until)
        return QueueCounts(self.new, learning, self.review)

    def buried(self, question_id: int, deck_id: int, fact: str | None) -> bool:
        """The card is a sibling of one rated today (a card rated itself is not buried
        unless a sibling was rated too)."""
        if fact is None or (deck_id, fact) not in self.rated_facts:
            return False
        return self.rated_facts[(deck_id, fact)] != question_id

    def buries(self, fact: Fact | None) -> bool:
        """Rating a card of this fact buries siblings not buried yet (read them first)."""
        return fact is not None and fact not in self.rated_facts

    def rated(
        self,
        question_id: int,
        before: CardSnapshot,
        after: CardSnapshot,
        now: datetime,
        fact: Fact | None = None,
        siblings: Sequence[Sibling] = (),
    ) -> bool:
        """Update the counts for one card rated (with its fact's `siblings` when it is the
        first of its fact rated today); False when they must be counted again."""
        if now >= self.day.end:
            return False
        if fact is not None:
            if self.rated_facts.setdefault(fact, question_id) != question_id:
                return False  # a buried card: a sibling was rated today
            for sibling in siblings:
                self._bury(sibling)
        if before.state == NEW:
            self.new_found -= 1
            self.new_left -= 1
            self.day = replace(self.day, new_done=self.day.new_done + 1)
        elif before.state == CardKind.REVIEW.value:
            self.reviews_found -= 1
            self.reviews_left -= 1
            self.day = replace(self.day, reviews_done=self.day.reviews_done + 1)
        elif self.learning.pop(question_id, None) is None:
            return False  # a learning card this sitting did not count
        due = after.due
        if due is None:
            return False
        if after.state in LEARNING:
            if due < self.day.end:
                self.learning[question_id] = due
        elif due < self.day.end:
            return False  # due again today in another queue
        return _exact(self.new_found, self.new_left, self.more_new) and _exact(
            self.reviews_found, self.reviews_left, self.more_reviews
        )

    def _bury(self, sibling: Sibling) -> None:
        """Take a sibling buried now off the counts that included it."""
        if sibling.state == NEW:
            self.new_found -= 1
        elif sibling.state in LEARNING:
            self.learning.pop(sibling.question_id, None)
        elif sibling.due is not None and sibling.due < self.day.end:
            self.reviews_found -= 1


def _exact(found: int, left: int, more: bool) -> bool:
    """The kept count of a kind is exact: all its cards were counted, or those counted are
    still at least what the limit allows (or none is allowed)."""
    if more:
        return left <= 0 or found >= left
    return found >= 0


# Suspended cards are left out in Python: a condition on `suspended` here leads SQLite
# (without statistics) to scan the profile's cards by `ix_card_states_queue` instead of
# finding the fact's few questions by `ix_questions_deck_fact`.
_SIBLINGS = Prepared(
    select(CardState.question_id, CardState.state, CardState.due, CardState.suspended)
    .select_from(Question)
    .join(CardState, CardState.question_id == Question.id)
    .where(
        Question.deck_id == bindparam("deck_id"),
        Question.fact == bindparam("fact"),
        Question.id != bindparam("question_id"),
        Question.retired_at.is_(None),
        CardState.profile_id == bindparam("profile_id"),
    )
)


def keep_rated(
    connection: Connection,
    kept: KeptQueue,
    profile_id: int,
    question_id: int,
    fact: Fact | None,
    before: CardSnapshot,
    after: CardSnapshot,
    now: datetime,
) -> bool:
    """Update the kept counts for one card rated, reading its siblings (one indexed
    statement, by deck and fact) when it buries them; False when they must be counted
    again."""
    siblings: list[Sibling] = []
    if kept.buries(fact):
        assert fact is not None
        rows = _SIBLINGS.all(
            connection,
            {
                "deck_id": fact[0],
                "fact": fact[1],
                "question_id": question_id,
                "profile_id": profile_id,
            },
        )
        siblings = [Sibling(*row[:3]) for row in rows if not row.suspended]
    return kept.rated(question_id, before, after, now, fact, siblings)


_RATED_FACTS = (
    select(Question.deck_id, Question.fact, func.min(Question.id), func.max(Question.id))
    .select_from(AnswerRecord)
    .join(Question, Question.id == AnswerRecord.question_id)
    .where(
        AnswerRecord.profile_id == bindparam("profile_id"),
        AnswerRecord.answered_at >= _bound("day_start"),
        AnswerRecord.rating.is_not(None),
        Question.fact.is_not(None),
    )
    .group_by(Question.deck_id, Question.fact)
)


@cache
def _kept_learning(by_deck: bool) -> Select[Any]:
    """The learning cards due before the day ends, with their due times: built once."""
    learning = _active(LEARNING, by_deck).where(CardState.due < _bound("day_end"))
    return learning.add_columns(CardState.due)


def kept_queue(
    connection: Connection, profile: ProfileInfo, now: datetime, deck_id: int | None
) -> KeptQueue:
    """Count today's queue once for a sitting (four statements) to keep it updated."""
    day = today(connection, profile, now)
    left = _left(connection, profile, day)
    params = _count_params(profile, now, deck_id, day, left, SLACK)
    by_deck = deck_id is not None
    new, _, reviews = connection.execute(_counts_statement(by_deck, False), params).one()
    rows = connection.execute(_kept_learning(by_deck), params).all()
    facts = connection.execute(_RATED_FACTS, params).all()
    return KeptQueue(
        day,
        int(new),
        left.new,
        int(reviews),
        left.reviews,
        {row[0]: row[1] for row in rows},
        {(deck, str(fact)): first if first == last else None for deck, fact, first, last in facts},
        more_new=new >= params["new_left"],
        more_reviews=reviews >= params["reviews_left"],
    )
