"""Import and export in the TUI: real files (a CSV, packages written by genanki and by the
Anki engine) through the screens into a real SQLite file; a bad file shows its error and
changes nothing; an export is read back by the importer."""

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from textual.pilot import Pilot
from textual.widgets import Checkbox, DirectoryTree, Input, ProgressBar, Select, Static

from quiz.bank.schema import ShortAnswer, parse_question
from quiz.services.database import Database, open_database
from quiz.services.interop import export_file, import_file
from quiz.services.profiles import find_profile
from quiz.store.models import AnswerRecord, Deck, Question
from quiz.tui.app import make_app
from quiz.tui.screens.confirm import ConfirmScreen
from quiz.tui.screens.export_file import ExportScreen
from quiz.tui.screens.help import HelpScreen
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.import_file import ImportScreen
from quiz.tui.screens.interop_run import InteropScreen

from .anki_packages import current_package, legacy_package
from .conftest import NOW, SCREEN_SIZES
from .drill_steps import open_from_home

SIZE = (80, 24)
CSV = 'capital of France,Paris\ncapital of Peru,Lima\n"a, quoted","two\nlines"\n'


@pytest.fixture
def empty(tmp_path: Path) -> Database:
    db = open_database(f"sqlite:///{tmp_path / 'quiz.db'}", NOW, import_builtin=False)
    yield db
    db.close()


def clock():  # type: ignore[no-untyped-def]
    return NOW


async def settle(pilot: Pilot[None]) -> None:
    """Wait for the work to end (not for the folder tree's loader, which waits for ever)."""
    await pilot.pause()
    while busy := [w for w in pilot.app.workers if not isinstance(w.node, DirectoryTree)]:
        await pilot.app.workers.wait_for_complete(busy)
        await pilot.pause()
    for tree in pilot.app.screen.query(DirectoryTree):
        await tree._load_queue.join()  # the folders listed
    await pilot.pause()


def rows(database: Database) -> list[tuple[str, str, dict[str, object]]]:
    with database.sessions() as session:
        found = session.execute(
            select(Deck.name, Question.key, Question.data).join(Deck).order_by(Question.key)
        )
        return [(deck, key, data) for deck, key, data in found]


def result_text(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("#result", Static).render())


async def open_import(pilot: Pilot[None], path: Path) -> ImportScreen:
    screen = await open_from_home(pilot, "i", ImportScreen, settle)
    screen.query_one("#path", Input).value = str(path)
    await pilot.pause()
    return screen


async def test_csv_is_checked_then_imported_with_the_deck_and_type_asked(
    empty: Database, tmp_path: Path
) -> None:
    path = tmp_path / "capitals.csv"
    path.write_text(CSV, encoding="utf-8")
    app = make_app(empty, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot, path)
        assert screen.query_one("#type", Select).display  # a spreadsheet: asked
        assert not screen.query_one("#history", Checkbox).display
        await pilot.click("#deck")
        await pilot.press(*"geo")
        screen.query_one("#type", Select).value = "short_answer"
        await pilot.press("ctrl+r")  # dry run
        await settle(pilot)
        assert "3 would be added" in result_text(pilot)
        assert rows(empty) == []  # nothing written yet
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "3 added" in result_text(pilot)
        assert "would" not in result_text(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.data is not None and app.screen.data.decks[0].questions == 3
    found = rows(empty)
    assert {deck for deck, _, _ in found} == {"geo"}
    questions = [parse_question(data) for _, _, data in found]
    assert all(isinstance(q, ShortAnswer) for q in questions)
    assert {q.answer for q in questions if isinstance(q, ShortAnswer)} == {
        "Paris",
        "Lima",
        "two\nlines",
    }


async def test_ctrl_s_after_changing_a_choice_checks_again_first(
    empty: Database, tmp_path: Path
) -> None:
    path = tmp_path / "capitals.csv"
    path.write_text(CSV, encoding="utf-8")
    app = make_app(empty, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot, path)
        await pilot.press("enter")  # Enter in the path box: a dry run
        await settle(pilot)
        assert "would be added" in result_text(pilot)
        screen.query_one("#deck", Input).value = "other"
        await pilot.press("ctrl+s")  # the choice changed: a dry run again, not a write
        await settle(pilot)
        assert "would be added" in result_text(pilot)
        assert rows(empty) == []
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert {deck for deck, _, _ in rows(empty)} == {"other"}


async def test_anki_package_picked_in_the_folder_tree_imports(
    empty: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    legacy_package(folder / "french.apkg")
    (folder / "notes.md").write_text("not listed")
    monkeypatch.chdir(folder)
    app = make_app(empty, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_from_home(pilot, "i", ImportScreen, settle)
        tree = screen.query_one("#tree")
        await pilot.press("tab")  # from the path box to the folders
        assert tree.has_focus
        labels = [str(node.label) for node in tree.root.children]  # type: ignore[attr-defined]
        assert labels == ["french.apkg"]  # notes.md is not a file this imports
        await pilot.press("down", "enter")  # the file: a dry run at once
        await settle(pilot)
        assert screen.query_one("#path", Input).value == "french.apkg"
        assert screen.query_one("#history", Checkbox).display
        assert "4 would be added" in result_text(pilot)
        assert "cat.jpg" in result_text(pilot)  # media listed, not dropped
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "4 added" in result_text(pilot)
    found = rows(empty)
    assert len(found) == 4
    assert sorted(data["type"] for _, _, data in found) == [
        "cloze",
        "cloze",
        "flashcard",
        "flashcard",
    ]


async def test_current_anki_package_with_history_for_this_profile(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    now = datetime.now(UTC)  # the Anki engine answers at the real time
    package = current_package(tmp_path / "studied.apkg", notes=3, reviews=6, fsrs=True)
    database = open_database(f"sqlite:///{tmp_path / 'h.db'}", now, import_builtin=False)
    app = make_app(database, profile_name="ann", clock=lambda: now)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_import(pilot, package)
            await pilot.click("#history")
            assert screen.query_one("#history", Checkbox).value
            await pilot.press("ctrl+s")  # no dry run yet: this one is
            await settle(pilot)
            assert "past answers would be imported" in result_text(pilot)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "6 past answers imported" in result_text(pilot)
        profile = find_profile(database, "ann")
        assert profile is not None
        with database.sessions() as session:
            answers = session.scalar(
                select(func.count())
                .select_from(AnswerRecord)
                .where(AnswerRecord.profile_id == profile.id)
            )
        assert answers == 6
        assert len(rows(database)) == 4  # 3 basic notes and a cloze
    finally:
        database.close()


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("broken.csv", 'front,back\n"never closed,row\n', "line"),
        ("fake.apkg", "this is not a zip file", "fake.apkg"),
        ("missing.gift", None, "There is no file"),
        ("words.docx", "whatever", "not a file this imports"),
    ],
)
async def test_bad_file_shows_the_error_and_changes_nothing(
    empty: Database, tmp_path: Path, name: str, content: str | None, expected: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    app = make_app(empty, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot, path)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = result_text(pilot)
        assert expected in text
        assert screen.query_one("#result", Static).has_class("error")
        assert app.is_running and app.screen is screen
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
    assert rows(empty) == []


async def test_export_writes_a_file_the_importer_reads_back(
    mini_database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(mini_database, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_from_home(pilot, "o", ExportScreen, settle)
        box = screen.query_one("#path", Input)
        assert box.value == "quiz-all-20260330.apkg"  # a name offered for the format
        screen.query_one("#format", Select).value = "csv"
        await pilot.pause()
        assert box.value == "quiz-all-20260330.csv"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "questions written" in result_text(pilot)
        assert not screen.query_one("#progress", ProgressBar).display
        await pilot.press("ctrl+s")  # the file exists now: asked first
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app.screen is screen
    written = tmp_path / "quiz-all-20260330.csv"
    exported = rows(mini_database)
    target = open_database(f"sqlite:///{tmp_path / 'back.db'}", NOW, import_builtin=False)
    try:
        summary = import_file(target, written, NOW)
        assert summary.count("added") == len(exported) and not summary.skipped
        assert sorted(key for _, key, _ in rows(target)) == sorted(key for _, key, _ in exported)
    finally:
        target.close()


async def test_export_of_one_deck_as_apkg_replaces_the_file_after_asking(
    mini_database: Database, tmp_path: Path
) -> None:
    target = tmp_path / "out.apkg"
    target.write_text("old")
    app = make_app(mini_database, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_from_home(pilot, "o", InteropScreen, settle)
        deck = screen.query_one("#deck", Select)
        [(_, name)] = [option for option in deck._options if option[1] != "*"]
        deck.value = name
        screen.query_one("#path", Input).value = str(target)
        screen.query_one("#path", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert "questions written" in result_text(pilot)
    database = open_database(f"sqlite:///{tmp_path / 'back.db'}", NOW, import_builtin=False)
    try:
        summary = import_file(database, target, NOW)
        assert summary.count("added") == len(rows(mini_database))
    finally:
        database.close()


async def test_help_lists_every_key_and_q_goes_back(mini_database: Database) -> None:
    app = make_app(mini_database, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, screen_type, keys in (
            ("i", ImportScreen, {"Back", "Dry run", "Import"}),
            ("o", ExportScreen, {"Back", "Dry run", "Export"}),
        ):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, screen_type)
            await pilot.press("f1")  # the path box takes `?`
            assert isinstance(app.screen, HelpScreen)
            assert keys <= {description for _, description in app.screen.rows}
            await pilot.press("escape")
            app.screen.query_one("#tree").focus()  # out of the text boxes
            await pilot.press("q")
            assert isinstance(app.screen, HomeScreen)


async def test_palette_lists_import_and_export(mini_database: Database) -> None:
    app = make_app(mini_database, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Import questions…" in titles and "Export questions…" in titles


def test_progress_is_told_row_by_row_and_for_the_database(empty: Database, tmp_path: Path) -> None:
    path = tmp_path / "big.tsv"
    path.write_text("".join(f"word {n}\tmeaning {n}\n" for n in range(3000)), encoding="utf-8")
    told: list[tuple[str, int, int]] = []
    import_file(empty, path, NOW, progress=lambda *step: told.append(step))
    reading = [(done, total) for step, done, total in told if step == "Reading big.tsv"]
    assert reading[0] == (0, 0) and len(reading) > 5  # the bar moves, not one jump
    dones = [done for done, total in reading[1:]]
    assert dones == sorted(dones) and reading[-1] == (3001, 3001)
    assert told[-1] == ("Writing to the database", 0, 0)
    assert len(rows(empty)) == 3000

    told.clear()
    export_file(empty, tmp_path / "out.apkg", "apkg", progress=lambda *step: told.append(step))
    writing = [(done, total) for step, done, total in told if step == "Writing out.apkg"]
    assert told[0] == ("Reading the questions", 0, 0)
    assert writing[-1] == (3000, 3000) and len(writing) > 5


SNAP_CSV = "le chat,the cat\nle chien,the dog\nun oiseau\n"


@pytest.fixture
def snap_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with files of each kind (and one the pickers leave out)."""
    folder = tmp_path / "work"
    (folder / "more").mkdir(parents=True)
    (folder / "capitals.csv").write_text(CSV, encoding="utf-8")
    (folder / "short.csv").write_text(SNAP_CSV, encoding="utf-8")
    (folder / "moodle.gift").write_text("::q1:: 2+2 is 4 {T}\n", encoding="utf-8")
    (folder / "notes.md").write_text("left out")
    legacy_package(folder / "french.apkg")
    monkeypatch.chdir(folder)
    return folder


def typing(key: str, path: str, *keys: str):  # type: ignore[no-untyped-def]
    async def steps(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        if path:
            pilot.app.screen.query_one("#path", Input).value = path
        for pressed in keys:
            await pilot.press(pressed)
            await settle(pilot)
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False  # the cursor shown, whenever the picture is taken
        await pilot.pause()

    return steps


SNAPS = {
    "import_start": typing("i", ""),
    "import_checked": typing("i", "capitals.csv", "enter"),
    "import_apkg": typing("i", "", "tab", "down", "down", "down", "enter"),
    "import_error": typing("i", "short.csv", "enter"),
    "export_start": typing("o", ""),
    "export_done": typing("o", "", "ctrl+s"),
}


@SCREEN_SIZES
@pytest.mark.parametrize("screen", list(SNAPS))
def test_interop_snapshot(
    snap_compare, size: tuple[int, int], screen: str, mini_database: Database, snap_folder: Path
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(mini_database, profile_name="ann", clock=clock, seed=4)
    assert snap_compare(app, terminal_size=size, run_before=SNAPS[screen])


async def test_the_bar_follows_a_large_file(empty: Database, tmp_path: Path) -> None:
    path = tmp_path / "big.tsv"
    path.write_text("".join(f"word {n}\tmeaning {n}\n" for n in range(3000)), encoding="utf-8")
    app = make_app(empty, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot, path)
        bar = screen.query_one("#progress", ProgressBar)
        seen: list[tuple[str, float | None, float]] = []
        shown = screen.panel.progressed

        def progressed(step: str, done: int, total: int) -> None:
            shown(step, done, total)
            seen.append((step, bar.total, bar.progress))  # what the bar shows now

        screen.panel.progressed = progressed  # type: ignore[method-assign]
        await pilot.press("ctrl+r")
        await settle(pilot)
        reading = [(total, done) for step, total, done in seen if step == "Reading big.tsv"]
        assert len(reading) > 5 and reading[-1] == (3001, 3001)
        assert [done for _, done in reading] == sorted(done for _, done in reading)
        assert seen[-1][0] == "Checking against the database" and seen[-1][1] is None
        assert not bar.display  # hidden once the summary is shown
        assert "3000 would be added" in result_text(pilot)


def test_json_export_is_what_the_cli_writes_for_the_chosen_deck(tmp_path: Path) -> None:
    from quiz.cli import main

    db = tmp_path / "cli.db"
    legacy_package(tmp_path / "french.apkg")
    (tmp_path / "capitals.csv").write_text(CSV, encoding="utf-8")
    for path in ("french.apkg", "capitals.csv"):
        assert main(["--db", str(db), "bank", "import", str(tmp_path / path)]) == 0
    everything = tmp_path / "all.json"
    assert main(["--db", str(db), "bank", "export", "-o", str(everything)]) == 0
    cli_rows = json.loads(everything.read_text(encoding="utf-8"))
    database = open_database(f"sqlite:///{db}", NOW, import_builtin=False)
    try:
        summary = export_file(database, tmp_path / "all-tui.json", "json")
        assert json.loads((tmp_path / "all-tui.json").read_text(encoding="utf-8")) == cli_rows
        assert summary.written == len(cli_rows)
        assert {"capitals", "languages--french"} <= {row["deck"] for row in cli_rows}
        export_file(database, tmp_path / "capitals.json", "json", ["capitals"])
    finally:
        database.close()
    one = json.loads((tmp_path / "capitals.json").read_text(encoding="utf-8"))
    assert one == [row for row in cli_rows if row["deck"] == "capitals"] and len(one) == 3


async def test_export_dry_run_says_what_would_be_written_and_writes_nothing(
    mini_database: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "bank.gift"
    app = make_app(mini_database, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_from_home(pilot, "o", ExportScreen, settle)
        screen.query_one("#format", Select).value = "gift"
        await pilot.pause()
        screen.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+r")
        await settle(pilot)
        said = result_text(pilot)
        assert "questions would be written" in said and "nothing was written" in said
        assert list(folder.iterdir()) == []  # no file, no temporary left
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "questions written" in result_text(pilot)
    expected = export_file(mini_database, tmp_path / "again.gift", "gift")
    assert target.read_text() == (tmp_path / "again.gift").read_text()
    assert f"{expected.written} questions would be written" in said
