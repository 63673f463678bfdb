"""Imports point downwards: the headless layers never import Textual."""

import ast
from pathlib import Path

import pytest

from tests.probe import fresh_python

HEADLESS = [
    "quiz.services.bank",
    "quiz.services.database",
    "quiz.services.reviewing",
    "quiz.services.paper",
    "quiz.services.drills",
    "quiz.services.mock_exam",
    "quiz.services.progress",
    "quiz.core.calendar",
    "quiz.core.responses",
    "quiz.bank.loader",
    "quiz.interop.apkg_import",
    "quiz.services.interop",
    "quiz.store.models",
    "quiz.store.migrate",
    "quiz.cli",
]


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_modules_do_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    assert fresh_python(code) == "False"


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
    assert fresh_python(code) == "False"


ROOT = Path(__file__).resolve().parents[1] / "quiz"
# What each layer may import from the package (besides itself and quiz.errors).
ALLOWED = {
    "tui": {"quiz.services", "quiz.tui"},
    "cli": {
        "quiz.services",
        "quiz.cli",
        "quiz.settings",
        "quiz.environment",  # the settings' light part (no pydantic): read before them
        "quiz.tui",
        "quiz.resources",
        "quiz.web",
    },
    "web": {"quiz.web"},
    "services": {
        "quiz.services",
        "quiz.store",
        "quiz.core",
        "quiz.bank",
        "quiz.interop",
        "quiz.resources",
    },
    "interop": {"quiz.interop", "quiz.bank"},
    "core": {"quiz.core"},
    "bank": {"quiz.bank"},
    "store": {"quiz.store", "quiz.resources"},
}


def _quiz_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {n for n in names if n == "quiz" or n.startswith("quiz.")}


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_imports_point_downwards(layer: str) -> None:
    wrong = {}
    for path in (ROOT / layer).rglob("*.py"):
        for name in _quiz_imports(path):
            if name in ("quiz", "quiz.errors"):
                continue
            if not any(name == ok or name.startswith(ok + ".") for ok in ALLOWED[layer]):
                wrong.setdefault(str(path.relative_to(ROOT)), []).append(name)
    assert wrong == {}


def test_no_module_imports_another_modules_private_names() -> None:
    """`from quiz.x import _name` reaches into another module's insides: make it public."""
    private = {}
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("quiz"):
                names = [a.name for a in node.names if a.name.startswith("_")]
                names = [n for n in names if not (n.startswith("__") and n.endswith("__"))]
                if names:
                    private[str(path.relative_to(ROOT))] = names
    assert private == {}
