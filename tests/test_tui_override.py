""" "I was right" in the review screen, with the keys a learner presses: after a typed
answer is marked wrong, `o` (shown in the footer only then) claims it was right; the
feedback says so, Good is suggested and taken with space, and the history keeps the
answer as overridden. Pilot against a real SQLite file with a fixed clock."""

from textual.widgets import Static

from quiz.services.cards import cards_for
from quiz.services.database import Database
from quiz.services.history import history, session_answers
from quiz.tui.app import make_app
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.review import Phase, ReviewScreen
from quiz.tui.screens.revision import RevisionScreen
from quiz.tui.widgets.choices import ChoiceList
from quiz.tui.widgets.feedback import AnswerFeedback

from .conftest import NOW
from .test_tui_review_types import learner, question_ids, settle
from .test_tui_study import SIZE, Clock, type_text

SIGNED = "tp-signed-date"  # short answer: 30 March 1856
RUSSIA = "tp-russia-side"  # multiple choice: Russia


def override_offered(screen: ReviewScreen) -> bool:
    return any(
        active.binding.id == "review.override" and active.enabled
        for active in screen.active_bindings.values()
    )


async def test_o_claims_a_wrong_typed_answer_right_and_good_is_suggested(
    sqlite_database: Database,
) -> None:
    db = sqlite_database
    profile = learner(db, "bob")
    ids = question_ids(db, profile)
    clock = Clock(NOW)
    app = make_app(db, profile_name="bob", clock=clock, seed=5)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        cards = cards_for(db, app.context.require_profile(), [ids[SIGNED], ids[RUSSIA]], clock())
        app.push_screen(RevisionScreen(app.context, cards, "Revision"))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.card is not None and screen.card.key == SIGNED
        assert not override_offered(screen)  # nothing answered yet
        await type_text(pilot, "Easter 1856")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.phase is Phase.GRADED and screen.outcome is not None
        assert not screen.outcome.checked.correct
        assert override_offered(screen)
        await pilot.press("o")
        await settle(pilot)
        assert screen.outcome.checked.correct and screen.outcome.checked.overridden
        assert screen.outcome.suggested_rating == 3
        verdict = str(screen.query_one(AnswerFeedback).query_one("#verdict", Static).render())
        assert "✓ Correct" in verdict and "you marked it right" in verdict
        assert not override_offered(screen)
        clock.advance(seconds=5)
        await pilot.press("space")  # the suggested rating: Good
        await settle(pilot)

        assert screen.card is not None and screen.card.key == RUSSIA
        options = screen.view.query_one(ChoiceList).options
        await pilot.press(str(options.index("Britain") + 1))
        await settle(pilot)
        assert screen.outcome is not None and not screen.outcome.checked.correct
        assert not override_offered(screen)  # not a typed answer
        await pilot.press("o")
        await settle(pilot)
        assert not screen.outcome.checked.correct
        await pilot.press("space")
        await settle(pilot)
        assert screen.phase is Phase.DONE
    (sitting,) = history(db, profile)
    rows = session_answers(db, profile, sitting.session_id)
    assert [(r.key, r.correct, r.overridden, r.rating) for r in rows] == [
        (SIGNED, True, True, 3),
        (RUSSIA, False, False, 1),
    ]
