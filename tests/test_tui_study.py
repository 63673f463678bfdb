"""A whole study session in the TUI, driven with the Pilot against a real SQLite file,
with the clock under the test's control."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import Input, Static

from quiz.services.bank import import_banks
from quiz.services.database import Database, open_database
from quiz.services.profiles import find_profile
from quiz.store.models import AnswerRecord, CardState, Question
from quiz.tui.app import QuizApp, make_app
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.review import Phase, ReviewScreen
from quiz.tui.widgets.choices import ChoiceList
from quiz.tui.widgets.feedback import AnswerFeedback, RatingBar, rating_line

from .conftest import NOW, SCREEN_SIZES

SIZE = (100, 30)
STUDY_BANK = Path(__file__).parent / "data" / "study.yaml"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def study_database(sqlite_url: str) -> Iterator[Database]:
    """A SQLite database holding only the study deck: two short answers, a multiple
    choice, a cloze and a flashcard, studied in that order when new."""
    db = open_database(sqlite_url, NOW, import_builtin=False)
    import_banks(db, [STUDY_BANK], NOW)
    yield db
    db.close()


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*["space" if c == " " else c for c in text])


def review(app: QuizApp) -> ReviewScreen:
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


def current_key(app: QuizApp) -> str:
    card = review(app).card
    assert card is not None
    return card.key


def answers(db: Database) -> list[AnswerRecord]:
    with db.sessions() as session:
        return list(session.scalars(select(AnswerRecord).order_by(AnswerRecord.id)))


def card_state(db: Database, key: str) -> CardState:
    with db.sessions() as session:
        state = session.scalar(
            select(CardState)
            .join(Question, Question.id == CardState.question_id)
            .where(Question.key == key)
        )
        assert state is not None
        return state


def text_of(app: QuizApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def start_studying(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("enter")
    await pilot.pause()


async def test_a_full_study_session(study_database: Database) -> None:
    db = study_database
    clock = Clock(NOW)
    app = make_app(db, profile_name="ann", clock=clock, seed=7)
    async with app.run_test(size=SIZE) as pilot:
        await start_studying(pilot)
        screen = review(app)
        assert "5 new" in text_of(app, "#progress")

        # 1. a typed answer, right (written another way): rated Easy with key 4
        assert current_key(app) == "st-signed"
        assert isinstance(app.focused, Input)
        await type_text(pilot, "march 30, 1856")
        await pilot.press("enter")
        assert screen.phase is Phase.GRADED
        assert "✓ Correct" in text_of(app, "#verdict")
        assert not screen.query_one("#diff").display
        assert len(answers(db)) == 1 and answers(db)[0].rating is None  # saved before rating
        assert "4 Easy" in str(screen.query_one(RatingBar).render())
        clock.advance(seconds=20)
        await pilot.press("4")

        # 2. a typed answer, wrong: the difference is shown; space takes the suggested Again
        assert current_key(app) == "st-war"
        await type_text(pilot, "The Crimmean Wor")
        await pilot.press("enter")
        assert "✗ Not right" in text_of(app, "#verdict")
        diff = text_of(app, "#diff")
        assert "You typed  The Crimmean Wor" in diff
        assert "Expected   The Crimean War" in diff
        assert screen.query_one("#diff").display
        assert screen.query_one(AnswerFeedback).has_class("-wrong")
        assert "space/Enter: Again" in str(screen.query_one(RatingBar).render())
        clock.advance(seconds=20)
        await pilot.press("space")

        # 3. multiple choice by number key (options shuffled), rated Good with Enter
        assert current_key(app) == "st-begun"
        choices = screen.query_one(ChoiceList)
        assert sorted(choices.options) == sorted(
            ["23 October 1853", "30 March 1856", "23 October 1854", "1 January 1850"]
        )
        right = choices.options.index("23 October 1853") + 1
        await pilot.press(str(right))
        assert screen.phase is Phase.GRADED
        assert "✓ Correct" in text_of(app, "#verdict")
        clock.advance(seconds=20)
        await pilot.press("enter")

        # 4. a cloze: Enter goes from gap to gap, then checks; rated Easy
        assert current_key(app) == "st-cloze"
        await type_text(pilot, "30 March 1856")
        await pilot.press("enter")
        assert app.focused is screen.query_one("#gap-2", Input)
        await type_text(pilot, "Crimean War")
        await pilot.press("enter")
        assert "✓ Correct" in text_of(app, "#verdict")
        clock.advance(seconds=20)
        await pilot.press("4")

        # 5. a flashcard: space reveals the back; rated Good with key 3 ...
        assert current_key(app) == "st-card"
        assert screen.phase is Phase.ASKING
        await pilot.press("space")
        assert screen.phase is Phase.GRADED
        assert "23 October 1853" in text_of(app, "#verdict")
        before = card_state(db, "st-card")
        assert before.state == 0 and before.reps == 0
        clock.advance(seconds=20)
        await pilot.press("3")
        assert card_state(db, "st-card").reps == 1
        count = len(answers(db))

        # ... then undone: its answer row is gone, its card is new again and shown again
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert len(answers(db)) == count - 1
        assert all(a.response != {"revealed": True} for a in answers(db))
        after = card_state(db, "st-card")
        assert (after.state, after.reps, after.due, after.last_review) == (
            before.state,
            before.reps,
            before.due,
            before.last_review,
        )
        assert current_key(app) == "st-card" and screen.phase is Phase.ASKING
        await pilot.press("space", "4")

        # Half an hour later, the two learning cards (Again and Good) come back
        clock.advance(minutes=30)
        keys = set()
        for _ in range(2):
            key = current_key(app)
            keys.add(key)
            if key == "st-war":
                await type_text(pilot, "the crimean war")
                await pilot.press("enter")
            else:
                options = screen.query_one(ChoiceList).options
                await pilot.press(str(options.index("23 October 1853") + 1))
            assert "✓ Correct" in text_of(app, "#verdict")
            clock.advance(seconds=30)
            await pilot.press("4")
        assert keys == {"st-war", "st-begun"}

        # Nothing left: the summary
        assert screen.phase is Phase.DONE
        summary = screen.summary
        assert summary is not None
        assert (summary.cards, summary.correct) == (7, 6)
        assert summary.seconds == (clock.now - NOW).total_seconds() == 31 * 60 + 100
        shown = text_of(app, "#summary")
        assert "Cards studied   7" in shown
        assert "Accuracy        86%" in shown
        assert f"Due tomorrow    {summary.due_tomorrow}" in shown
        assert "0 new" in text_of(app, "#progress")

        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)

    # The answers table holds exactly what was given, in order
    rows = answers(db)
    given = [(a.response, a.correct, a.rating) for a in rows]
    for response, _, _ in given:
        if "shown" in response:  # the options in the order they were shown
            assert sorted(response.pop("shown")) == sorted(choices.options)
    assert given == [
        ({"typed": "march 30, 1856"}, True, 4),
        ({"typed": "The Crimmean Wor"}, False, 1),
        ({"selected": ["23 October 1853"]}, True, 3),
        ({"gaps": ["30 March 1856", "Crimean War"]}, True, 4),
        ({"revealed": True}, True, 4),
        ({"typed": "the crimean war"}, True, 4),
        ({"selected": ["23 October 1853"]}, True, 4),
    ]
    assert rows[0].answered_at == NOW  # the clock the app was given
    assert rows[-1].answered_at == NOW + timedelta(minutes=31, seconds=70)
    assert all(a.duration_ms >= 0 for a in rows)
    profile = find_profile(db, "ann")
    assert profile is not None and all(a.profile_id == profile.id for a in rows)
    assert len({a.session_id for a in rows}) == 1


def _typed_question_app(db: Database) -> QuizApp:
    return make_app(db, profile_name="ann", clock=Clock(NOW), seed=7)


@SCREEN_SIZES
def test_review_snapshot_before_grading(
    snap_compare, size: tuple[int, int], study_database: Database
) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await start_studying(pilot)
        await type_text(pilot, "30 Marhc 1865")
        await pilot.pause()

    app = _typed_question_app(study_database)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SCREEN_SIZES
def test_review_snapshot_after_grading(
    snap_compare, size: tuple[int, int], study_database: Database
) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await start_studying(pilot)
        await type_text(pilot, "30 Marhc 1865")
        await pilot.press("enter")
        await pilot.pause()

    app = _typed_question_app(study_database)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_the_rating_line_fits_one_line_at_80x24(study_database: Database) -> None:
    app = _typed_question_app(study_database)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_studying(pilot)
        await type_text(pilot, "30 Marhc 1865")
        await pilot.press("enter")
        await pilot.pause()
        bar = review(app).query_one(RatingBar)
        line = bar.render()
        assert bar.outer_size.height == 1 and line.cell_length <= bar.size.width
        for label in ("1 Again", "2 Hard", "3 Good", "4 Easy"):
            assert label in str(line)
        assert "space/Enter" in str(line)  # the hint, shortened to fit


def test_the_rating_hint_is_shortened_then_left_out_when_narrow() -> None:
    intervals = {1: "1m", 2: "6m", 3: "10m", 4: "8d"}
    assert str(rating_line(intervals, 1, 120)).endswith("space/Enter: Again")
    assert str(rating_line(intervals, 1, 78)).endswith("space/Enter")
    assert str(rating_line(intervals, 1, 60)).endswith("8d ")
