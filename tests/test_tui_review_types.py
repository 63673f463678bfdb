"""One question of each of the six types answered in the review screen with the keys a
learner presses, right and wrong, in the daily review and in a revision sitting; then read
back as a person reads it: the history's answers and their CSV, each answer as given, with
the verdict the screen showed and the rating pressed. Pilot against a real SQLite file
with a fixed clock and seed."""

import csv
import io
from dataclasses import dataclass

from textual.pilot import Pilot
from textual.widgets import Static

from quiz.services.answering import (
    Cloze,
    Flashcard,
    MultipleChoice,
    Ordering,
    ShortAnswer,
    TrueFalse,
    describe_response,
)
from quiz.services.browse import browse_questions, set_suspended
from quiz.services.cards import cards_for, sync_cards
from quiz.services.database import Database
from quiz.services.history import ANSWER_FIELDS, history, session_answers, write_csv
from quiz.services.profiles import ProfileInfo, get_or_create_profile, update_profile_settings
from quiz.tui.app import QuizApp, make_app
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.review import Phase, ReviewScreen
from quiz.tui.screens.revision import RevisionScreen
from quiz.tui.widgets.choices import ChoiceList, OrderList
from quiz.tui.widgets.feedback import AnswerFeedback

from .conftest import NOW
from .test_tui_study import SIZE, Clock, type_text

ONE_OF_EACH = {  # a question of each type in the built-in bank, each on a different fact
    # (siblings of a fact rated today are buried until tomorrow)
    "flashcard": "tp-black-sea-flash",
    "multiple_choice": "tp-russia-side",  # Russia
    "true_false": "tp-influence-weakened-tf",  # true
    "cloze": "tp-british-dominance-cloze",  # British, influence
    "short_answer": "tp-signed-date",  # 30 March 1856
    "ordering": "tp-peace-chain",
}
KEYS = set(ONE_OF_EACH.values())
PEACE_CHAIN = [
    "The treaty is signed at the congress of Paris",
    "Disagreements, even amongst the allies, about the nature of the treaty",
    "An uncertain peace",
    "Further diplomatic issues involving the Ottoman Empire",
]
BLACK_SEA_BACK = (
    "It demilitarised the Black Sea to improve trade, which greatly weakened Russia's "
    "influence in the region."
)
# The key pressed to rate each type, and the rating it gives: right, then wrong. Space and
# Enter take the suggested rating (Good after a right answer, Again after a wrong one).
RATING_KEYS = {
    "flashcard": (("3", 3), ("1", 1)),  # self-graded: the rating says whether it was known
    "multiple_choice": (("4", 4), ("space", 1)),
    "true_false": (("enter", 3), ("1", 1)),
    "cloze": (("2", 2), ("enter", 1)),
    "short_answer": (("4", 4), ("1", 1)),
    "ordering": (("space", 3), ("2", 2)),  # Hard after a wrong answer: still wrong
}


@dataclass(frozen=True)
class Given:
    """One answer as the learner gave it and the screen showed it."""

    key: str
    answer: str  # as the learner should read it back
    correct: bool  # the verdict the screen showed (a flashcard: the rating)
    rating: int
    answer_id: int


def review(app: QuizApp) -> ReviewScreen:
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def put_in_order(pilot: Pilot[None], order_list: OrderList, wanted: list[str]) -> None:
    """Move the items into the order `wanted`: ↑/↓ to an item, `[` or shift+↑ to move it up."""
    for place, item in enumerate(wanted):
        at = order_list.items.index(item)
        while order_list.cursor < at:
            await pilot.press("down")
        while order_list.cursor > at:
            await pilot.press("up")
        for step in range(at - place):
            await pilot.press("left_square_bracket" if step % 2 == 0 else "shift+up")
    assert order_list.items == wanted


async def answer_card(pilot: Pilot[None], screen: ReviewScreen, right: bool) -> str:
    """Answer the card on the screen with the keys a learner presses and check it (Enter,
    a number key, or space for a flashcard); returns the answer as it should read back."""
    card = screen.card
    assert card is not None and screen.phase is Phase.ASKING
    question = card.question
    view = screen.view
    if isinstance(question, Flashcard):
        await pilot.press("space")
        given = "(answer shown)"
    elif isinstance(question, MultipleChoice):
        given = "Russia" if right else "Britain"
        options = view.query_one(ChoiceList).options
        assert sorted(options) == sorted(question.choices)
        await pilot.press(str(options.index(given) + 1))
    elif isinstance(question, TrueFalse):
        await pilot.press("1" if right else "2")
        given = "True" if right else "False"
    elif isinstance(question, Cloze):
        gaps = ["british", "Influence"] if right else ["French", "trade"]
        for gap in gaps:
            await type_text(pilot, gap)
            await pilot.press("enter")
        given = " | ".join(gaps)
    elif isinstance(question, ShortAnswer):
        typed = "30 mar 1856" if right else "1855"
        await type_text(pilot, typed)
        await pilot.press("enter")
        given = typed
    else:
        assert isinstance(question, Ordering)
        order_list = view.query_one(OrderList)
        assert order_list.items != PEACE_CHAIN  # never starts in the right order
        if right:
            await put_in_order(pilot, order_list, PEACE_CHAIN)
        else:  # moved, but still wrong
            await pilot.press("shift+down")
            if order_list.items == PEACE_CHAIN:
                await pilot.press("right_square_bracket")
            assert order_list.items != PEACE_CHAIN
        given = " → ".join(order_list.items)
        await pilot.press("enter")
    await settle(pilot)
    return given


def check_shown(screen: ReviewScreen, key: str, given: str, right: bool) -> bool:
    """What the screen shows once the answer is checked; returns the verdict shown (a
    flashcard's is the rating still to come)."""
    assert screen.phase is Phase.GRADED
    outcome = screen.outcome
    assert outcome is not None
    assert describe_response(outcome.response) == given
    feedback = screen.query_one(AnswerFeedback)
    verdict = str(feedback.query_one("#verdict", Static).render())
    if key == ONE_OF_EACH["flashcard"]:
        assert outcome.checked.self_graded
        assert verdict == BLACK_SEA_BACK  # the back, no verdict
        return right
    shown_right = "✓ Correct" in verdict
    assert ("✗ Not right" in verdict) is not shown_right
    assert shown_right is outcome.checked.correct is right
    assert feedback.has_class("-right") is right and feedback.has_class("-wrong") is not right
    return shown_right


Plan = dict[str, bool]  # question type -> answer it right
ALL_RIGHT: Plan = dict.fromkeys(ONE_OF_EACH, True)
ALL_WRONG: Plan = dict.fromkeys(ONE_OF_EACH, False)
MIXED: Plan = {kind: n % 2 == 1 for n, kind in enumerate(ONE_OF_EACH)}  # flashcard wrong


async def answer_six(pilot: Pilot[None], clock: Clock, plan: Plan) -> list[Given]:
    """Answer and rate the six cards the review screen offers, one of each type, right or
    wrong as planned."""
    screen = review(pilot.app)
    given: list[Given] = []
    for _ in ONE_OF_EACH:
        card = screen.card
        assert card is not None
        key = card.key
        assert key in KEYS and key not in {g.key for g in given}
        right = plan[question_type(key)]
        answer = await answer_card(pilot, screen, right)
        verdict = check_shown(screen, key, answer, right)
        outcome = screen.outcome
        assert outcome is not None
        press, rating = RATING_KEYS[question_type(key)][0 if right else 1]
        clock.advance(seconds=5)  # well within the first learning step: new cards come first
        await pilot.press(press)
        await settle(pilot)
        given.append(Given(key, answer, verdict, rating, outcome.answer_id))
    assert {g.key for g in given} == KEYS
    return given


def question_type(key: str) -> str:
    return next(kind for kind, each in ONE_OF_EACH.items() if each == key)


def learner(db: Database, name: str) -> ProfileInfo:
    profile = get_or_create_profile(db, name, NOW)
    update_profile_settings(db, profile.id, time_zone="UTC")
    sync_cards(db, profile.id)
    return profile


def question_ids(db: Database, profile: ProfileInfo) -> dict[str, int]:
    page = browse_questions(db, profile.id, limit=10_000)
    assert page.total == len(page.rows)
    return {row.key: row.question_id for row in page.rows}


async def study_today(db: Database, name: str, plan: Plan) -> list[Given]:
    """The daily review, every card but the six suspended in the browse service."""
    profile = learner(db, name)
    ids = question_ids(db, profile)
    others = [qid for key, qid in ids.items() if key not in KEYS]
    assert set_suspended(db, profile.id, others, True) == len(ids) - 6
    clock = Clock(NOW)
    app = make_app(db, profile_name=name, clock=clock, seed=5)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter")
        await settle(pilot)
        screen = review(app)
        assert not isinstance(screen, RevisionScreen) and screen.run.kind == "review"
        given = await answer_six(pilot, clock, plan)
        assert screen.phase is Phase.ASKING  # the learning cards come back within 20 min
        assert screen.card is not None and screen.card.key in KEYS
        await pilot.press("escape")  # leave: the session ends
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    return given


async def revise(db: Database, name: str, plan: Plan) -> list[Given]:
    """A revision sitting on the six cards, each asked once."""
    profile = learner(db, name)
    ids = question_ids(db, profile)
    clock = Clock(NOW)
    app = make_app(db, profile_name=name, clock=clock, seed=5)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        order = [ids[key] for key in ONE_OF_EACH.values()]
        cards = cards_for(db, app.context.require_profile(), order, clock())
        assert [c.key for c in cards] == list(ONE_OF_EACH.values())
        app.push_screen(RevisionScreen(app.context, cards, "Revision"))
        await settle(pilot)
        screen = review(app)
        assert screen.run.kind == "revision"
        given = await answer_six(pilot, clock, plan)
        assert [g.key for g in given] == list(ONE_OF_EACH.values())  # in the order given
        assert screen.phase is Phase.DONE and screen.summary is not None
        assert (screen.summary.cards, screen.summary.correct) == (6, sum(plan.values()))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    return given


def read_back(db: Database, name: str, kind: str, given: list[Given]) -> None:
    """The history holds each answer as given, with the verdict shown and the rating."""
    profile = learner(db, name)
    [study] = [s for s in history(db, profile) if s.kind == kind]
    assert study.ended_at is not None
    assert (study.answered, study.correct) == (6, sum(g.correct for g in given))
    rows = session_answers(db, profile, study.session_id)
    assert [(r.answer_id, r.key) for r in rows] == [(g.answer_id, g.key) for g in given]
    assert [r.answer for r in rows] == [g.answer for g in given]
    assert [r.correct for r in rows] == [g.correct for g in given]
    assert [r.rating for r in rows] == [g.rating for g in given]
    out = io.StringIO()
    write_csv([row.to_dict() for row in rows], ANSWER_FIELDS, out)
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["key"] for r in table] == [g.key for g in given]
    assert [r["answer"] for r in table] == [g.answer for g in given]
    assert [r["correct"] for r in table] == [str(g.correct) for g in given]
    assert [r["rating"] for r in table] == [str(g.rating) for g in given]
    assert "{" not in out.getvalue() and "}" not in out.getvalue()


EXPECTED = {  # each type's answer as the learner reads it back: right, wrong
    "flashcard": ("(answer shown)", "(answer shown)"),
    "multiple_choice": ("Russia", "Britain"),
    "true_false": ("True", "False"),
    "cloze": ("british | Influence", "French | trade"),
    "short_answer": ("30 mar 1856", "1855"),
    "ordering": (" → ".join(PEACE_CHAIN), None),  # wrong: the order left, never the right one
}


def check_given(given: list[Given], plan: Plan) -> None:
    """Each answer reads back as the learner gave it; the verdict shown is the plan's."""
    for g in given:
        kind = question_type(g.key)
        right = plan[kind]
        expected = EXPECTED[kind][0 if right else 1]
        if expected is None:
            parts = g.answer.split(" → ")
            assert sorted(parts) == sorted(PEACE_CHAIN) and parts != PEACE_CHAIN
        else:
            assert g.answer == expected
        assert g.correct is right
        assert g.rating == RATING_KEYS[kind][0 if right else 1][1]


async def test_every_type_answered_in_the_daily_review_reads_back_as_given(
    sqlite_database: Database,
) -> None:
    db = sqlite_database
    for name, plan in [("bob", ALL_RIGHT), ("cy", ALL_WRONG)]:
        given = await study_today(db, name, plan)
        check_given(given, plan)
        read_back(db, name, "review", given)


async def test_every_type_answered_in_revision_reads_back_as_given(
    sqlite_database: Database,
) -> None:
    db = sqlite_database
    given = await revise(db, "dee", MIXED)
    check_given(given, MIXED)
    read_back(db, "dee", "revision", given)
