"""The answer path owned by the services (submit, rate, begin, end) on real databases:
unrated answers are settled, study days follow the learner's time zone through
daylight-saving changes, home counts are what studying offers, sessions are sittings, and
one answer costs at most two transactions."""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, func, select

from quiz.core.calendar import StudyCalendar
from quiz.core.scheduling import NEW, CardKind
from quiz.errors import QuizError
from quiz.services.bank import import_banks
from quiz.services.cards import StudyCard, cards_for, store_card, study_card, sync_cards
from quiz.services.database import Database
from quiz.services.mock_exam import answer_exam, start_exam
from quiz.services.profiles import (
    ProfileInfo,
    get_or_create_profile,
    study_more_new,
    update_profile_settings,
)
from quiz.services.progress import deck_progress, study_streak, today_stats
from quiz.services.queue import next_card, queue_counts
from quiz.services.reviewing import (
    StudyRun,
    begin,
    end,
    rate,
    revision_run,
    settle_unrated_answers,
    submit,
    undo,
)
from quiz.services.stats import statistics
from quiz.store.models import AnswerRecord, CardState, Question, StudySession
from tests.conftest import MINI_BANK, NOW
from tests.responses import respond
from tests.test_study import answer_card

STUDY_BANK = Path(__file__).parent / "data" / "study.yaml"
SIBLINGS_BANK = Path(__file__).parent / "data" / "siblings.yaml"
EASY = 4


def _profile(database: Database, name: str, time_zone: str = "UTC", **settings: int) -> ProfileInfo:
    profile = get_or_create_profile(database, name, NOW)
    sync_cards(database, profile.id)
    return update_profile_settings(database, profile.id, time_zone=time_zone, **settings)


def _state(database: Database, profile: ProfileInfo, question_id: int) -> CardState:
    with database.sessions() as session:
        state = session.get(CardState, (profile.id, question_id))
        assert state is not None
        return state


def _answers(database: Database) -> dict[int, AnswerRecord]:
    with database.sessions() as session:
        return {a.question_id: a for a in session.scalars(select(AnswerRecord))}


def _question_ids(database: Database, kind: str, leave_out: set[int]) -> list[int]:
    with database.sessions() as session:
        ids = session.scalars(
            select(Question.id).where(Question.type == kind).order_by(Question.id)
        )
        return [qid for qid in ids if qid not in leave_out]


@pytest.fixture
def ann(database: Database) -> ProfileInfo:
    return _profile(database, "ann")


# -- a. answers left unrated ----------------------------------------------------------


def test_revision_answers_left_unrated_are_settled_but_exam_answers_stay_unrated(
    database: Database, ann: ProfileInfo
) -> None:
    exam = start_exam(database, ann, NOW, count=3, time_limit_minutes=30, seed=5)
    on_exam = {q.question_id for q in exam.questions}
    exam_question = exam.questions[0]
    exam_answer = answer_exam(
        database,
        exam.paper_id,
        exam_question.question_id,
        respond(exam_question.question, right=False),
        1000,
        NOW,
    )
    wrong_id = _question_ids(database, "short_answer", on_exam)[0]
    recalled_id = _question_ids(database, "flashcard", on_exam)[0]

    run = revision_run(ann, cards_for(database, ann, [wrong_id, recalled_id], NOW))
    first = begin(database, run, NOW)
    assert first.card is not None and first.card.question_id == wrong_id
    assert first.counts.total == 2
    asked = [wrong_id, recalled_id]
    moments = [NOW + timedelta(minutes=1), NOW + timedelta(minutes=2)]
    for question_id, right, moment in zip(asked, (False, True), moments, strict=True):
        card = study_card(database, ann, question_id, moment)
        assert card is not None
        answer_card(database, run, card, moment, rating=None, right=right)
    # the app is closed before either answer is rated; review starts later:
    begin(database, StudyRun(ann), NOW + timedelta(hours=1))

    answers = _answers(database)
    assert answers[wrong_id].rating == 1  # wrong: Again
    assert answers[recalled_id].rating == 3  # the back was shown, nothing said: Good
    wrong = _state(database, ann, wrong_id)
    assert (wrong.state, wrong.reps, wrong.due) == (
        CardKind.LEARNING,
        1,
        moments[0] + timedelta(minutes=1),
    )
    recalled = _state(database, ann, recalled_id)
    assert (recalled.state, recalled.reps) == (CardKind.LEARNING, 1)
    assert recalled.due == moments[1] + timedelta(minutes=10)
    assert recalled.last_review == moments[1]  # rated at the time it was given

    assert answers[exam_question.question_id].id == exam_answer.answer_id
    assert answers[exam_question.question_id].rating is None
    untouched = _state(database, ann, exam_question.question_id)
    assert (untouched.state, untouched.reps, untouched.last_review) == (NEW, 0, None)
    with database.sessions() as session:
        revision = session.get(StudySession, run.session_id)
        paper = session.get(StudySession, exam.paper_id)
        assert revision is not None and revision.kind == "revision"
        assert revision.ended_at == moments[1]  # closed at its last answer
        assert paper is not None and paper.ended_at is None  # the exam is not closed
    assert settle_unrated_answers(database, ann) == 0


# -- b. a daylight-saving change --------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A daylight-saving change in Europe/London and moments around it (UTC). The study
    day starts at 04:00 local time."""

    name: str
    day_before: date  # the study day that spans the change
    starts: datetime  # its start (UTC)
    ends: datetime  # its end: 04:00 local on the change day
    hours: int  # its length
    late: datetime  # 03:30 local on the change day: still `day_before`
    early: datetime  # 04:30 local on the change day: the next study day
    # Answers on consecutive study days whose UTC times a fixed offset would misplace.
    streak: tuple[datetime, ...]
    streak_now: datetime


SPRING = Change(  # BST starts 2026-03-29 01:00 UTC: 01:00 GMT becomes 02:00 BST
    "spring",
    date(2026, 3, 28),
    datetime(2026, 3, 28, 4, 0, tzinfo=UTC),
    datetime(2026, 3, 29, 3, 0, tzinfo=UTC),
    23,
    datetime(2026, 3, 29, 2, 30, tzinfo=UTC),
    datetime(2026, 3, 29, 3, 30, tzinfo=UTC),
    (
        datetime(2026, 3, 27, 12, 0, tzinfo=UTC),  # 27th
        datetime(2026, 3, 29, 2, 30, tzinfo=UTC),  # 03:30 BST: the 28th
        datetime(2026, 3, 29, 3, 30, tzinfo=UTC),  # 04:30 BST: the 29th (in GMT: the 28th)
        datetime(2026, 3, 30, 3, 15, tzinfo=UTC),  # 04:15 BST: the 30th (in GMT: the 29th)
    ),
    datetime(2026, 3, 30, 12, 0, tzinfo=UTC),
)
AUTUMN = Change(  # BST ends 2026-10-25 01:00 UTC: 02:00 BST becomes 01:00 GMT
    "autumn",
    date(2026, 10, 24),
    datetime(2026, 10, 24, 3, 0, tzinfo=UTC),
    datetime(2026, 10, 25, 4, 0, tzinfo=UTC),
    25,
    datetime(2026, 10, 25, 3, 30, tzinfo=UTC),
    datetime(2026, 10, 25, 4, 30, tzinfo=UTC),
    (
        datetime(2026, 10, 23, 12, 0, tzinfo=UTC),  # 23rd
        datetime(2026, 10, 25, 3, 30, tzinfo=UTC),  # 03:30 GMT: the 24th (in BST: the 25th)
        datetime(2026, 10, 26, 3, 30, tzinfo=UTC),  # 03:30 GMT: the 25th (in BST: the 26th)
    ),
    datetime(2026, 10, 26, 12, 0, tzinfo=UTC),
)
CHANGES = pytest.mark.parametrize("change", [SPRING, AUTUMN], ids=lambda c: c.name)


@pytest.fixture
def london(database: Database) -> ProfileInfo:
    return _profile(database, "lou", "Europe/London")


@CHANGES
def test_a_study_day_across_the_change_is_23_or_25_hours(
    london: ProfileInfo, change: Change
) -> None:
    calendar = london.calendar
    assert calendar.day_start(change.day_before) == change.starts
    noon = change.starts + timedelta(hours=8)
    assert calendar.bounds(noon) == (change.starts, change.ends)
    assert change.ends - change.starts == timedelta(hours=change.hours)
    assert calendar.study_date(change.late) == change.day_before
    assert calendar.bounds(change.late) == (change.starts, change.ends)
    assert calendar.study_date(change.ends - timedelta(microseconds=1)) == change.day_before
    assert calendar.study_date(change.ends) == change.day_before + timedelta(days=1)
    assert calendar.study_date(change.early) == change.day_before + timedelta(days=1)
    assert calendar.bounds(change.early)[0] == change.ends


@CHANGES
@pytest.mark.parametrize("hour", range(24))
def test_every_moment_lies_in_its_study_days_bounds(change: Change, hour: int) -> None:
    """Whatever hour the day starts at (one that is skipped or repeated included), each
    moment around the change is inside the bounds of its study day."""
    calendar = StudyCalendar(ZoneInfo("Europe/London"), hour)
    for quarter in range(4 * 24 * 4):
        moment = change.starts - timedelta(days=2) + timedelta(minutes=15 * quarter)
        start, end_ = calendar.bounds(moment)
        assert start <= moment < end_
        assert calendar.study_date(start) == calendar.study_date(moment)
        assert end_ - start in {timedelta(hours=n) for n in (23, 24, 25)}


@CHANGES
def test_an_answer_at_half_past_three_counts_to_the_previous_day(
    database: Database, london: ProfileInfo, change: Change
) -> None:
    run = StudyRun(london)
    for moment in (change.starts + timedelta(hours=8), change.late):
        card = next_card(database, london, moment)
        assert card is not None
        answer_card(database, run, card, moment, rating=EASY)
    just_before = change.ends - timedelta(minutes=1)
    today = today_stats(database, london, just_before)
    assert (today.answers, today.correct) == (2, 2)
    stats = statistics(database, london, just_before)
    assert (stats.days[-1].day, stats.days[-1].answers) == (change.day_before, 2)
    deck = deck_progress(database, london, just_before)[0]
    assert deck.studied_today == 2
    assert today.new_available == london.new_per_day - 2

    next_day = today_stats(database, london, change.early)
    assert (next_day.answers, next_day.new_available) == (0, london.new_per_day)
    stats = statistics(database, london, change.early)
    assert stats.days[-1].day == change.day_before + timedelta(days=1)
    assert stats.days[-1].answers == 0 and stats.days[-2].answers == 2
    assert deck_progress(database, london, change.early)[0].studied_today == 0


@CHANGES
def test_the_streak_over_the_change_counts_consecutive_days(
    database: Database, london: ProfileInfo, change: Change
) -> None:
    for n, moment in enumerate(change.streak):
        card = next_card(database, london, moment)
        assert card is not None
        answer_card(database, StudyRun(london), card, moment, rating=EASY)
        days = n + 1  # each answer is on the next study day
        assert study_streak(database, london, moment) == days
        assert statistics(database, london, moment).streak_days == days
    days = len(change.streak)
    assert study_streak(database, london, change.streak_now) == days  # today may still come
    assert statistics(database, london, change.streak_now).streak_days == days


def _review_due(database: Database, profile: ProfileInfo, question_id: int, due: datetime) -> None:
    """Make a card a review due at `due`: studied (Easy) a week before, then moved."""
    studied = due - timedelta(days=7)
    card = study_card(database, profile, question_id, studied)
    assert card is not None
    answer_card(database, StudyRun(profile), card, studied, rating=EASY)
    after = study_card(database, profile, question_id, studied)
    assert after is not None and after.kind == CardKind.REVIEW
    with database.engine.begin() as connection:
        store_card(connection, profile.id, question_id, replace(after.snapshot, due=due))


@CHANGES
def test_a_review_due_just_before_the_local_day_ends_is_counted_and_offered(
    database: Database, london: ProfileInfo, change: Change
) -> None:
    london = update_profile_settings(database, london.id, new_per_day=0)
    before_id, after_id = _question_ids(database, "short_answer", set())[:2]
    _review_due(database, london, before_id, change.ends - timedelta(minutes=1))
    _review_due(database, london, after_id, change.ends + timedelta(minutes=1))
    evening = change.starts + timedelta(hours=16)

    counts = queue_counts(database, london, evening)
    assert (counts.new, counts.learning, counts.review) == (0, 0, 1)
    assert deck_progress(database, london, evening)[0].due == 1
    run = StudyRun(london)
    first = begin(database, run, evening)
    assert first.counts == counts
    assert first.card is not None and first.card.question_id == before_id
    answer_id = answer_card(database, run, first.card, evening, rating=None)
    after = rate(database, run, answer_id, EASY, evening, seed=1)
    assert after.card is None and after.counts.total == 0  # the other is due tomorrow
    assert next_card(database, london, change.ends - timedelta(seconds=1)) is None

    counts = queue_counts(database, london, change.early)
    assert (counts.new, counts.learning, counts.review) == (0, 0, 1)
    offered = next_card(database, london, change.early)
    assert offered is not None and offered.question_id == after_id


# -- c. home counts are what studying offers -------------------------------------------


def _study_deck(
    database: Database, profile: ProfileInfo, deck_id: int, now: datetime
) -> list[StudyCard]:
    """Study a deck until nothing is offered, rating every answer Easy."""
    run = StudyRun(profile, deck_id=deck_id)
    offered = []
    card = begin(database, run, now).card
    while card is not None:
        assert card.deck_id == deck_id
        offered.append(card)
        answer_id = answer_card(database, run, card, now, rating=None)
        card = rate(database, run, answer_id, EASY, now, seed=len(offered)).card
    return offered


def _history(database: Database, profile: ProfileInfo) -> None:
    """Earlier study in every deck, on its first cards: a month ago rated Easy (reviews
    due by now), two days ago rated Again or Good (learning cards due now) or Easy (a
    review not due yet). The built-in bank's first nine questions are on nine different
    facts, so studying one of them buries none of the others."""
    month_ago, two_days_ago = NOW - timedelta(days=30), NOW - timedelta(days=2)
    plan = {"treaty-of-paris-1856": (6, [1, 3, EASY]), "study": (2, [1, 3]), "mini": (1, [1])}
    decks = {d.name: d.deck_id for d in deck_progress(database, profile, NOW)}
    for name, (reviews, later) in plan.items():
        with database.sessions() as session:
            ids = list(
                session.scalars(
                    select(Question.id).where(Question.deck_id == decks[name]).order_by(Question.id)
                )
            )
        run = StudyRun(profile, deck_id=decks[name])
        studied = [(month_ago, EASY)] * reviews + [(two_days_ago, rating) for rating in later]
        for question_id, (moment, rating) in zip(ids, studied, strict=False):
            card = study_card(database, profile, question_id, moment)
            assert card is not None and card.kind == CardKind.NEW
            answer_card(database, run, card, moment, rating=rating, right=rating > 1)


LIMITS = [
    {"new_per_day": 3},
    {"new_per_day": 0},
    {"new_per_day": 25},
    {"new_per_day": 5, "max_reviews_per_day": 2},
]


@pytest.mark.parametrize("limits", LIMITS, ids=lambda d: ",".join(f"{k}={v}" for k, v in d.items()))
def test_home_counts_are_the_cards_studying_offers(
    database: Database, limits: dict[str, int]
) -> None:
    import_banks(database, [MINI_BANK, STUDY_BANK], NOW)
    profile = _profile(database, "cara")
    _history(database, profile)
    profile = update_profile_settings(database, profile.id, **limits)
    offered_kinds: Counter[CardKind] = Counter()
    for deck in deck_progress(database, profile, NOW):
        home = next(d for d in deck_progress(database, profile, NOW) if d.deck_id == deck.deck_id)
        counts = queue_counts(database, profile, NOW, deck.deck_id)
        assert (home.new, home.learning, home.due) == (counts.new, counts.learning, counts.review)
        offered = _study_deck(database, profile, deck.deck_id, NOW)
        ids = [card.question_id for card in offered]
        assert len(set(ids)) == len(ids) == home.new + home.learning + home.due == counts.total
        kinds = Counter(
            CardKind.LEARNING if c.kind == CardKind.RELEARNING else c.kind for c in offered
        )
        assert (kinds[CardKind.NEW], kinds[CardKind.LEARNING], kinds[CardKind.REVIEW]) == (
            home.new,
            home.learning,
            home.due,
        )
        offered_kinds += kinds
        assert queue_counts(database, profile, NOW, deck.deck_id).total == 0
    # the limits hold over all decks: 9 reviews due, 5 learning cards, 174 + 1 + 1 new
    assert offered_kinds[CardKind.NEW] == profile.new_per_day
    assert offered_kinds[CardKind.REVIEW] == min(9, profile.max_reviews_per_day)
    assert offered_kinds[CardKind.LEARNING] == 5


@pytest.mark.parametrize("limits", LIMITS, ids=lambda d: ",".join(f"{k}={v}" for k, v in d.items()))
def test_home_counts_are_what_studying_offers_while_siblings_are_buried(
    database: Database, limits: dict[str, int]
) -> None:
    """A deck whose questions share facts: after every rating, home's counts, the queue's
    counts and the card offered agree, no buried sibling is offered, and the next study day
    offers the siblings left."""
    import_banks(database, [SIBLINGS_BANK], NOW)
    profile = _profile(database, "cara", **limits)
    deck_id = next(d.deck_id for d in deck_progress(database, profile, NOW) if d.name == "siblings")
    facts = {**dict.fromkeys(["sib-signed-sa", "sib-signed-mc", "sib-signed-tf"], "signed")}
    facts |= dict.fromkeys(["sib-war-sa", "sib-war-tf"], "war")
    offered_keys: list[str] = []
    for day in range(3):
        now = NOW + timedelta(days=day)
        rated_facts: set[str] = set()
        run = StudyRun(profile, deck_id=deck_id)
        nxt = begin(database, run, now)
        while True:
            home = next(d for d in deck_progress(database, profile, now) if d.deck_id == deck_id)
            counts = queue_counts(database, profile, now, deck_id)
            shown = (nxt.counts.new, nxt.counts.learning, nxt.counts.review)
            assert shown == (counts.new, counts.learning, counts.review)
            assert (home.new, home.learning, home.due) == shown
            assert (nxt.card is None) == (counts.total == 0)
            if nxt.card is None:
                break
            fact = facts.get(nxt.card.key)
            assert fact is None or fact not in rated_facts  # a sibling waits for tomorrow
            if fact is not None:
                rated_facts.add(fact)
            offered_keys.append(nxt.card.key)
            answer_id = answer_card(database, run, nxt.card, now, rating=None)
            nxt = rate(database, run, answer_id, EASY, now, seed=len(offered_keys))
    if limits["new_per_day"] >= 3:
        assert sorted(offered_keys) == sorted([*facts, "sib-begun"])  # all six over 3 days


def test_when_only_the_new_limit_holds_cards_back_nothing_is_left(database: Database) -> None:
    profile = _profile(database, "dan", new_per_day=3)
    deck_id = deck_progress(database, profile, NOW)[0].deck_id
    assert len(_study_deck(database, profile, deck_id, NOW)) == 3
    after = begin(database, StudyRun(profile), NOW + timedelta(minutes=1))
    assert after.card is None
    assert after.counts.total == 0
    assert after.counts.new_held > 0
    assert (after.counts.reviews_held, after.counts.later_today) == (0, 0)
    home = deck_progress(database, profile, NOW + timedelta(minutes=1))[0]
    assert (home.new, home.learning, home.due, home.studied_today) == (0, 0, 0, 3)


def test_study_more_today_raises_home_and_the_queue_alike_for_today_only(
    database: Database,
) -> None:
    profile = _profile(database, "eve", new_per_day=3)
    deck_id = deck_progress(database, profile, NOW)[0].deck_id
    assert len(_study_deck(database, profile, deck_id, NOW)) == 3
    later = NOW + timedelta(minutes=30)  # the learning steps are over: nothing else due
    profile = study_more_new(database, profile.id, 4, later)
    profile = study_more_new(database, profile.id, 1, later)  # added to today's extra
    home = deck_progress(database, profile, later)[0]
    counts = queue_counts(database, profile, later, deck_id)
    assert (home.new, counts.new) == (5, 5)
    offered = _study_deck(database, profile, deck_id, later)
    assert [c.kind for c in offered].count(CardKind.NEW) == 5
    assert queue_counts(database, profile, later, deck_id).new == 0
    assert deck_progress(database, profile, later)[0].new == 0
    tomorrow = NOW + timedelta(days=1)  # the extra was for one day: the setting holds again
    assert deck_progress(database, profile, tomorrow)[0].new == 3
    assert queue_counts(database, profile, tomorrow, deck_id).new == 3
    with pytest.raises(QuizError):
        study_more_new(database, profile.id, 0, later)


# -- d. sessions ------------------------------------------------------------------------


def _sessions(database: Database) -> list[StudySession]:
    with database.sessions() as session:
        return list(session.scalars(select(StudySession).order_by(StudySession.id)))


def test_a_run_has_no_session_until_its_first_answer(database: Database, ann: ProfileInfo) -> None:
    deck_id = deck_progress(database, ann, NOW)[0].deck_id
    run = StudyRun(ann, deck_id=deck_id)
    card = begin(database, run, NOW).card
    assert card is not None
    assert undo(database, run, NOW) is None
    assert run.session_id is None and _sessions(database) == []
    answer_card(database, run, card, NOW + timedelta(seconds=20), rating=None)
    [study] = _sessions(database)
    assert study.id == run.session_id
    assert (study.kind, study.deck_id, study.started_at, study.ended_at) == (
        "review",
        deck_id,
        NOW + timedelta(seconds=20),
        None,
    )


def test_ending_a_run_with_no_answers_writes_nothing(database: Database, ann: ProfileInfo) -> None:
    run = StudyRun(ann)
    begin(database, run, NOW)
    with _commits(database) as commits:
        assert end(database, run, NOW + timedelta(minutes=5)) is None
    assert commits == []
    assert _sessions(database) == []


def test_leaving_and_coming_back_gives_two_sessions_each_summarised_alone(
    database: Database, ann: ProfileInfo
) -> None:
    first = StudyRun(ann)
    card = begin(database, first, NOW).card
    assert card is not None
    answer_card(database, first, card, NOW, rating=EASY)
    card = next_card(database, ann, NOW + timedelta(seconds=30))
    assert card is not None
    answer_card(database, first, card, NOW + timedelta(seconds=30), rating=1, right=False)
    summary = end(database, first, NOW + timedelta(minutes=1))
    assert summary is not None
    assert (summary.cards, summary.correct, summary.seconds) == (2, 1, 60)

    back = NOW + timedelta(hours=1)
    second = StudyRun(ann)
    card = begin(database, second, back).card
    assert card is not None and second.session_id is None
    answer_card(database, second, card, back, rating=EASY)
    summary = end(database, second, back + timedelta(minutes=2))
    assert summary is not None
    assert (summary.cards, summary.correct, summary.seconds) == (1, 1, 120)

    sessions = _sessions(database)
    assert [s.id for s in sessions] == [first.session_id, second.session_id]
    assert [(s.started_at, s.ended_at) for s in sessions] == [
        (NOW, NOW + timedelta(minutes=1)),
        (back, back + timedelta(minutes=2)),
    ]
    with database.sessions() as session:
        per_session = dict(
            session.execute(
                select(AnswerRecord.session_id, func.count()).group_by(AnswerRecord.session_id)
            ).all()
        )
    assert per_session == {first.session_id: 2, second.session_id: 1}
    assert today_stats(database, ann, back).answers == 3  # the day counts both


# -- e. transactions ------------------------------------------------------------------


@contextmanager
def _commits(database: Database) -> Iterator[list[int]]:
    """The commits on the database's engine while the block runs."""
    found: list[int] = []

    def count(connection: object) -> None:
        found.append(1)

    event.listen(database.engine, "commit", count)
    try:
        yield found
    finally:
        event.remove(database.engine, "commit", count)


@pytest.mark.parametrize("kind", ["review", "revision"])
def test_one_answer_is_two_transactions(database: Database, ann: ProfileInfo, kind: str) -> None:
    if kind == "review":
        run = StudyRun(ann)
        card = begin(database, run, NOW).card
    else:
        ids = _question_ids(database, "short_answer", set())[:3]
        run = revision_run(ann, cards_for(database, ann, ids, NOW))
        card = begin(database, run, NOW).card
    for n in range(3):  # the first answer also starts the session
        assert card is not None
        moment = NOW + timedelta(seconds=10 * n)
        with _commits(database) as found:
            outcome = submit(database, run, card.question_id, respond(card.question), 900, moment)
            card = rate(database, run, outcome.answer_id, EASY, moment, seed=n).card
        assert len(found) == 2


@pytest.mark.parametrize("limits", LIMITS, ids=lambda d: ",".join(f"{k}={v}" for k, v in d.items()))
def test_the_counts_a_sitting_keeps_are_the_counts_counted_afresh(
    database: Database, limits: dict[str, int]
) -> None:
    """A sitting updates today's counts as it rates answers (Again, Hard, Good, Easy in
    turn, minutes apart, siblings buried on the way) instead of counting them again:
    after every answer they are what counting afresh gives, until nothing is left."""
    import_banks(database, [MINI_BANK, STUDY_BANK, SIBLINGS_BANK], NOW)
    profile = _profile(database, "dora")
    _history(database, profile)
    profile = update_profile_settings(database, profile.id, **limits)
    run = StudyRun(profile)
    step = begin(database, run, NOW)
    moment = NOW
    for n in range(400):
        assert step.counts == queue_counts(database, profile, moment) or not step.counts.total
        if step.card is None:
            break
        moment += timedelta(minutes=3)
        outcome = submit(
            database, run, step.card.question_id, respond(step.card.question), 900, moment
        )
        step = rate(database, run, outcome.answer_id, 1 + n % 4, moment, seed=n)
    assert step.card is None and step.counts.total == 0
    assert queue_counts(database, profile, moment).total == 0


def _answer_steadily(database: Database, run: StudyRun, answers: int) -> None:
    """Answer `answers` cards of `run` at ten-second steps, each after the first (which
    also starts the session) in at most six statements."""
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    card = begin(database, run, NOW).card
    event.listen(database.engine, "before_cursor_execute", count)
    try:
        for n in range(answers):
            assert card is not None
            statements.clear()
            moment = NOW + timedelta(seconds=10 * n)
            outcome = submit(database, run, card.question_id, respond(card.question), 900, moment)
            card = rate(database, run, outcome.answer_id, EASY, moment, seed=n).card
            if n:  # the first answer also starts the session
                assert 4 <= len(statements) <= 6, statements  # read, save; rate, store, next
    finally:
        event.remove(database.engine, "before_cursor_execute", count)


def test_a_steady_answer_is_at_most_six_statements(database: Database) -> None:
    """On cards without siblings: submit reads the card and saves the answer; rate saves
    the rating and the card and reads the next card (the counts are kept by the sitting)."""
    import_banks(database, [STUDY_BANK], NOW)
    ann = _profile(database, "ann")
    deck = next(d for d in deck_progress(database, ann, NOW) if d.title.lower().startswith("st"))
    run = StudyRun(ann, deck_id=deck.deck_id)
    _answer_steadily(database, run, 4)


def _facts_bank(folder: Path, facts: int = 24, alone: int = 5) -> Path:
    """A deck whose questions are nearly all siblings: `facts` facts of three short-answer
    questions each, and `alone` questions on no fact."""
    lines = ["deck: facts", "title: Facts deck", "material: material.txt", "questions:"]
    sources: list[str] = []
    keys = [(f"f{k}-{n}", f"fact-{k}") for k in range(facts) for n in range(3)]
    keys += [(f"alone-{n}", None) for n in range(alone)]
    for key, fact in keys:
        lines += [f"  - id: {key}"] + ([f"    fact: {fact}"] if fact else [])
        lines += [
            "    type: short_answer",
            f"    topic: topic {key[:3]}",
            "    difficulty: 1",
            f"    prompt: What is {key}?",
            f"    answer: answer {key}",
            f"    explanation: Fact {key}.",
            f"    source: fact {key}",
        ]
        sources.append(f"fact {key}")
    (folder / "material.txt").write_text("\n".join(sources) + "\n", encoding="utf-8")
    path = folder / "facts.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# Per fact (k % 6), its three questions' earlier study: Easy a month ago (a review due by
# now), Again two days ago (a learning card due now; LATER: then due two hours from now,
# so that a sibling is rated before it), or none (new).
LATER = 0
_FACT_PLANS: list[list[int | None]] = [
    [EASY, 1, None],
    [None, None, None],
    [EASY, EASY, None],
    [1, None, None],
    [EASY, LATER, None],
    [None, LATER, None],
]


def _sibling_history(database: Database, profile: ProfileInfo, deck_id: int) -> None:
    """Earlier study of the facts deck, so that rating a card today buries siblings that
    are new cards, learning cards and reviews due today."""
    month_ago, two_days_ago = NOW - timedelta(days=30), NOW - timedelta(days=2)
    with database.sessions() as session:
        rows = session.execute(
            select(Question.id, Question.key).where(Question.deck_id == deck_id)
        ).all()
    run = StudyRun(profile, deck_id=deck_id)
    for question_id, key in rows:
        if not key.startswith("f"):
            continue
        fact, n = (int(part) for part in key[1:].split("-"))
        rating = _FACT_PLANS[fact % len(_FACT_PLANS)][n]
        if rating is None:
            continue
        moment = month_ago if rating == EASY else two_days_ago
        card = study_card(database, profile, question_id, moment)
        assert card is not None and card.kind == CardKind.NEW
        answer_card(database, run, card, moment, rating=rating or 1, right=rating > 1)
        if rating == LATER:
            learning = study_card(database, profile, question_id, moment)
            assert learning is not None and learning.kind == CardKind.LEARNING
            with database.engine.begin() as connection:
                later = replace(learning.snapshot, due=NOW + timedelta(hours=2))
                store_card(connection, profile.id, question_id, later)


SIBLING_LIMITS = [
    # (limits, slack, the whole collection rather than the facts deck)
    ({"new_per_day": 4}, None, False),  # new capped, more new past the cap than buried
    ({"new_per_day": 4}, 0, False),  # ... with no slack: a buried new sibling counts again
    ({"new_per_day": 6, "max_reviews_per_day": 3}, 1, False),  # both capped, little slack
    ({"new_per_day": 100}, None, False),  # nothing capped: every card counted exactly
    ({"new_per_day": 0, "max_reviews_per_day": 0}, None, False),  # learning cards only
    ({"new_per_day": 4, "max_reviews_per_day": 5}, None, True),  # all decks, limits shared
]


@pytest.mark.parametrize(
    ("limits", "slack", "everywhere"),
    SIBLING_LIMITS,
    ids=lambda v: ",".join(f"{k}={n}" for k, n in v.items()) if isinstance(v, dict) else str(v),
)
def test_kept_counts_stay_exact_while_siblings_are_buried(
    database: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    limits: dict[str, int],
    slack: int | None,
    everywhere: bool,
) -> None:
    """On a deck where nearly every card has siblings (new, learning and due), burying
    them as cards are rated keeps the counts a sitting keeps what counting afresh gives,
    at every limit: a capped count stays at its cap while more cards are past it than
    were buried. The sitting counts again only when it cannot know (no slack left past a
    capped limit); with the default slack, only when the queue seems empty."""
    import quiz.services.queue as queue

    if slack is not None:
        monkeypatch.setattr(queue, "SLACK", slack)
    import_banks(database, [_facts_bank(tmp_path)], NOW)
    profile = _profile(database, "eve")
    deck_id = next(d.deck_id for d in deck_progress(database, profile, NOW) if d.name == "facts")
    _sibling_history(database, profile, deck_id)
    profile = update_profile_settings(database, profile.id, **limits)
    scope = None if everywhere else deck_id
    run = StudyRun(profile, deck_id=scope)
    step = begin(database, run, NOW)
    moment, recounts, rated = NOW, 0, 0
    first_of_fact: dict[str, str] = {}  # fact -> the key of its card rated today
    for n in range(300):
        assert (
            step.counts == queue_counts(database, profile, moment, scope) or not step.counts.total
        )
        if step.card is None:
            break
        fact = step.card.question.fact
        if fact is not None and step.card.deck_id == deck_id:  # a sibling waits for tomorrow
            assert first_of_fact.setdefault(fact, step.card.key) == step.card.key
        moment += timedelta(minutes=3)
        kept = run.kept
        outcome = submit(
            database, run, step.card.question_id, respond(step.card.question), 900, moment
        )
        step = rate(database, run, outcome.answer_id, 1 + n % 4, moment, seed=n)
        rated += 1
        recounts += run.kept is not kept and step.counts.total > 0
    assert step.card is None and step.counts.total == 0
    assert queue_counts(database, profile, moment, scope).total == 0
    assert rated > 10
    if slack is None:
        assert recounts == 0
    elif slack == 0:
        assert recounts > 0  # the fallback was taken


def test_a_steady_answer_on_siblings_is_at_most_six_statements(
    database: Database, tmp_path: Path
) -> None:
    """Rating a card whose siblings it buries adds one statement (its siblings, by deck and
    fact) to the path of a card without siblings: the counts are not counted again."""
    import_banks(database, [_facts_bank(tmp_path)], NOW)
    profile = _profile(database, "fay", new_per_day=20)
    deck_id = next(d.deck_id for d in deck_progress(database, profile, NOW) if d.name == "facts")
    _sibling_history(database, profile, deck_id)
    run = StudyRun(profile, deck_id=deck_id)
    _answer_steadily(database, run, 12)
