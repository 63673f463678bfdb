"""Mock exams and the exam date in the TUI: setup, taking the exam, the report with its
per-topic figures, the revision of the mistakes; the exam-date modal and the home line.
Pilot against a real SQLite file with a controlled clock."""

from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import Input, Static

from quiz.services.answering import (
    ChoiceResponse,
    Cloze,
    Flashcard,
    GapsResponse,
    QuestionBase,
    RecallResponse,
    TypedResponse,
)
from quiz.services.cards import sync_cards
from quiz.services.database import Database
from quiz.services.mock_exam import ExamReport, answer_exam, finish_exam, start_exam
from quiz.services.profiles import find_profile, get_or_create_profile
from quiz.store.models import AnswerRecord, StudySession
from quiz.tui.app import QuizApp, make_app
from quiz.tui.screens.attempt import AttemptScreen
from quiz.tui.screens.confirm import ConfirmScreen
from quiz.tui.screens.exam import ExamDateScreen, ExamReportScreen, ExamSetupScreen
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.revision import RevisionScreen
from quiz.tui.widgets.choices import ChoiceList

from .conftest import NOW, SCREEN_SIZES
from .test_tui_study import SIZE, Clock, study_database, type_text

__all__ = ["study_database"]


def text(app: QuizApp, selector: str) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(selector).results(Static))


async def home(pilot: Pilot[None]) -> HomeScreen:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(pilot.app.screen, HomeScreen)
    return pilot.app.screen


async def clear_and_type(pilot: Pilot[None], value: str) -> None:
    await pilot.press("ctrl+a", "ctrl+k")
    await type_text(pilot, value)


async def answer(pilot: Pilot[None], screen: AttemptScreen) -> None:
    """Answer the current question: signed and begun right, the others wrong."""
    key = screen.current.key
    if key == "st-signed":
        await type_text(pilot, "30 March 1856")
        await pilot.press("enter")
    elif key == "st-war":
        await type_text(pilot, "Franco-Prussian War")
        await pilot.press("enter")
    elif key == "st-begun":
        options = screen.view.query_one(ChoiceList).options
        await pilot.press(str(options.index("23 October 1853") + 1))
    elif key == "st-cloze":
        await type_text(pilot, "30 March 1856")
        await pilot.press("enter")
        await type_text(pilot, "Seven Years War")
        await pilot.press("enter")
    else:  # the flashcard: shown, then "no, I did not know it"
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("n")
    await pilot.pause()


async def test_a_mock_exam_to_its_report_and_revision(study_database: Database) -> None:
    db = study_database
    clock = Clock(NOW)
    app = make_app(db, profile_name="ann", clock=clock, seed=5)
    async with app.run_test(size=SIZE) as pilot:
        await home(pilot)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ExamSetupScreen)
        assert app.screen.query_one("#count", Input).value == "20"
        await clear_and_type(pilot, "0")
        await pilot.press("enter")
        await pilot.pause()
        assert "from 1 to 500" in text(app, "#error")
        await clear_and_type(pilot, "5")
        assert app.screen.query_one("#minutes", Input).placeholder == "8"  # 1.5 min each
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AttemptScreen)
        assert "question 1 of 5" in text(app, "#progress")
        assert "time left 08:00" in text(app, "#timer")

        for _ in range(5):
            clock.advance(seconds=30)
            await answer(pilot, screen)
            assert not screen.query("AnswerFeedback")  # feedback only in the report
        # every question answered: the app offers to submit
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        await pilot.pause()

        report_screen = app.screen
        assert isinstance(report_screen, ExamReportScreen)
        report = report_screen.report
        assert (report.correct, report.total, report.answered) == (2, 5, 5)
        # each mistake holds the response as the screen collected it
        given = {m.key: m.given for m in report.mistakes}
        assert given["st-war"] == TypedResponse(typed="Franco-Prussian War")
        assert given["st-cloze"] == GapsResponse(gaps=("30 March 1856", "Seven Years War"))
        assert given["st-card"] == RecallResponse(knew=False)
        rows = [line.split() for line in text(app, "#topics").splitlines()]
        assert rows == [
            ["Topic", "Right", "Of", "Score"],
            ["dates", "1", "1", "100%"],
            ["recall", "0", "1", "0%", "◀", "weakest"],
            ["signing", "1", "1", "100%"],
            ["summary", "0", "1", "0%"],
            ["war", "0", "1", "0%"],
        ]
        shown = text(app, "Static")
        assert "2 of 5 right" in shown and "(40%)" in shown
        assert "Weakest topic recall (lowest score; ties: more mistakes, then A to Z)" in (shown)
        # every answer, the right ones too; a shows only the mistakes
        assert "Every answer (5, 3 wrong)" in shown
        assert len(app.screen.query(".answer")) == 5
        assert text(app, ".answer").count("✓") == 2
        await pilot.press("a")
        await pilot.pause()
        assert len(app.screen.query(".answer")) == 3
        shown = text(app, "Static")
        assert "Mistakes (3)" in shown and "✓" not in text(app, ".answer")
        assert "Your answer   Franco-Prussian War" in shown
        assert "Right answer  The Crimean War" in shown
        assert "Your answer   30 March 1856 | Seven Years War" in shown
        assert "Right answer  30 March 1856 | Crimean War" in shown
        assert "Your answer   did not know it" in shown
        assert "The treaty was signed to resolve the Crimean War." in shown  # explanation

        # r: a focused revision of the mistakes (and the weakest topic), rated as usual
        await pilot.press("r")
        await pilot.pause()
        revision = app.screen
        assert isinstance(revision, RevisionScreen)
        assert revision.card is not None
        mistakes = {m.key for m in report.mistakes}
        assert revision.card.key in mistakes
        assert "cards left: 3 of 3" in text(app, "#progress")
        seen = set()
        for _ in range(3):
            card = revision.card
            assert card is not None
            seen.add(card.key)
            if card.key == "st-card":
                await pilot.press("space")
            elif card.key == "st-war":
                await type_text(pilot, "The Crimean War")
                await pilot.press("enter")
            else:
                await type_text(pilot, "30 March 1856")
                await pilot.press("enter")
                await type_text(pilot, "Crimean War")
                await pilot.press("enter")
            await pilot.press("3")
            await pilot.pause()
        assert seen == mistakes
        assert "Revision done" in text(app, "#summary")

    with db.sessions() as session:
        kinds = dict(session.execute(select(StudySession.id, StudySession.kind)).all())
        rows_ = session.scalars(select(AnswerRecord).order_by(AnswerRecord.id)).all()
        exam_answers = [a for a in rows_ if kinds[a.session_id] == "exam"]
        revision_answers = [a for a in rows_ if kinds[a.session_id] == "revision"]
    assert len(exam_answers) == 5 and all(a.rating is None for a in exam_answers)
    assert [a.correct for a in exam_answers].count(True) == 2
    assert len(revision_answers) == 3 and all(a.rating == 3 for a in revision_answers)


async def test_exam_date_set_through_the_modal_and_shown_on_home(study_database: Database) -> None:
    db = study_database
    app = make_app(db, profile_name="ann", clock=Clock(NOW), seed=5)
    async with app.run_test(size=SIZE) as pilot:
        screen = await home(pilot)
        assert not screen.query_one("#exam").display
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExamDateScreen)
        await type_text(pilot, "in April")
        await pilot.press("enter")
        assert "is not a date: write it like 2026-07-28, 28/07/2026, 28 July 2026" in text(
            app, "#error"
        )
        await clear_and_type(pilot, "2026-02-30")
        await pilot.press("enter")
        assert "not a day of the calendar" in text(app, "#error")
        await clear_and_type(pilot, "2026-03-01")
        await pilot.press("enter")
        assert text(app, "#error").startswith("The exam date 2026-03-01 is already past")
        await clear_and_type(pilot, "20 April")  # no year: the next 20 April
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen
        profile = find_profile(db, "ann")
        assert profile is not None and str(profile.exam_date) == "2026-04-20"
        line = text(app, "#exam")
        assert screen.query_one("#exam").display
        assert "exam 2026-04-20   21 days left   cards to see before it 5" in line
        assert "Every card is scheduled to be seen again" in line  # the plan's notes

        # An empty date clears it
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k", "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.query_one("#exam").display
        profile = find_profile(db, "ann")
        assert profile is not None and profile.exam_date is None


def finished_exam(db: Database) -> tuple[ExamReport, dict[int, QuestionBase]]:
    """A finished mock exam of five questions: one right, two wrong, two not answered."""
    profile = get_or_create_profile(db, "ann", NOW)
    sync_cards(db, profile.id)
    paper = start_exam(db, profile, NOW, count=5, seed=2)
    by_key = {q.key: q for q in paper.questions}
    given = [
        ("st-signed", TypedResponse(typed="30 March 1856"), True),
        ("st-war", TypedResponse(typed="The Boer War"), False),
        (
            "st-begun",
            ChoiceResponse(selected=("23 October 1854",), shown=by_key["st-begun"].options),
            False,
        ),
    ]
    for key, response, right in given:
        outcome = answer_exam(db, paper.paper_id, by_key[key].question_id, response, 9000, NOW)
        assert outcome.checked.correct is right
    report = finish_exam(db, paper.paper_id, NOW.replace(minute=6, second=40))
    return report, {q.question_id: q.question for q in paper.questions}


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def answer_card(pilot: Pilot[None], screen: RevisionScreen) -> str:
    """Answer the card shown (anything will do) and rate it Good; returns its key."""
    assert screen.card is not None
    key, question = screen.card.key, screen.card.question
    if isinstance(question, Flashcard):
        await pilot.press("space")
    elif screen.query(ChoiceList):
        await pilot.press("1")
    elif isinstance(question, Cloze):
        await type_text(pilot, "x")
        await pilot.press("enter")
        await type_text(pilot, "y")
        await pilot.press("enter")
    else:
        await type_text(pilot, "x")
        await pilot.press("enter")
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)
    return key


async def test_the_revision_resumes_where_it_was_left_and_goes_back_to_the_report(
    study_database: Database,
) -> None:
    report, questions = finished_exam(study_database)
    app = make_app(study_database, profile_name="ann", clock=Clock(NOW), seed=5)
    async with app.run_test(size=SIZE) as pilot:
        await home(pilot)
        await app.push_screen(ExamReportScreen(app.context, report, questions))
        await settle(pilot)
        report_screen = app.screen
        await pilot.press("r")
        await settle(pilot)
        revision = app.screen
        assert isinstance(revision, RevisionScreen) and revision.run.cards is not None
        total = len(revision.run.cards)
        first = await answer_card(pilot, revision)
        await pilot.press("escape")  # left half-way
        await settle(pilot)
        assert app.screen is report_screen

        await pilot.press("r")  # resumes: the card revised is not asked again
        await settle(pilot)
        revision = app.screen
        assert isinstance(revision, RevisionScreen) and revision.card is not None
        assert revision.card.key != first
        assert f"cards left: {total - 1} of {total}" in text(app, "#progress")
        assert any("Resuming the revision: 1 of" in n.message for n in app._notifications)
        for _ in range(total - 1):
            await answer_card(pilot, revision)
        summary = text(app, "#summary")
        assert "Revision done" in summary and "Enter or Esc: back to the exam report" in summary
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is report_screen

        await pilot.press("r")  # all revised: it says so, and R starts again
        await settle(pilot)
        assert app.screen is report_screen
        assert any("revised all" in n.message for n in app._notifications)
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, RevisionScreen)
        assert f"cards left: {total} of {total}" in text(app, "#progress")


@SCREEN_SIZES
def test_exam_report_snapshot(
    snap_compare, size: tuple[int, int], study_database: Database
) -> None:  # type: ignore[no-untyped-def]
    report, questions = finished_exam(study_database)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.app.workers.wait_for_complete()
        await pilot.app.push_screen(ExamReportScreen(pilot.app.context, report, questions))
        await settle(pilot)

    app = make_app(study_database, profile_name="ann", clock=Clock(NOW), seed=5)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SCREEN_SIZES
def test_revision_snapshot(snap_compare, size: tuple[int, int], study_database: Database) -> None:  # type: ignore[no-untyped-def]
    """The revision of an exam's mistakes: its first card, with the cards left of it."""
    report, questions = finished_exam(study_database)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.app.workers.wait_for_complete()
        await pilot.app.push_screen(ExamReportScreen(pilot.app.context, report, questions))
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RevisionScreen)

    app = make_app(study_database, profile_name="ann", clock=Clock(NOW), seed=5)
    assert snap_compare(app, terminal_size=size, run_before=run_before)
