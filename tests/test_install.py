"""Installed as a wheel (not editable), `quiz` works from any folder: the migrations and the
built-in bank travel inside the package."""

import json
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the built wheel; dependencies come from this test environment."""
    work = tmp_path_factory.mktemp("install")
    wheels = work / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    target = work / "venv"
    venv.create(target, with_pip=False)
    new_site = next((target / "lib").glob("python*/site-packages"))
    # Reuse the already installed dependencies instead of downloading them again.
    (new_site / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    wheel = next(wheels.glob("quiz-*.whl"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(new_site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    return target


def test_wheel_carries_migrations_and_bank(installed: Path, tmp_path: Path) -> None:
    python = installed / "bin" / "python"
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import quiz.resources as r; print(r.__file__);"
            "print(r.migrations_dir()); print(r.builtin_bank_dir())",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert all(str(installed) in line for line in where), where
    result = subprocess.run(
        [
            str(python),
            "-m",
            "quiz",
            "--db",
            str(tmp_path / "x.db"),
            "bank",
            "export",
            "--format",
            "json",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) > 0
