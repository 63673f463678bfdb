"""Imports point downwards: the headless layers never import Textual."""

import subprocess
import sys

import pytest

HEADLESS = [
    "quiz.services.bank",
    "quiz.services.database",
    "quiz.services.decks",
    "quiz.bank.loader",
    "quiz.store.models",
    "quiz.store.migrate",
    "quiz.cli",
]


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_modules_do_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_opening_a_database_at_head_does_not_import_alembic(tmp_path: object) -> None:
    code = (
        "import sys\nfrom datetime import UTC, datetime\n"
        "from quiz.services.database import open_database\n"
        f"url = 'sqlite:///{tmp_path}/x.db'\n"
        "open_database(url, datetime.now(UTC)).close()\n"
        "for name in [m for m in sys.modules if m.startswith('alembic')]: del sys.modules[name]\n"
        "open_database(url, datetime.now(UTC)).close()\n"
        "print(any(m.startswith('alembic') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
