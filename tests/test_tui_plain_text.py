"""Text from banks and from people is shown as text on every screen, never as markup:
"[/]" does not crash a screen and "Revision [week 1]" is not shown as "Revision".

One hostile bank puts markup-like text into every field a screen shows (deck title,
topic, prompt, answers, choices, explanation), the profile and the drill carry it in their
names, and the Pilot walks every screen, reading what is on the terminal."""

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets._toast import Toast

from quiz.services.auth import create_teacher
from quiz.services.bank import import_banks
from quiz.services.database import Database, open_database
from quiz.services.drills import create_drill, spec_from_dict
from quiz.tui.app import QuizApp, make_app
from quiz.tui.screens.home import HomeScreen

from .conftest import NOW
from .test_tui_study import Clock, type_text

SIZE = (160, 50)
WEEK = "Revision [week 1]"
BANK = """\
deck: hostile
title: "Revision [week 1] [bold]x"
material: material.txt
questions:
  - id: h-card
    type: flashcard
    topic: "[/] topic"
    difficulty: 1
    front: "Front [link=https://example.org]click[/link] [week 1]?"
    back: "Back [/] [bold]x"
    explanation: "Because [/] and [bold]y and Revision [week 1]."
    source: the treaty
  - id: h-short
    type: short_answer
    topic: "[bold]topic"
    difficulty: 1
    prompt: "Which [week 2] war [/]?"
    answer: "The [Crimean] War"
    explanation: "Explained [/] [link=x]here[/link]."
    source: the treaty
  - id: h-choice
    type: multiple_choice
    topic: "[/]"
    difficulty: 1
    prompt: "Pick [week 3]"
    choices: ["[/] one", "[bold]two", "three [week 1]"]
    answers: "[bold]two"
    explanation: "Choice [/] explained."
    source: the treaty
"""


def shown(app: QuizApp) -> str:
    """What the terminal shows now, as text."""
    update = app.screen._compositor.render_update(full=True)
    lines = getattr(update, "strips", [])
    return "\n".join("".join(strip.text for strip in line) for line in lines)


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


@pytest.fixture
def hostile(tmp_path: Path) -> Database:
    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "material.txt").write_text("Something about the treaty.\n")
    (folder / "hostile.yaml").write_text(BANK)
    db = open_database(f"sqlite:///{tmp_path / 'quiz.db'}", NOW, import_builtin=False)
    import_banks(db, [folder / "hostile.yaml"], NOW)
    teacher = create_teacher(db, "[/]teach", "654321", NOW)
    spec = spec_from_dict({"title": "Drill [/] [week 1]", "questions": ["h-card", "h-short"]})
    create_drill(db, teacher, spec, NOW)
    return db


async def visit(pilot: Pilot[None], *keys: str) -> str:
    await pilot.press(*keys)
    await settle(pilot)
    return shown(pilot.app)


async def test_markup_in_every_field_is_shown_literally(hostile: Database) -> None:
    app = make_app(hostile, profile_name="[bold]Ann [/] [week 1]", clock=Clock(NOW), seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        home = shown(app)
        assert "Revision [week 1] [bold]x" in home
        assert "[bold]Ann [/] [week 1]" in home  # the header's sub_title

        studied = await visit(pilot, "enter")
        assert "Front [link=https://example.org]click[/link] [week 1]?" in studied, studied
        await type_text(pilot, "no idea")
        graded = await visit(pilot, "enter")
        assert "[/]" in graded or "[bold]" in graded or "[week" in graded, graded
        for _ in range(4):  # answer and rate whatever is asked next
            await visit(pilot, "space")
            await visit(pilot, "1")
        await visit(pilot, "escape")
        await visit(pilot, "escape")
        assert isinstance(app.screen, HomeScreen)

        browse = await visit(pilot, "b")
        assert "[/] topic" in browse and "[bold]topic" in browse, browse
        await visit(pilot, "escape")

        stats = await visit(pilot, "s")
        assert "[/] topic" in stats or "[bold]topic" in stats or "[/]" in stats, stats
        await visit(pilot, "escape")

        history = await visit(pilot, "h")
        assert "[bold]Ann [/] [week 1]'s sessions" in history, history
        answers = await visit(pilot, "enter")
        assert "[week" in answers or "[/]" in answers, answers
        await visit(pilot, "escape")
        await visit(pilot, "escape")

        drills = await visit(pilot, "d")
        assert "Drill [/] [week 1]" in drills, drills
        taking = await visit(pilot, "enter")
        assert "Drill [/] [week 1]" in taking or "[week" in taking, taking
        await visit(pilot, "escape")
        await settle(pilot)
        while not isinstance(app.screen, HomeScreen):
            await visit(pilot, "escape")

        exam = await visit(pilot, "m")
        assert "Revision [week 1] [bold]x" in exam, exam
        await visit(pilot, "escape")

        app.notify(f"Imported {WEEK} [/]")
        await settle(pilot)
        last = list(app._notifications)[-1]
        assert str(Toast(last).render()) == f"Imported {WEEK} [/]"


EMOJI_BANK = """\
deck: faces
title: "Faces 🙂"
material: material.txt
questions:
  - id: f-smile
    type: short_answer
    topic: faces
    difficulty: 1
    prompt: "Which face means happy?"
    answer: "🙂"
    explanation: "A smile."
    source: the treaty
"""


async def test_emoji_and_zero_width_answers_and_names_are_graded_and_shown(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "material.txt").write_text("Something about the treaty.\n")
    (folder / "faces.yaml").write_text(EMOJI_BANK)
    db = open_database(f"sqlite:///{tmp_path / 'quiz.db'}", NOW, import_builtin=False)
    import_banks(db, [folder / "faces.yaml"], NOW)
    app = make_app(db, profile_name="🙂 ann", clock=Clock(NOW), seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        home = shown(app)
        assert "🙂 ann" in home and "Faces 🙂" in home
        await visit(pilot, "enter")
        await type_text(pilot, "\u200b")  # a zero-width space only: no answer
        graded = await visit(pilot, "enter")
        assert "No answer" in graded, graded
        await visit(pilot, "1")
        await settle(pilot)
        app.screen.query_one("Input").value = "🙂\ufe0f"  # as a terminal pastes it
        graded = await visit(pilot, "enter")
        assert "Correct" in graded, graded
    db.close()
