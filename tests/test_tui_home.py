"""The home screen, driven with the Pilot against a real SQLite file."""

from sqlalchemy import func
from textual.widgets import DataTable, Static

from quiz.services.database import Database
from quiz.tui.app import make_app
from quiz.tui.screens.confirm import ConfirmScreen
from quiz.tui.screens.help import HelpScreen
from quiz.tui.screens.home import HomeScreen

from .conftest import NOW, SCREEN_SIZES

SIZE = (100, 30)


def clock():  # type: ignore[no-untyped-def]
    return NOW


async def test_home_lists_decks_with_counts(sqlite_database: Database) -> None:
    app = make_app(sqlite_database, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#decks", DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        title, questions, new, learning, due, studied = rows[0]
        assert title == "The Treaty of Paris (1856)"
        assert questions > 20
        assert (new, learning, due, studied) == (20, 0, 0, 0)  # 20 new cards a day
        today = str(app.screen.query_one("#today", Static).render())
        assert "ann" in today and "streak 0 days" in today and "left today 20" in today


async def test_home_says_when_siblings_were_buried(sqlite_database: Database) -> None:
    from sqlalchemy import select

    from quiz.services.cards import sync_cards
    from quiz.services.profiles import get_or_create_profile
    from quiz.services.queue import next_card, queue_counts
    from quiz.services.reviewing import StudyRun, begin, rate, submit
    from quiz.store.models import Question
    from tests.responses import respond

    ann = get_or_create_profile(sqlite_database, "ann", NOW)
    sync_cards(sqlite_database, ann.id)
    run = StudyRun(ann)
    card = begin(sqlite_database, run, NOW).card
    while card is not None and card.question.fact is None:  # study up to a card with a fact
        outcome = submit(sqlite_database, run, card.question_id, respond(card.question), 900, NOW)
        card = rate(sqlite_database, run, outcome.answer_id, 4, NOW).card
    assert card is not None
    outcome = submit(sqlite_database, run, card.question_id, respond(card.question), 900, NOW)
    rate(sqlite_database, run, outcome.answer_id, 4, NOW)
    with sqlite_database.sessions() as session:
        siblings = session.scalar(
            select(func.count()).where(
                Question.fact == card.question.fact, Question.id != card.question_id
            )
        )
    assert siblings
    left = queue_counts(sqlite_database, ann, NOW).total
    assert next_card(sqlite_database, ann, NOW) is not None
    app = make_app(sqlite_database, profile_name="ann", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        today = str(app.screen.query_one("#today", Static).render())
        assert f"left today {left}" in today
        assert f"{siblings} card" in today and "siblings of a card rated today" in today


async def test_help_lists_the_keys_and_q_quits(sqlite_database: Database) -> None:
    app = make_app(sqlite_database, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        actions = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert {
            "Quit: asks first",
            "Help",
            "Command palette: every action by name",
            "Reload: counts and settings",
            "Study",
            "Study all decks",
            "Browse",
            "Settings",
            "Switch profile",
            "Theme",
        } <= actions
        keys = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert keys.index("⏎") < keys.index("?") < keys.index("↑")  # the app's own keys first
        assert "^p" in keys and "^q" in keys
        await pilot.press("q")  # closes help, like Esc
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("q")  # on home: asks
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("q", "y")
    assert app.return_code == 0


async def test_every_binding_has_an_id() -> None:
    from quiz.tui.screens.browse import BrowseScreen
    from quiz.tui.screens.profile import ProfileScreen
    from quiz.tui.screens.review import ReviewScreen
    from quiz.tui.widgets.choices import ChoiceList, OrderList

    for owner in (
        HomeScreen,
        ReviewScreen,
        BrowseScreen,
        ProfileScreen,
        HelpScreen,
        ChoiceList,
        OrderList,
    ):
        for binding in owner.BINDINGS:
            assert getattr(binding, "id", None), f"{owner.__name__}: {binding}"


@SCREEN_SIZES
def test_home_snapshot(snap_compare, size: tuple[int, int], mini_database: Database) -> None:  # type: ignore[no-untyped-def]
    async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    app = make_app(mini_database, profile_name="ann", clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=settle)
