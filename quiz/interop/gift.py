"""Moodle GIFT: export and import, as Moodle's documentation describes the format.

Export: multiple choice (several right answers as `%weight%`s), true/false, short answer
with every accepted alternative, a single-gap cloze as a missing-word question,
`$CATEGORY:` per deck and topic, the explanation as general feedback (`####`), the
question id as its name (`::id::`) and special characters escaped. Flashcards, ordering
and clozes of more than one gap have no GIFT form: they are listed as skipped.

Import: the same, plus missing-word multiple choice, true/false in all its spellings,
short-answer weights (below 100% is not an accepted answer: listed), comments, `[html]`
`[markdown]` `[plain]` `[moodle]` formats, numerical questions (one exact value, or a
small range of whole numbers, as a short answer) and matching (one flashcard per pair).
Essays, descriptions and numerical tolerances we cannot hold are listed as skipped; a
construct that is not GIFT stops the import with its line.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from quiz.bank.schema import GAP_MARK, Cloze, MultipleChoice, QuestionBase, ShortAnswer, TrueFalse
from quiz.interop.delimited import read_text
from quiz.interop.html import html_to_text
from quiz.interop.model import (
    NO_EXPLANATION,
    ExportDeck,
    FormatError,
    ImportedDeck,
    ReadResult,
    Skipped,
    Tick,
    Ticker,
    WriteResult,
    build_question,
    derived_id,
    imported_source,
    safe_id,
    slug,
)

SPECIAL = "~=#{}:"
# Escaped characters stand in as private-use characters while a question is parsed.
_ESCAPES = {"\\" + c: chr(0xE000 + i) for i, c in enumerate("\\" + SPECIAL)}
_UNESCAPE = {v: k[1] for k, v in _ESCAPES.items()}
_TRUE = {"T", "TRUE"}
_FALSE = {"F", "FALSE"}
_ITEM = re.compile(r"([=~])(?:%(-?\d+(?:\.\d+)?)%)?([^=~]*)", re.DOTALL)
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
MAX_RANGE = 20


def escape(text: str) -> str:
    """Text with GIFT's special characters escaped and line breaks as `\\n`."""
    text = text.replace("\\", "\\\\")
    for character in SPECIAL:
        text = text.replace(character, "\\" + character)
    return text.replace("\n", "\\n")


def _category(*parts: str) -> str:
    return "$CATEGORY: $course$/top/" + "/".join(p.replace("/", "//") for p in parts)


def _feedback(question: QuestionBase) -> str:
    return f" ####{escape(question.explanation)}"


def gift_question(question: QuestionBase) -> str:
    """One question in GIFT, or raise ValueError with why it has no GIFT form."""
    name = f"::{question.id}::"
    if isinstance(question, MultipleChoice):
        if len(question.answers) == 1:
            items = [("=" if c in question.answers else "~") + escape(c) for c in question.choices]
        else:
            right = _weight(100 / len(question.answers))
            wrong = _weight(-100 / (len(question.choices) - len(question.answers)))
            items = [
                f"~%{right if c in question.answers else wrong}%{escape(c)}"
                for c in question.choices
            ]
        return f"{name}{escape(question.prompt)} {{{' '.join(items)}{_feedback(question)}}}"
    if isinstance(question, TrueFalse):
        answer = "TRUE" if question.answer else "FALSE"
        return f"{name}{escape(question.prompt)} {{{answer}{_feedback(question)}}}"
    if isinstance(question, ShortAnswer):
        alternatives = " ".join("=" + escape(a) for a in question.accepted_answers)
        return f"{name}{escape(question.prompt)} {{{alternatives}{_feedback(question)}}}"
    if isinstance(question, Cloze):
        if len(question.gaps) != 1:
            raise ValueError(f"a cloze of {len(question.gaps)} gaps; GIFT's missing word has one")
        before, after = GAP_MARK.split(question.text)[0], GAP_MARK.split(question.text)[-1]
        if not after.strip():
            raise ValueError("its gap ends the text, which GIFT reads as a short answer")
        alternatives = " ".join("=" + escape(a) for a in question.gaps[0].all)
        answer = f"{{{alternatives}{_feedback(question)}}}"
        return f"{name}{escape(before)}{answer}{escape(after)}"
    kind = question.model_dump()["type"].replace("_", " ")
    raise ValueError(f"a {kind} question has no GIFT form (GIFT cannot grade it the same way)")


def _weight(value: float) -> str:
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return text


def write_gift(decks: list[ExportDeck], path: Path, tick: Tick | None = None) -> WriteResult:
    result = WriteResult()
    ticker = Ticker(tick, sum(len(deck.questions) for deck in decks))
    blocks = []
    for deck in decks:
        topic = None
        for question in sorted(deck.questions, key=lambda q: (q.topic, q.id)):
            ticker.step()
            try:
                text = gift_question(question)
            except ValueError as why:
                result.skipped.append(Skipped(f"question {question.id}", str(why)))
                continue
            if question.topic != topic:
                topic = question.topic
                blocks.append(_category(deck.title, topic))
            blocks.append(text)
            result.written += 1
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return result


@dataclass
class _Block:
    line: int
    text: str


def _blocks(text: str) -> list[_Block | tuple[int, str]]:
    """Questions (blocks separated by blank lines, comments dropped) and category lines."""
    out: list[_Block | tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if stripped.startswith("$CATEGORY:"):
            if current:
                out.append(_Block(start, "\n".join(current)))
                current = []
            out.append((number, stripped.removeprefix("$CATEGORY:").strip()))
            continue
        if not stripped:
            if current:
                out.append(_Block(start, "\n".join(current)))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        out.append(_Block(start, "\n".join(current)))
    return out


def _restore(text: str, html: bool = False, strip: bool = True) -> str:
    """Text of the question with its escapes undone (and HTML made text)."""
    text = text.replace("\\n", "\n")
    for private, character in _UNESCAPE.items():
        text = text.replace(private, character)
    if html:
        return html_to_text(text)[0]
    return text.strip() if strip else text


def read_gift(path: Path, deck: str | None = None, tick: Tick | None = None) -> ReadResult:
    """Questions from a GIFT file; a construct that is not GIFT stops it with its line.
    `tick` is told how many of its questions are read."""
    text = read_text(path, "this is a zip file, not GIFT text")
    title = path.stem
    result = ReadResult()
    decks: dict[str, ImportedDeck] = {}
    topic = title
    blocks = _blocks(text)
    ticker = Ticker(tick, len(blocks))
    for block in blocks:
        ticker.step()
        if isinstance(block, tuple):  # $CATEGORY: [$course$/top/]deck/topic, / escaped as //
            parts = [p.replace("\0", "/") for p in block[1].replace("//", "\0").split("/")]
            parts = [p.strip() for p in parts if p and p not in ("$course$", "$system$", "top")]
            if len(parts) >= 2:
                title = parts[0]
            topic = parts[-1] if parts else topic
            continue
        imported = decks.setdefault(title, ImportedDeck(slug(deck or title), title))
        for data in _question(path, block, topic, title, result.skipped):
            question = build_question(data, f"line {block.line}", result.skipped)
            if question is not None:
                imported.questions.append(question)
    result.decks = [d for d in decks.values() if d.questions]
    result.unheld = frozenset({"tags", "difficulty", "fact"})
    if not result.decks:
        raise FormatError(
            path,
            None,
            "holds no question we can import"
            + (f" ({result.skipped[0]})" if result.skipped else ""),
        )
    return result


def _question(
    path: Path, block: _Block, topic: str, title: str, skipped: list[Skipped]
) -> list[dict[str, Any]]:
    where = f"line {block.line}"
    text = block.text
    for escaped, private in _ESCAPES.items():
        text = text.replace(escaped, private)
    name = None
    match = re.match(r"^\s*::(.*?)::", text, re.DOTALL)
    if match:
        name, text = _restore(match.group(1)), text[match.end() :]
    text = text.lstrip()
    html = False
    fmt = _FORMAT.match(text)
    if fmt:
        html, text = fmt.group(1).lower() == "html", text[fmt.end() :]
    opening = text.find("{")
    if opening < 0:
        skipped.append(Skipped(where, "a description (no answer): not a question"))
        return []
    closing = text.find("}", opening)
    if closing < 0:
        raise FormatError(
            path,
            where,
            "the answer's { has no closing }; close it (or escape a literal brace as \\{)",
        )
    if "{" in text[opening + 1 : closing] or "{" in text[closing + 1 :]:
        raise FormatError(
            path,
            where,
            "a second { ... }: one answer block per question; escape a literal brace as \\{",
        )
    before, answer, after = text[:opening], text[opening + 1 : closing].strip(), text[closing + 1 :]
    answer, _, general = answer.partition("####")
    explanation = _restore(general, html) if general.strip() else None
    stem = _restore(before, html)
    rest = _restore(after, html)
    missing_word = bool(rest)
    common: dict[str, Any] = {
        "id": safe_id(name or "") or derived_id(slug(title), name or "", stem, rest),
        "topic": topic,
        "tags": [],
        "difficulty": 2,
        "explanation": explanation or NO_EXPLANATION,
        "source": imported_source(path),
    }
    answer = answer.strip()
    if not answer:
        skipped.append(Skipped(where, "an essay question: it has no answer to grade"))
        return []
    if answer.startswith("#"):
        return _numerical(answer[1:], common, stem, where, skipped)
    head = answer.split("#", 1)
    if head[0].strip().upper() in _TRUE | _FALSE:
        if not explanation and len(head) > 1:
            feedback = [_restore(p, html) for p in head[1].split("#") if p.strip()]
            common["explanation"] = feedback[-1] if feedback else NO_EXPLANATION
        prompt = f"{stem} _____ {rest}".strip() if missing_word else stem
        return [
            {
                **common,
                "type": "true_false",
                "prompt": prompt,
                "answer": head[0].strip().upper() in _TRUE,
            }
        ]
    found = [(m.group(1), m.group(2), m.group(3)) for m in _ITEM.finditer(answer)]
    if not found or answer[0] not in "=~":
        raise FormatError(
            path,
            where,
            f"unknown answer {_restore(answer)!r}; GIFT answers "
            "start with = or ~ (or are T/F, #number)",
        )
    parsed: list[tuple[str, str | None, str, str]] = []
    for sign, weight, body in found:
        value, _, remark = body.partition("#")
        parsed.append((sign, weight, _restore(value, html), remark))
    if all(sign == "=" for sign, *_ in parsed) and any("->" in v for _, _, v, _ in parsed):
        return _matching(parsed, common, stem, where, skipped)
    if any(sign == "~" for sign, *_ in parsed):
        right = [
            v
            for sign, w, v, _ in parsed
            if (sign == "=" and w is None) or (w is not None and Decimal(w) > 0)
        ]
        choices = [v for _, _, v, _ in parsed]
        prompt = f"{stem} _____ {rest}".strip() if missing_word else stem
        return [
            {
                **common,
                "type": "multiple_choice",
                "prompt": prompt,
                "choices": choices,
                "answers": right,
            }
        ]
    accepted = []
    for _, weight, value, _ in parsed:
        if weight is not None and Decimal(weight) < 100:
            skipped.append(
                Skipped(
                    where,
                    f"answer {value!r} is worth {weight}%: only full-mark "
                    "answers are accepted, so it is not",
                )
            )
        else:
            accepted.append(value)
    if not accepted:
        skipped.append(Skipped(where, "no answer is worth full marks"))
        return []
    if missing_word:
        text = _restore(before, html, strip=False) + "{{1}}" + _restore(after, html, False)
        return [
            {
                **common,
                "type": "cloze",
                "text": text.strip(),
                "gaps": [{"answer": accepted[0], "accept": accepted[1:]}],
            }
        ]
    return [
        {
            **common,
            "type": "short_answer",
            "prompt": stem,
            "answer": accepted[0],
            "accept": accepted[1:],
        }
    ]


def _numerical(
    answer: str, common: dict[str, Any], stem: str, where: str, skipped: list[Skipped]
) -> list[dict[str, Any]]:
    body = _restore(answer).split("#", 1)[0].strip()
    if body.startswith("="):
        body = body.split("=")[1].strip()  # the first full-mark answer
    values: list[str] = []
    try:
        if ".." in body:
            low, high = (Decimal(p) for p in body.split(".."))
            tolerance = None
        else:
            value, _, margin = body.partition(":")
            low = high = Decimal(value)
            tolerance = Decimal(margin) if margin.strip() else Decimal(0)
            low, high = low - tolerance, high + tolerance
        if low == high:
            values = [str(low.normalize()) if low == low.to_integral() else str(low)]
        elif low == low.to_integral() and high == high.to_integral() and high - low < MAX_RANGE:
            values = [str(n) for n in range(int(low), int(high) + 1)]
        elif tolerance is not None and value.strip():
            skipped.append(
                Skipped(
                    where,
                    f"a numerical answer {value.strip()} ± {tolerance}: "
                    "a range of decimals cannot be typed answers",
                )
            )
            return []
    except (InvalidOperation, ValueError):
        skipped.append(Skipped(where, f"a numerical answer {body!r} we cannot read"))
        return []
    if not values:
        skipped.append(Skipped(where, f"the numerical range {body} is too wide to list"))
        return []
    return [
        {
            **common,
            "type": "short_answer",
            "prompt": stem,
            "answer": values[0],
            "accept": values[1:],
        }
    ]


def _matching(
    parsed: list[tuple[str, str | None, str, str]],
    common: dict[str, Any],
    stem: str,
    where: str,
    skipped: list[Skipped],
) -> list[dict[str, Any]]:
    cards = []
    for index, (_, _, value, _) in enumerate(parsed, start=1):
        left, _, right = value.partition("->")
        if not left.strip() or not right.strip():
            skipped.append(Skipped(where, f"matching pair {index} lacks a side"))
            continue
        front = f"{stem}\n{left.strip()}" if stem else left.strip()
        cards.append(
            {
                **common,
                "id": f"{common['id']}-{index}"[:64],
                "type": "flashcard",
                "front": front,
                "back": right.strip(),
            }
        )
    return cards
