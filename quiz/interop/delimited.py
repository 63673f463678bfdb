"""CSV and TSV: Anki's text format (with its `#` header lines) and Quizlet's two columns.

Reading: the `#separator:`, `#html:`, `#columns:`, `#tags column:`, `#deck column:` and
`#guid column:` headers Anki writes and reads are honoured; without them the first column
is the question and the second the answer (Quizlet's term/definition export). A first
row that only names columns (a spreadsheet's "Question,Answer" or "Front,Back,Tags") is
read as `#columns:` and not imported. Quoted
fields may hold separators and line breaks. A UTF-8 byte-order mark is dropped, UTF-16
with a mark is decoded; other encodings are refused with the line of the first bad byte.
A row that cannot be read stops the import with its line: nothing is imported.

Writing: Anki's text format with headers, one row per question; columns beyond Front,
Back, Tags and Deck (Id, Type, Topic, ...) let a file we wrote come back whole.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quiz.bank.loader import MAX_BANK_BYTES, UnreadableFile, read_limited
from quiz.bank.schema import (
    Cloze,
    Flashcard,
    MultipleChoice,
    Ordering,
    QuestionBase,
    ShortAnswer,
    TrueFalse,
)
from quiz.interop.apkg_export import Unexpressible, cloze_text, note_guid, safe_tag
from quiz.interop.apkg_import import anki_question_id, cloze_from_anki
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

SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t", "space": " ", "pipe": "|", "colon": ":"}
COLUMNS = (
    "Front",
    "Back",
    "Tags",
    "Deck",
    "Id",
    "Type",
    "Topic",
    "Difficulty",
    "Accept",
    "Choices",
    "Explanation",
    "Source",
    "Fact",
)
_HEADER = re.compile(r"^#([a-z ]+):(.*)$")
# a spreadsheet's own names for the first two columns, as `#columns:` names
_ALIASES = {"question": "front", "term": "front", "answer": "back", "definition": "back"}
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}


@dataclass
class Header:
    """What a file's `#key:value` lines say."""

    separator: str | None = None
    html: bool = False
    columns: list[str] = field(default_factory=list)
    special: dict[str, int] = field(default_factory=dict)  # tags/deck/guid -> 0-based column
    deck: str | None = None
    tags: list[str] = field(default_factory=list)
    lines: int = 0


def decode(path: Path, raw: bytes) -> str:
    """The file as text: UTF-8 (a byte-order mark dropped), or UTF-16 with its mark."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as error:
            raise FormatError(
                path, None, f"not valid UTF-16 ({error.reason}); save as UTF-8"
            ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise FormatError(
            path,
            f"line {line}",
            "the file is not UTF-8 text (a spreadsheet saved it in another encoding); "
            "save or export it as CSV UTF-8 and import it again",
        ) from None


def read_text(path: Path, if_zip: str) -> str:
    """A text file to import, read within the size limit and decoded (see `decode`); a
    zip file is refused with `if_zip` (what to do with it)."""
    try:
        raw = read_limited(path, MAX_BANK_BYTES)
    except UnreadableFile as error:
        raise FormatError(path, None, str(error)) from None
    if raw.startswith(b"PK\x03\x04"):
        raise FormatError(path, None, if_zip)
    return decode(path, raw)


def read_header(path: Path, text: str) -> Header:
    header = Header()
    for line in text.splitlines():
        match = _HEADER.match(line.strip())
        if not line.startswith("#") or match is None:
            break
        header.lines += 1
        key, value = match.group(1).strip(), match.group(2).strip()
        if key == "separator":
            separator = SEPARATORS.get(value.lower(), value)
            if len(separator) != 1:
                raise FormatError(path, f"line {header.lines}", f"unknown separator {value!r}")
            header.separator = separator
        elif key == "html":
            header.html = value.lower() == "true"
        elif key in ("tags column", "deck column", "guid column", "notetype column"):
            if not value.isdigit() or int(value) < 1:
                raise FormatError(path, f"line {header.lines}", f"#{key} must be a number from 1")
            header.special[key.removesuffix(" column")] = int(value) - 1
        elif key == "deck":
            header.deck = value
        elif key == "tags":
            header.tags = value.split()
        elif key == "columns":
            header.columns = [c.strip() for c in re.split(r"[\t,;|]", value)]
    return header


def _rows(path: Path, text: str, header: Header, kind: str) -> Iterator[tuple[int, list[str]]]:
    """(line, fields) of each data row, the line being where the row starts."""
    body = text.split("\n", header.lines)[-1] if header.lines else text
    separator = header.separator or ("," if kind == "csv" else "\t")
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=separator, strict=True)
    line = header.lines + 1
    try:
        for row in reader:
            start, line = line, header.lines + reader.line_num + 1
            if row and any(cell.strip() for cell in row):
                yield start, row
    except csv.Error as error:
        raise FormatError(
            path,
            f"line {line}",
            f"the row cannot be read ({error}); check its "
            'quotes: a field with the separator or a line break needs "quotes"',
        ) from None


def read_delimited(
    path: Path,
    kind: str,
    deck: str | None = None,
    default_type: str = "flashcard",
    tick: Tick | None = None,
) -> ReadResult:
    """Questions from a CSV or TSV file; every row must be readable or nothing is. `tick`
    is told the line reached of the file's lines."""
    text = read_text(path, "this is a zip file (an Anki package?), not text; rename it to .apkg")
    header = read_header(path, text)
    rows = _rows(path, text, header, kind)
    if not header.columns:
        rows = _column_names_row(rows, header)
    columns = {name.lower(): index for index, name in enumerate(header.columns)}
    result = ReadResult()
    decks: dict[str, ImportedDeck] = {}
    default_title = header.deck or path.stem
    ticker = Ticker(tick, text.count("\n") + 1, every=500)
    for line, row in rows:
        ticker.at(line)
        where = f"line {line}"
        cells = [html_to_text(c)[0] if header.html else c.strip() for c in row]

        def cell(name: str, position: int | None = None, cells: list[str] = cells) -> str:
            index = columns.get(name.lower(), position)
            return cells[index] if index is not None and index < len(cells) else ""

        title = cell("deck", header.special.get("deck")) or default_title
        data = _row_data(cell, header, title, default_type, path)
        if len(row) < 2 and "front" not in columns:
            raise FormatError(
                path,
                where,
                f"the row has {len(row)} field; it needs a question "
                "and an answer separated by the file's separator",
            )
        question = build_question(data, where, result.skipped)
        if question is None:
            bad = result.skipped.pop()
            raise FormatError(path, where, f"{bad.reason}; fix the row (nothing was imported)")
        name = slug(deck or title)
        decks.setdefault(title, ImportedDeck(name, title)).questions.append(question)
    ticker.at(ticker.total)
    result.decks = list(decks.values())
    if not result.decks:
        raise FormatError(path, None, "holds no rows to import")
    return result


def _column_names_row(
    rows: Iterator[tuple[int, list[str]]], header: Header
) -> Iterator[tuple[int, list[str]]]:
    """The rows, less a first one that only names columns (each cell a column name, the
    first two naming the question and the answer): its names go in `header.columns`."""
    first = next(rows, None)
    if first is not None:
        names = [_ALIASES.get(c.strip().lower(), c.strip().lower()) for c in first[1]]
        known = {c.lower() for c in COLUMNS}
        if names[:2] == ["front", "back"] and set(names) <= known:
            header.columns = names
        else:
            yield first
    yield from rows


def _row_data(
    cell: Any, header: Header, title: str, default_type: str, path: Path
) -> dict[str, Any]:
    """The question a row describes."""
    own = bool(cell("type") and cell("id"))
    front, back = cell("front", 0), cell("back", 1)
    kind = cell("type") or default_type
    tags_text = cell("tags", header.special.get("tags"))
    tags = [t.replace("_", " ") if own else t for t in tags_text.split()] + header.tags
    guid = cell("guid", header.special.get("guid"))
    qid = safe_id(cell("id")) or (
        anki_question_id(guid) if guid else derived_id(slug(title), front)
    )
    data: dict[str, Any] = {
        "id": qid,
        "type": kind,
        "topic": cell("topic") or title.split("::")[-1],
        "tags": tags,
        "difficulty": cell("difficulty") or 2,
        "explanation": cell("explanation") or NO_EXPLANATION,
        "source": cell("source") or imported_source(path),
    }
    if cell("fact"):
        data["fact"] = cell("fact")
    lines = [line.strip() for line in back.split("\n") if line.strip()]
    accept = [line.strip() for line in cell("accept").split("\n") if line.strip()]
    if kind == "flashcard":
        data |= {"front": front, "back": back}
    elif kind == "short_answer":
        data |= {"prompt": front, "answer": back, "accept": accept}
    elif kind == "multiple_choice":
        choices = [c.strip() for c in cell("choices").split("\n") if c.strip()]
        data |= {"prompt": front, "choices": choices, "answers": lines}
    elif kind == "true_false":
        value = back.lower()
        data |= {
            "prompt": front,
            "answer": True if value in _TRUE else False if value in _FALSE else back,
        }
    elif kind == "ordering":
        data |= {"prompt": front, "items": lines}
    elif kind == "cloze":
        skipped: list[Skipped] = []
        cloze = cloze_from_anki(front, "row", skipped, keep_numbers=own) or {"text": front}
        for entry in accept:
            number, _, alternative = entry.partition(":")
            gaps = cloze.get("gaps", [])
            if number.strip().isdigit() and 0 < int(number) <= len(gaps):
                gaps[int(number) - 1]["accept"].append(alternative.strip())
        data |= {**cloze, "type": "cloze"}
    return data


def _export_row(question: QuestionBase, title: str) -> list[str]:
    def joined(items: list[str], what: str) -> str:
        if any("\n" in item for item in items):
            raise Unexpressible(f"a {what} has a line break, and the file keeps one a line")
        return "\n".join(items)

    accept, choices = "", ""
    if isinstance(question, Flashcard):
        front, back = question.front, question.back
    elif isinstance(question, ShortAnswer):
        front, back, accept = question.prompt, question.answer, joined(question.accept, "answer")
    elif isinstance(question, MultipleChoice):
        front, back = question.prompt, joined(question.answers, "answer")
        choices = joined(question.choices, "choice")
    elif isinstance(question, TrueFalse):
        front, back = question.prompt, "true" if question.answer else "false"
    elif isinstance(question, Ordering):
        front, back = question.prompt, joined(question.items, "item")
    elif isinstance(question, Cloze):
        front, back = _plain_cloze(question), ""
        accept = joined(
            [f"{n}: {a}" for n, gap in enumerate(question.gaps, start=1) for a in gap.accept],
            "answer",
        )
    else:
        raise Unexpressible("this question type has no columns")
    tags = " ".join(safe_tag(tag) for tag in question.tags)
    return [
        front,
        back,
        tags,
        title,
        question.id,
        question.model_dump()["type"],
        question.topic,
        str(question.difficulty),
        accept,
        choices,
        question.explanation,
        question.source,
        question.fact or "",
    ]


def _plain_cloze(question: Cloze) -> str:
    """The cloze as Anki cloze syntax in plain text (the file says #html:false)."""
    import html

    return html.unescape(cloze_text(question).replace("<br>", "\n"))


def write_delimited(
    decks: list[ExportDeck], path: Path, kind: str, tick: Tick | None = None
) -> WriteResult:
    """Anki's text format: `#` headers, then one row per question."""
    result = WriteResult()
    ticker = Ticker(tick, sum(len(deck.questions) for deck in decks))
    separator = "," if kind == "csv" else "\t"
    out = io.StringIO(newline="")
    out.write(f"#separator:{'Comma' if kind == 'csv' else 'Tab'}\n#html:false\n")
    out.write("#columns:" + separator.join(COLUMNS) + "\n")
    out.write("#tags column:3\n#deck column:4\n#guid column:14\n")
    writer = csv.writer(out, delimiter=separator, lineterminator="\n")
    for deck in decks:
        for question in deck.questions:
            ticker.step()
            try:
                row = _export_row(question, deck.title)
            except Unexpressible as why:
                result.skipped.append(Skipped(f"question {question.id}", str(why)))
                continue
            writer.writerow([*row, note_guid(question.id)])
            result.written += 1
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return result
