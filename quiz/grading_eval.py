"""The grading evaluation set (tests/data/grading_eval.yaml) run through the real grader.

For each question: answers a knowing student would type (`right`) and near-misses a
teacher marks wrong (`wrong`). :func:`evaluate` grades them all with
:func:`quiz.services.answering.check_response` and counts; entries whose question id is
not in the built-in bank (retired) are skipped and listed. Used by the test
(tests/test_grading_eval.py) and the benchmark (`python -m quiz.bench`).
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from quiz.bank.schema import Cloze, QuestionBase, ShortAnswer
from quiz.services.answering import GapsResponse, TypedResponse, check_response

EVAL_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "grading_eval.yaml"


@dataclass
class EvalResult:
    """Counts over the set, and what went the wrong way (question id, answer)."""

    right_total: int = 0
    right_accepted: int = 0
    wrong_total: int = 0
    wrong_rejected: int = 0
    questions: int = 0
    skipped: list[str] = field(default_factory=list)  # ids no longer in the bank
    missing: list[str] = field(default_factory=list)  # bank questions without entries
    refused: list[tuple[str, Any]] = field(default_factory=list)  # right answers marked wrong
    let_through: list[tuple[str, Any]] = field(default_factory=list)  # near-misses accepted

    @property
    def accepted_share(self) -> float:
        return self.right_accepted / self.right_total if self.right_total else 1.0

    @property
    def rejected_share(self) -> float:
        return self.wrong_rejected / self.wrong_total if self.wrong_total else 1.0


def _correct(question: QuestionBase, answer: Any) -> bool:
    if isinstance(question, Cloze):
        gaps = tuple(answer) if isinstance(answer, list) else (str(answer),)
        return check_response(question, GapsResponse(gaps=gaps)).correct
    return check_response(question, TypedResponse(typed=str(answer))).correct


def builtin_typed_questions() -> dict[str, QuestionBase]:
    """The built-in bank's short answer and cloze questions by id."""
    from quiz.resources import builtin_bank_files
    from quiz.services.bank import validate_paths

    result = validate_paths(builtin_bank_files())
    return {
        q.id: q
        for loaded in result.banks
        for q in loaded.bank.questions
        if isinstance(q, ShortAnswer | Cloze)
    }


def evaluate(questions: dict[str, QuestionBase] | None = None, path: Path = EVAL_SET) -> EvalResult:
    """Grade every answer of the set at `path` against `questions` (the built-in bank's)."""
    bank = builtin_typed_questions() if questions is None else questions
    entries: dict[str, dict[str, list[Any]]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    result = EvalResult()
    for question_id, entry in entries.items():
        question = bank.get(question_id)
        if question is None:
            result.skipped.append(question_id)
            continue
        result.questions += 1
        for answer in entry.get("right", []):
            result.right_total += 1
            if _correct(question, answer):
                result.right_accepted += 1
            else:
                result.refused.append((question_id, answer))
        for answer in entry.get("wrong", []):
            result.wrong_total += 1
            if _correct(question, answer):
                result.let_through.append((question_id, answer))
            else:
                result.wrong_rejected += 1
    result.missing = sorted(set(bank) - set(entries))
    return result
