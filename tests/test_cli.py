"""The command line end to end, as a person runs it: real processes, real files."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from quiz.cli import app_arguments, build_parser, main
from tests.probe import fresh_python


def run_quiz(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m quiz` in a separate process from `cwd`."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    env.pop("QUIZ_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "quiz", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_version(tmp_path: Path) -> None:
    result = run_quiz("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("quiz 0.")


def test_export_prints_the_builtin_questions_from_any_folder(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    result = run_quiz("--db", str(db), "bank", "export", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    questions = json.loads(result.stdout)
    assert {q["deck"] for q in questions} == {"treaty-of-paris-1856"}
    assert all(q["source"] and q["explanation"] for q in questions)
    assert db.exists()


def test_db_option_is_accepted_after_the_subcommand_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "q.json"
    assert main(["bank", "export", "--db", str(tmp_path / "y.db"), "-o", str(out)]) == 0
    assert len(json.loads(out.read_text())) > 0
    assert "wrote" in capsys.readouterr().err


def test_validate_reports_located_errors_and_fails(tmp_path: Path) -> None:
    (tmp_path / "m.txt").write_text("the crimean war")
    bank = tmp_path / "broken.yaml"
    bank.write_text(
        "deck: broken\ntitle: Broken\nmaterial: m.txt\nquestions:\n"
        "  - id: b1\n    type: short_answer\n    topic: t\n    difficulty: 1\n"
        "    prompt: p\n    explanation: e\n    source: the crimean war\n"
    )
    result = run_quiz("--db", str(tmp_path / "x.db"), "bank", "validate", str(bank), cwd=tmp_path)
    assert result.returncode == 1
    assert f"{bank}:5: question b1: answer: is missing" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_validate_defaults_to_the_builtin_bank(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "validate"]) == 0
    assert "all valid" in capsys.readouterr().out


def test_import_of_a_bad_file_writes_nothing(tmp_path: Path) -> None:
    bank = tmp_path / "bad.yaml"
    bank.write_text("deck: bad\ntitle: [unclosed\n")
    db = tmp_path / "x.db"
    result = run_quiz("--db", str(db), "bank", "import", str(bank), cwd=tmp_path)
    assert result.returncode == 1
    assert f"{bank}:" in result.stderr and "YAML syntax error" in result.stderr
    assert "nothing was imported" in result.stderr
    assert not db.exists()


def test_import_twice_says_nothing_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "m.txt").write_text("the crimean war")
    bank = tmp_path / "ok.yaml"
    bank.write_text(
        "deck: ok\ntitle: OK\nmaterial: m.txt\nquestions:\n"
        "  - id: ok1\n    type: flashcard\n    topic: t\n    difficulty: 1\n"
        "    front: f\n    back: b\n    explanation: e\n    source: the crimean war\n"
    )
    db = str(tmp_path / "x.db")
    assert main(["--db", db, "bank", "import", str(bank)]) == 0
    assert "ok: 1 added" in capsys.readouterr().out
    assert main(["--db", db, "bank", "import", str(bank)]) == 0
    assert "nothing changed" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a database at all, just text\n" * 64, "is not a SQLite database"),
        (b"", None),
    ],
)
def test_unusable_database_file_gives_one_sentence(
    tmp_path: Path, content: bytes, message: str | None
) -> None:
    db = tmp_path / "notes.db"
    db.write_bytes(content)
    result = run_quiz("--db", str(db), "bank", "export", cwd=tmp_path)
    if message is None:  # an empty file is a new, empty SQLite database
        assert result.returncode == 0, result.stderr
        return
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert db.read_bytes() == content


def test_unwritable_database_folder_gives_one_sentence(tmp_path: Path) -> None:
    result = run_quiz("--db", str(tmp_path / "missing" / "x.db"), "db", "upgrade", cwd=tmp_path)
    assert result.returncode == 1
    assert "cannot open" in result.stderr and "Traceback" not in result.stderr


def test_database_newer_than_the_code(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "x.db"
    assert run_quiz("--db", str(db), "db", "upgrade", cwd=tmp_path).returncode == 0
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    result = run_quiz("--db", str(db), "bank", "export", cwd=tmp_path)
    assert result.returncode == 1
    assert "newer quiz" in result.stderr and "upgrade quiz" in result.stderr


def test_db_current_and_upgrade(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "x.db")
    assert main(["--db", db, "db", "current"]) == 0
    assert "empty database" in capsys.readouterr().out
    assert main(["--db", db, "db", "upgrade"]) == 0
    assert main(["--db", db, "db", "current"]) == 0
    assert capsys.readouterr().out.strip().endswith("(head)")


def test_database_url_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "env.db"
    monkeypatch.setenv("QUIZ_DATABASE_URL", str(db))
    assert main(["db", "upgrade"]) == 0
    assert db.exists()


def test_settings_from_the_environment_any_case_and_flags_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "env.db"
    monkeypatch.setenv("quiz_database_url", str(db))  # as pydantic-settings did: any case
    monkeypatch.setenv("QUIZ_IMPORT_BUILTIN_BANK", "No")
    assert main(["bank", "export", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []  # opened, the built-in bank not imported
    monkeypatch.setenv("QUIZ_IMPORT_BUILTIN_BANK", "sometimes")
    other = tmp_path / "other.db"
    assert main(["--db", str(other), "bank", "export", "--format", "json"]) == 1
    error = capsys.readouterr().err
    assert "QUIZ_IMPORT_BUILTIN_BANK is 'sometimes'" in error and "true or false" in error
    assert not other.exists()  # nothing opened
    monkeypatch.setenv("QUIZ_IMPORT_BUILTIN_BANK", "1")
    assert main(["--db", str(other), "bank", "export", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)  # the built-in bank


def test_without_quiz_variables_the_settings_are_their_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No QUIZ_* variable: start-up takes each setting's default without reading them (no
    pydantic-settings); these are the defaults that reading them gives."""
    from quiz.cli.common import database_url, open_db, profile_name
    from quiz.environment import default_database_url, settings_in_environment
    from quiz.settings import read_settings

    for name in list(os.environ):
        if name.upper().startswith("QUIZ_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert not settings_in_environment()
    settings = read_settings()
    args = build_parser().parse_args([])
    assert database_url(args) == settings.resolved_database_url() == default_database_url()
    assert profile_name(args) is None and settings.profile is None
    other = tmp_path / "new.db"
    database = open_db(build_parser().parse_args(["--db", str(other)]), announce_backup=False)
    database.close()
    assert settings.import_builtin_bank
    assert main(["--db", str(other), "bank", "export", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)  # the built-in bank, imported on opening
    monkeypatch.setenv("quiz_profile", "ann")  # any case, as pydantic-settings reads it
    assert settings_in_environment() and profile_name(args) == "ann"


def test_schema_is_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["properties"]["questions"]["type"] == "array"


def test_profile_settings_change_and_refuse_bad_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "x.db")
    args = ["--db", db, "--profile", "ann", "profile", "settings"]
    assert main([*args, "--new-per-day", "30", "--learning-steps", "1 5 15", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["new_per_day"] == 30 and shown["learning_steps_minutes"] == [1, 5, 15]
    assert main([*args, "--desired-retention", "1.5"]) == 1
    assert "desired retention must be between" in capsys.readouterr().err
    assert main([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["desired_retention"] == 0.9
    for steps in ("99999999999999999999", "1 " * 11, "0", "-5", "x"):
        assert main([*args, "--learning-steps", steps]) == 1
        assert "learning steps are " in capsys.readouterr().err
    assert main([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["learning_steps_minutes"] == [1, 5, 15]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://x@localhost/db", "driver for mysql is not installed"),
        ("://nope", "is not a database URL"),
        ("postgresql+psycopg://u:hunter2@host:abc/db", "'postgresql+psycopg://u:***@host:abc/db'"),
        ("bad url://u:hunter2@host/db", "'bad url://u:***@host/db' is not a database URL"),
        ("postgresql+psycopg://nobody@127.0.0.1:1/x", "cannot reach the PostgreSQL server"),
    ],
)
def test_unusable_database_urls_give_one_sentence(tmp_path: Path, url: str, message: str) -> None:
    result = run_quiz("--db", url, "db", "current", cwd=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert "hunter2" not in result.stderr


def test_bank_grade_says_right_or_wrong_what_it_matched_and_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "g.db")
    assert (
        main(["bank", "grade", "--db", db, "tp-war-resolved-sa", "it ended the Crimean war"]) == 0
    )
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "right"
    assert out[1] == "matched: Crimean War"
    assert "synonym" in out[2]
    args = ["bank", "grade", "--db", db, "tp-black-sea-cloze", "the Black Sea", "commerce"]
    assert main([*args, "--json"]) == 0
    graded = json.loads(capsys.readouterr().out)
    assert graded == {
        "correct": True,
        "matched": ["Black Sea", "commerce"],
        "reason": "gap 1: exact; gap 2: exact",
    }
    wrong_sea = ["tp-influence-cause-sa", "demilitarising the Baltic Sea", "--json"]
    assert main(["bank", "grade", "--db", db, *wrong_sea]) == 0
    assert json.loads(capsys.readouterr().out)["correct"] is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-id", "x"], "there is no question with id 'no-such-id'"),
        (["tp-black-sea-cloze", "Black Sea"], "has 2 gap(s): give one answer per gap"),
        (["tp-influence-cause-sa", "Black", "Sea"], "give one answer (in quotes"),
    ],
)
def test_bank_grade_errors_are_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["bank", "grade", "--db", str(tmp_path / "g.db"), *args]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--db", "x.db"],
        ["--db=x.db", "--profile", "bank"],  # a profile named like a command
        ["--pro", "ann", "--exit-when-ready"],  # abbreviated, as argparse allows
        ["--served", "--db", "x.db"],
    ],
)
def test_the_app_alone_is_read_as_the_full_parser_reads_it(argv: list[str]) -> None:
    fast = app_arguments(argv)
    assert fast is not None
    assert vars(fast) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["--db", "x.db", "bank", "export"],
        ["stats"],
        ["--help"],
        ["-h"],
        ["--version"],
        ["--db"],  # no value: the full parser says so
        ["--nonsense"],
    ],
)
def test_commands_help_and_mistakes_go_to_the_full_parser(argv: list[str]) -> None:
    assert app_arguments(argv) is None


def test_starting_the_app_imports_no_command_module() -> None:
    code = (
        "import sys\n"
        "from quiz.cli import app_arguments\n"
        "app_arguments(['--db', 'x.db'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('quiz.cli.')))"
    )
    assert fresh_python(code) == "['quiz.cli.common']"
