"""Item analysis of a drill over finished attempts: each student's first attempt by
default (as Moodle), or every attempt. The formulas are in `quiz.core.item_analysis`."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy.orm import Session

from quiz.bank.schema import MultipleChoice, parse_question
from quiz.core.item_analysis import ItemStats, MarkedAttempt, analyse_item, cronbach_alpha
from quiz.core.responses import ChoiceResponse, parse_response
from quiz.services import paper
from quiz.services.drills.attempts import AttemptDetails
from quiz.store.models import StudySession

Basis = Literal["first", "all"]
BASES: tuple[Basis, ...] = ("first", "all")


@dataclass(frozen=True)
class ItemRow:
    """One question's item analysis."""

    key: str
    prompt: str
    type: str
    stats: ItemStats


@dataclass(frozen=True)
class DrillAnalysis:
    """The item analysis of a drill: over which attempts, each question, and alpha."""

    basis: Basis
    attempts: int
    alpha: float | None
    items: tuple[ItemRow, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "basis": self.basis,
            "attempts": self.attempts,
            "cronbach_alpha": _round(self.alpha),
            "method": "discrimination: upper minus lower 27% group (Kelley); "
            "alpha: Cronbach (KR-20 on 0/1 marks)",
        }

    def item_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "id": row.key,
                "prompt": row.prompt,
                "type": row.type,
                "asked": row.stats.asked,
                "right": row.stats.right,
                "facility": round(row.stats.facility, 4),
                "discrimination": _round(row.stats.discrimination),
                "group_size": row.stats.group_size,
                "upper_right": row.stats.upper_right,
                "lower_right": row.stats.lower_right,
                "distractors": [
                    {"option": d.option, "chosen": d.chosen, "upper": d.upper, "lower": d.lower}
                    for d in row.stats.distractors
                ],
                "flags": list(row.stats.flags),
            }
            for row in self.items
        ]


ITEM_COLUMNS = [
    "id",
    "prompt",
    "type",
    "asked",
    "right",
    "facility",
    "discrimination",
    "group_size",
    "upper_right",
    "lower_right",
    "distractors",
    "flags",
]


def item_csv_rows(analysis: DrillAnalysis) -> list[dict[str, Any]]:
    """The item rows flattened for CSV: distractors as `option: chosen (upper/lower)` and
    flags joined by `; `."""
    out = []
    for row in analysis.item_rows():
        row["distractors"] = "; ".join(
            f"{d['option']}: {d['chosen']} ({d['upper']}/{d['lower']})" for d in row["distractors"]
        )
        row["flags"] = "; ".join(row["flags"])
        out.append(row)
    return out


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def analysed_attempts(studies: Sequence[StudySession], basis: Basis) -> list[StudySession]:
    """The finished attempts to analyse: each student's first one (when finished), or all."""
    ordered = sorted(studies, key=lambda s: (s.started_at, s.id))
    if basis == "first":
        firsts: dict[int, StudySession] = {}
        for study in ordered:
            firsts.setdefault(study.profile_id, study)
        ordered = list(firsts.values())
    return [s for s in ordered if s.ended_at is not None and s.score is not None]


def analyse_drill(session: Session, studies: Sequence[StudySession], basis: Basis) -> DrillAnalysis:
    """The item analysis of a drill's attempts (`studies`: all of them, any student)."""
    chosen = analysed_attempts(studies, basis)
    answers = paper.answers_of_papers(session, [s.id for s in chosen])
    marked = []
    for order, study in enumerate(chosen):
        asked = AttemptDetails.model_validate(study.details).question_ids
        right: dict[int, bool] = {}
        selected: dict[int, frozenset[str]] = {}
        for qid in asked:
            answer = answers.get((study.id, qid))
            right[qid] = bool(answer is not None and answer.correct)
            response = None if answer is None else parse_response(answer.response)
            if isinstance(response, ChoiceResponse):
                selected[qid] = frozenset(response.selected)
        assert study.score is not None
        marked.append(MarkedAttempt(order, study.score, right, selected))
    question_ids = sorted({qid for attempt in marked for qid in attempt.right})
    rows = paper.questions_by_id(session, question_ids)
    items = []
    for qid in question_ids:
        question = parse_question(rows[qid].data)
        wrong = (
            [c for c in question.choices if c not in question.answers]
            if isinstance(question, MultipleChoice)
            else []
        )
        stats = analyse_item(qid, marked, wrong)
        items.append(ItemRow(rows[qid].key, question.prompt_text, rows[qid].type, stats))
    items.sort(
        key=lambda r: (
            not r.stats.flags,
            2.0 if r.stats.discrimination is None else r.stats.discrimination,
            r.key,
        )
    )
    return DrillAnalysis(basis, len(marked), cronbach_alpha(marked), tuple(items))
