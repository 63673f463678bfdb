"""`quiz db backup`, `quiz db check` and `quiz db restore` on a real SQLite file, through
the CLI: a damaged database is found, named with its newest backup, and restored."""

import sqlite3
from pathlib import Path

import pytest

from quiz.cli import main
from quiz.services.database import open_database
from quiz.services.profiles import get_or_create_profile, list_profiles

from .conftest import NOW


def test_backup_check_damage_and_restore(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "quiz.db"
    database = open_database(f"sqlite:///{path}", NOW, import_builtin=False)
    get_or_create_profile(database, "ann", NOW)
    database.close()
    db = ["--db", str(path)]

    assert main([*db, "db", "check"]) == 0
    assert "the database is sound" in capsys.readouterr().out
    folder = tmp_path / "backups"
    folder.mkdir()
    assert main([*db, "db", "backup", str(folder)]) == 0
    [backup] = list(folder.iterdir())
    assert str(backup) in capsys.readouterr().out
    assert main([*db, "db", "backup", str(backup)]) == 1  # never overwrites
    assert "exists already" in capsys.readouterr().err
    assert main([*db, "db", "backup"]) == 0  # beside the database
    beside = [p for p in tmp_path.iterdir() if ".backup-" in p.name]
    assert len(beside) == 1
    capsys.readouterr()

    with sqlite3.connect(path) as connection:  # damage a data page of the profiles table
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'profiles'"
        ).fetchone()[0]
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(path.read_bytes())
    data[(root - 1) * page_size : root * page_size] = b"\xff" * page_size
    path.write_bytes(bytes(data))
    assert main([*db, "db", "check"]) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and f"quiz db restore {beside[0]}" in err
    assert len(err.strip().splitlines()) == 1

    damaged = tmp_path / "other.db"
    damaged.write_bytes(bytes(data))
    assert main([*db, "db", "restore", str(damaged)]) == 1  # a damaged backup is refused
    assert "is not a sound quiz backup" in capsys.readouterr().err
    assert main([*db, "db", "restore", str(backup)]) == 0
    assert "is kept as" in capsys.readouterr().out
    assert main([*db, "db", "check"]) == 0
    reopened = open_database(f"sqlite:///{path}", NOW, import_builtin=False)
    assert [p.name for p in list_profiles(reopened)] == ["ann"]
    reopened.close()


def test_postgresql_gets_pg_dump_advice(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", "postgresql+psycopg://nobody@127.0.0.1:1/x", "db", "backup"]) == 1
    assert "pg_dump" in capsys.readouterr().err
