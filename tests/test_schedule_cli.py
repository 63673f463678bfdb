"""`quiz schedule balance`, `class-fit` and the workload settings from the command line:
JSON output, and bad input refused with a sentence, changing nothing."""

import json

import pytest

from quiz.cli import main
from quiz.services.database import open_database
from quiz.services.profiles import find_profile
from tests.conftest import NOW


def _run(url: str, *args: str) -> int:
    return main(["--db", url, "--profile", "ann", *args])


def test_balance_and_workload_settings(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(sqlite_url, "profile", "settings", "--load-balance", "on",
                "--easy-days", "sat, sun", "--json") == 0  # fmt: skip
    shown = json.loads(capsys.readouterr().out)
    assert shown["load_balance"] is True and shown["easy_days"] == [5, 6]
    assert _run(sqlite_url, "profile", "settings", "--easy-days", "caturday") == 1
    assert "not a weekday" in capsys.readouterr().err
    database = open_database(sqlite_url, NOW)
    stored = find_profile(database, "ann")
    database.close()
    assert stored is not None and stored.easy_days == (5, 6)  # unchanged
    assert _run(sqlite_url, "schedule", "balance", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["moved"] == 0 and len(report["days"]) == 14


def test_class_fit_needs_a_teacher_and_history(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", sqlite_url, "profile", "create", "teach", "--teacher",
                 "--pin", "654321"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["--db", sqlite_url, "--profile", "teach", "schedule", "class-fit",
                 "--pin", "0000"]) == 1  # fmt: skip
    assert "wrong PIN" in capsys.readouterr().err
    assert main(["--db", sqlite_url, "--profile", "teach", "schedule", "class-fit",
                 "--pin", "654321"]) == 1  # fmt: skip
    assert "too little history" in capsys.readouterr().err
