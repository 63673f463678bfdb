"""Drafting: cloze and multiple-choice questions, and a whole draft bank, from material."""

import re
import zlib
from collections import Counter
from dataclasses import dataclass
from typing import Any

from quiz.core.generate.answers import DISTRACTORS, accepted_forms, distractors
from quiz.core.generate.items import KINDS, Item, detect_items
from quiz.core.generate.passages import Passage, passage_for
from quiz.core.generate.text import normalise_space, sentences, tokenize

_KIND_NOUN = {"date": "date", "year": "year", "number": "number", "phrase": "phrase"}


def deck_name(stem: str) -> str:
    """A deck name from a file name: lower case, anything but [a-z0-9_-] becomes '-'."""
    name = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-_")
    return name[:48].rstrip("-_") or "material"


def deck_title(stem: str) -> str:
    """A readable title from a file name: 'treaty_of_paris_1856' -> 'Treaty of paris 1856'."""
    words = re.sub(r"[_\-\s]+", " ", stem).strip()
    return (words[:1].upper() + words[1:]) if words else "Material"


def _tidy(text: str, capitalise: bool) -> str:
    """Readable spacing around punctuation; the quote in `source` stays untouched."""
    text = re.sub(r"\s+([,.;:!?%)\]’”])", r"\1", text)
    text = re.sub(r"([(\[‘“])\s+", r"\1", text)
    text = re.sub(r"\s+(['’]s)\b", r"\1", text)
    return text[:1].upper() + text[1:] if capitalise and text[:1].isalpha() else text


def _gapped(text: str, passage: Passage) -> str:
    item = passage.item
    before = normalise_space(text[passage.start : item.start]).replace("{{", "{ {")
    after = normalise_space(text[item.end : passage.end]).replace("{{", "{ {")
    body = " ".join(part for part in (before, "{{1}}", after) if part)
    body = _tidy(body, capitalise=not passage.cut_start)
    return ("... " if passage.cut_start else "") + body + (" ..." if passage.cut_end else "")


@dataclass(frozen=True)
class _Draft:
    position: int
    order: int
    passage: Passage
    data: dict[str, Any]


def _overlap(p: Passage, q: Passage) -> float:
    shared = min(p.end, q.end) - max(p.start, q.start)
    return max(shared, 0) / max(min(p.end - p.start, q.end - q.start), 1)


def draft_questions(text: str, deck: str, max_drafts: int = 60) -> list[dict[str, Any]]:
    """Draft cloze and multiple-choice questions from the material, at most `max_drafts`.

    Each draft is a dict in the bank format (without its id's deck prefix decided elsewhere:
    ids are `<deck>-gen-001`, ... in the order the drafts appear in the material).
    """
    tokens = tokenize(text)
    spans = sentences(text, tokens)
    items = detect_items(text)
    pools: dict[str, dict[str, Item]] = {kind: {} for kind in KINDS}
    for item in items:
        pools[item.kind].setdefault(item.key, item)
    # Years inside dates are years too, as distractors for other years.
    for item in items:
        if item.kind == "date":
            year = item.key[:4]
            pools["year"].setdefault(year, Item("year", year, year, item.start, item.end))
    frequency = Counter(item.key for item in items)
    per_key_limit = {"date": 3, "year": 3, "number": 3, "phrase": 2}

    occurrence: Counter[tuple[str, str]] = Counter()
    candidates: list[tuple[tuple[Any, ...], Passage]] = []
    for item in items:
        ident = (item.kind, item.key)
        if occurrence[ident] >= per_key_limit[item.kind]:
            continue
        passage = passage_for(text, tokens, spans, item)
        if passage is None:
            continue
        rank = (occurrence[ident], KINDS.index(item.kind), -frequency[item.key], item.start)
        occurrence[ident] += 1
        candidates.append((rank, passage))
    candidates.sort(key=lambda c: c[0])

    drafts: list[_Draft] = []
    for _, passage in candidates:
        if len(drafts) >= max_drafts:
            break
        item = passage.item
        if any(
            d.passage.item.key == item.key and _overlap(d.passage, passage) > 0.5 for d in drafts
        ):
            continue
        source = normalise_space(text[passage.start : passage.end])
        cloze_text = _gapped(text, passage)
        explanation = f"From the material: “{source}”"
        before = text[passage.start : item.start]
        cloze = {
            "type": "cloze",
            "topic": "draft",
            "tags": [item.kind],
            "difficulty": 2,
            "text": cloze_text,
            "gaps": [{"answer": item.text, "accept": accepted_forms(item, before)}],
            "explanation": explanation,
            "source": source,
        }
        drafts.append(_Draft(item.start, 0, passage, cloze))
        wrong = distractors(item, pools[item.kind], source)
        if len(wrong) == DISTRACTORS and len(drafts) < max_drafts:
            slot = zlib.crc32(f"{item.key}|{source}".encode()) % (DISTRACTORS + 1)
            choices = [*wrong[:slot], item.text, *wrong[slot:]]
            noun = _KIND_NOUN[item.kind]
            blank = cloze_text.replace("{{1}}", "_____")
            choice = {
                "type": "multiple_choice",
                "topic": "draft",
                "tags": [item.kind],
                "difficulty": 2,
                "prompt": f"Which {noun} fills the gap? {blank}",
                "choices": choices,
                "answers": [item.text],
                "explanation": explanation,
                "source": source,
            }
            drafts.append(_Draft(item.start, 1, passage, choice))
    drafts.sort(key=lambda d: (d.position, d.order))
    prefix = deck[:52]
    return [{"id": f"{prefix}-gen-{n:03d}", **d.data} for n, d in enumerate(drafts, start=1)]


def draft_bank(text: str, stem: str, material: str, max_drafts: int = 60) -> dict[str, Any]:
    """A whole draft bank file (as a dict) for material whose file name has this stem."""
    deck = deck_name(stem)
    return {
        "deck": deck,
        "title": f"{deck_title(stem)} (draft)",
        "description": "Drafted by `quiz bank generate`; edit every question before use.",
        "material": material,
        "topics": ["draft"],
        "questions": draft_questions(text, deck, max_drafts),
    }
