"""Where the files that travel with the package live.

An installed wheel carries `migrations/` and `questions/` inside `quiz/_data/`; a source
checkout (editable install, tests) reads them from the repository root.
"""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def migrations_dir() -> Path:
    """The Alembic script directory."""
    return _data_dir("migrations")


def builtin_bank_dir() -> Path:
    """The directory of the built-in question banks and their material."""
    return _data_dir("questions")


def builtin_bank_files() -> list[Path]:
    """Every built-in bank file, in a stable order."""
    return sorted(builtin_bank_dir().glob("*.yaml"))
