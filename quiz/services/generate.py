"""Draft a question bank from plain-text material: read, generate, validate, write YAML."""

import os
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from quiz.bank.schema import BankFile
from quiz.core.generate import draft_bank
from quiz.errors import QuizError

_HEADER = (
    "# Drafted by `quiz bank generate` from {material}, without a language model.\n"
    "# Every question needs a teacher's eye: fix the wording, drop what is not worth asking,\n"
    "# then run `quiz bank validate {output}`.\n"
)


@dataclass
class GenerateReport:
    """What was written: the file and how many drafts of each question type."""

    path: Path
    deck: str
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class _Dumper(yaml.SafeDumper):
    """Block-style YAML with short lists (tags, choices) on one line, and no anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(isinstance(item, str) for item in data) and sum(len(i) for i in data) < 70
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def render_bank(bank: dict[str, Any]) -> str:
    """The bank as YAML text, keys in the order given."""
    text: str = yaml.dump(bank, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return text


def generate_bank(
    material: Path, output: Path, max_drafts: int = 60, overwrite: bool = False
) -> GenerateReport:
    """Draft questions from `material` and write them as a bank file to `output`."""
    if max_drafts < 1:
        raise QuizError(f"--max must be at least 1, not {max_drafts}; give a positive number")
    try:
        text = material.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QuizError(f"material file {material} not found; check the path") from None
    except IsADirectoryError:
        raise QuizError(f"{material} is a folder; give a plain-text material file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise QuizError(
            f"cannot read material file {material} ({exc}); save it as UTF-8 text"
        ) from None
    if output.exists() and not overwrite:
        raise QuizError(
            f"{output} already exists; choose another -o path or pass --force to replace it"
        )
    if output.resolve() == material.resolve():
        raise QuizError(f"-o {output} is the material file itself; choose another path")
    folder = output.parent.resolve()
    relative = Path(os.path.relpath(material.resolve(), folder)).as_posix()
    # A bank's material must lie in the bank's folder: one from elsewhere is copied there.
    copy_to = folder / material.name if relative.startswith("../") else None
    if copy_to is not None:
        if copy_to.exists() and copy_to.read_bytes() != material.read_bytes():
            raise QuizError(
                f"{copy_to} exists and differs from {material}; the draft's material must "
                "sit next to it, so choose another -o folder"
            )
        relative = material.name
    bank = draft_bank(text, material.stem, relative, max_drafts)
    if not bank["questions"]:
        raise QuizError(
            f"found nothing to ask about in {material} (no dates, numbers or repeated "
            "phrases); write questions by hand, see `quiz bank schema`"
        )
    try:
        BankFile.model_validate(bank)
    except ValidationError as exc:  # a bug in the generator, reported without a traceback
        raise QuizError(
            f"the drafts for {material} do not fit the bank format ({exc.error_count()} "
            "problem(s)); please report this with the material file"
        ) from exc
    header = _HEADER.format(material=material.name, output=output.name)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if copy_to is not None and not copy_to.exists():
            shutil.copyfile(material, copy_to)
        output.write_text(header + render_bank(bank), encoding="utf-8")
    except OSError as exc:
        raise QuizError(f"cannot write {output} ({exc}); choose another -o path") from None
    counts = Counter(str(question["type"]) for question in bank["questions"])
    return GenerateReport(output, str(bank["deck"]), counts)
