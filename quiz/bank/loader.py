"""Load bank files: parse YAML, validate against the schema, check quotes in the material.

Every problem in every file is collected and reported at once, each located as
`file:line: question id: field: message`.
"""

import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from quiz.bank.gc_pause import paused_gc
from quiz.bank.schema import QUESTION_TYPES, QUESTIONS_ADAPTER, BankFile, QuestionBase
from quiz.bank.yaml_events import plain_document
from quiz.errors import clipped

_SPACES = re.compile(r"\s+")
_TYPE_TAGS = set(QUESTION_TYPES)
# Stands in for the questions while the file's header is validated on its own.
_PLACEHOLDER = {
    "id": "placeholder",
    "type": "true_false",
    "topic": "t",
    "difficulty": 1,
    "explanation": "e",
    "source": "s",
    "prompt": "p",
    "answer": True,
}


# Limits on what a bank or drill file may ask the loader to read or build. A bank of ten
# thousand questions is about 3 MB of YAML and 200,000 nodes; these leave room for far
# more, and stop a "billion laughs" file, /dev/zero or a huge file early.
MAX_BANK_BYTES = 64 * 1024 * 1024
MAX_MATERIAL_BYTES = 32 * 1024 * 1024
MAX_DRILL_BYTES = 1024 * 1024
MAX_YAML_NODES = 2_000_000  # counting every alias expansion
MAX_YAML_DEPTH = 64


class UnreadableFile(Exception):
    """A file the loader refuses or cannot read; the message ends with what to do."""


def read_limited(path: Path, limit: int) -> bytes:
    """A regular file's bytes, at most `limit` of them; never opens a device or a FIFO."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise UnreadableFile("file not found; check the path") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file ({exc.strerror}); check it") from None
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile("not a regular file (a folder, device or pipe); pass a file")
    if info.st_size > limit:
        raise UnreadableFile(
            f"the file is {info.st_size:,} bytes, over the limit of {limit:,}; split it"
        )
    try:
        with open(path, "rb") as file:
            data = file.read(limit + 1)
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file ({exc.strerror}); check it") from None
    if len(data) > limit:
        raise UnreadableFile(f"the file is over the limit of {limit:,} bytes; split it")
    return data


def _expanded_size(root: yaml.Node) -> str | None:
    """Why a YAML document is too big once its aliases are expanded, or None if it is not.

    Counts nodes the way a reader of the data would see them (an alias as a copy), without
    expanding anything: each distinct node is visited once and its size remembered.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > MAX_YAML_NODES:
                return (
                    f"the YAML expands to more than {MAX_YAML_NODES:,} values (anchors and "
                    "aliases repeat it); write the data out instead of aliasing it"
                )
            continue
        if key in sizes:
            continue
        if key in on_path:
            return "an alias refers to the value it is part of; remove the recursive alias"
        if depth > MAX_YAML_DEPTH:
            return f"the YAML nests deeper than {MAX_YAML_DEPTH} levels; flatten it"
        on_path.add(key)
        stack.append((node, depth, True))
        for child in _children(node):
            if id(child) not in sizes:
                stack.append((child, depth + 1, False))
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


@dataclass(frozen=True)
class Problem:
    """One problem in a bank file, located as precisely as the file allows."""

    path: Path
    line: int
    question_id: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        parts = [f"{self.path}:{self.line}"]
        if self.question_id:
            parts.append(f"question {self.question_id}")
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(clipped(part) for part in parts)


@dataclass(frozen=True)
class LoadedBank:
    """A valid bank file with its material and a fingerprint of both."""

    path: Path
    bank: BankFile
    material_path: Path
    fingerprint: str


@dataclass
class LoadResult:
    """Valid banks and every problem found; import only when `problems` is empty."""

    banks: list[LoadedBank] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def normalise_space(text: str) -> str:
    """Collapse runs of white space so a quote may wrap differently from the material."""
    return _SPACES.sub(" ", text).strip()


def _line_index(node: yaml.Node, path: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> None:
    """Record the 1-based line of every mapping key and sequence item below `node`."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, key_node.value)
            lines[child] = key_node.start_mark.line + 1
            _line_index(value_node, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _line_index(item, (*path, index), lines)


def line_of(loc: Sequence[Any], lines: dict[tuple[Any, ...], int]) -> int:
    path = tuple(loc)
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


def _question_id(data: Any, loc: Sequence[Any]) -> str | None:
    if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
        questions = data.get("questions") if isinstance(data, dict) else None
        if isinstance(questions, list) and loc[1] < len(questions):
            item = questions[loc[1]]
            if isinstance(item, dict) and item.get("id") is not None:
                return str(item["id"])
            return f"#{loc[1] + 1}"
    return None


def _field_name(loc: Sequence[Any]) -> str | None:
    """The field path within a question (or the file), without the type tag pydantic adds."""
    rest = list(loc[2:]) if len(loc) >= 2 and loc[0] == "questions" else list(loc)
    if rest and isinstance(rest[0], str) and rest[0] in _TYPE_TAGS:
        rest = rest[1:]
    return ".".join(str(part) for part in rest) or None


def _validation_problems(
    path: Path,
    data: Any,
    error: ValidationError,
    lines: dict[tuple[Any, ...], int],
    prefix: tuple[Any, ...] = (),
) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = (*prefix, *item["loc"])
        clean_loc = [p for p in loc if not (isinstance(p, str) and p in _TYPE_TAGS)]
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "union_tag_invalid":
            message = (
                f"unknown question type {item['input'].get('type')!r}; use one of "
                + ", ".join(sorted(_TYPE_TAGS))
            )
            clean_loc = [*clean_loc, "type"]
        elif item["type"] == "union_tag_not_found":
            message = "`type` is missing; use one of " + ", ".join(sorted(_TYPE_TAGS))
        elif item["type"] == "missing":
            message = "is missing"
        elif item["type"] == "extra_forbidden":
            message = "is not a field of this question type"
        problems.append(
            Problem(
                path,
                line_of(clean_loc, lines),
                _question_id(data, loc),
                _field_name(loc) if item["type"] != "union_tag_invalid" else "type",
                message,
            )
        )
    return problems


class BankLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML where numbers and dates stay text ("1856-03-30" is an answer, not a date).

    pydantic turns text into numbers where a field wants one (`difficulty: 2`).
    """


BankLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if not tag.endswith((":int", ":float", ":timestamp"))
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(
    path: Path, text: str, with_lines: bool = True
) -> tuple[Any, dict[tuple[Any, ...], int], Problem | None]:
    """The document's data and the line of every key and item (perhaps none without
    `with_lines`), or the problem with it."""
    loader = BankLoader(text)
    try:
        plain = plain_document(loader, MAX_YAML_NODES, MAX_YAML_DEPTH, with_lines)
    finally:
        loader.dispose()
    if plain is not None:
        return plain[0], plain[1], None
    return parse_yaml_nodes(path, text)


class _UntaggableValue(Exception):
    """A value its explicit tag cannot build (`!!int two`, `!!timestamp soon`)."""


def _constructed(loader: BankLoader, node: yaml.Node) -> Any:
    """The data of a composed document. SafeConstructor fails on a value its tag refuses with
    whatever the conversion raised (ValueError, KeyError, AttributeError...): one kind here."""
    try:
        return loader.construct_document(node)
    except (yaml.YAMLError, RecursionError):
        raise
    except Exception as exc:  # only safe constructors run: nothing else can go wrong here
        raise _UntaggableValue(str(exc)) from exc


def parse_yaml_nodes(
    path: Path, text: str
) -> tuple[Any, dict[tuple[Any, ...], int], Problem | None]:
    """The full path: PyYAML's nodes, for aliases, tags, merge keys and every error."""
    node = None
    try:
        loader = BankLoader(text)
        try:
            node = loader.get_single_node()
            too_big = _expanded_size(node) if node is not None else None
            if too_big is not None:
                line = node.start_mark.line + 1
                return None, {}, Problem(path, line, None, None, too_big)
            data = _constructed(loader, node) if node is not None else None
        finally:
            loader.dispose()
    except _UntaggableValue as exc:
        line = node.start_mark.line + 1 if node is not None else 1
        problem = f"a value cannot be read as its tag says ({exc}); fix the value or drop the tag"
        return None, {}, Problem(path, line, None, None, problem)
    except RecursionError:
        problem = f"the YAML nests too deeply; flatten it to at most {MAX_YAML_DEPTH} levels"
        return None, {}, Problem(path, 1, None, None, problem)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc)
        return None, {}, Problem(path, line, None, None, f"YAML syntax error: {reason}; fix it")
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _line_index(node, (), lines)
    return data, lines, None


def _check_quotes(
    path: Path, questions: Any, material: str, lines: dict[tuple[Any, ...], int]
) -> list[Problem]:
    """Every question's `source` must stand word for word in the material."""
    haystack = normalise_space(material)
    found: dict[str, bool] = {}  # questions on one passage quote it alike: search it once
    problems = []
    for index, question in enumerate(questions if isinstance(questions, list) else []):
        quote = question.get("source") if isinstance(question, dict) else None
        if not isinstance(quote, str) or not quote.strip():
            continue
        if quote not in found:
            found[quote] = normalise_space(quote) in haystack
        if not found[quote]:
            problems.append(
                Problem(
                    path,
                    lines.get(("questions", index, "source"), 1),
                    str(question.get("id", f"#{index + 1}")),
                    "source",
                    "quote not found word for word in the material; copy it from the material",
                )
            )
    return problems


def _check_topics(path: Path, bank: BankFile, lines: dict[tuple[Any, ...], int]) -> list[Problem]:
    if not bank.topics:
        return []
    return [
        Problem(
            path,
            lines.get(("questions", index, "topic"), 1),
            question.id,
            "topic",
            f"topic {question.topic!r} is not in the bank's topics ({', '.join(bank.topics)})",
        )
        for index, question in enumerate(bank.questions)
        if question.topic not in bank.topics
    ]


def _validate(
    path: Path, data: dict[str, Any], lines: dict[tuple[Any, ...], int]
) -> tuple[BankFile | None, list[Problem]]:
    """Validate the file's header and each question on its own, so every problem is found."""
    problems: list[Problem] = []
    raw_questions = data.get("questions")
    header = {**data, "questions": [_PLACEHOLDER]} if isinstance(raw_questions, list) else data
    bank: BankFile | None = None
    try:
        bank = BankFile.model_validate(header)
    except ValidationError as exc:
        problems += _validation_problems(path, data, exc, lines)
    if not isinstance(raw_questions, list) or not raw_questions:
        return None, problems
    questions: list[QuestionBase] = []
    try:  # the whole list at once: pydantic reports every question's problems
        questions = QUESTIONS_ADAPTER.validate_python(raw_questions)
    except ValidationError as exc:
        problems += _validation_problems(path, data, exc, lines, prefix=("questions",))
    problems += _duplicate_ids(path, raw_questions, lines)
    if problems or bank is None:
        return None, problems
    return bank.model_copy(update={"questions": questions}), []


def load_bank(path: Path) -> tuple[LoadedBank | None, list[Problem]]:
    """Load and check one bank file; return the bank, or None and its problems."""
    try:
        raw = read_limited(path, MAX_BANK_BYTES)
        text = raw.decode("utf-8")
    except UnreadableFile as exc:
        return None, [Problem(path, 1, None, None, str(exc))]
    except UnicodeDecodeError as exc:
        return None, [
            Problem(path, 1, None, None, f"not UTF-8 text ({exc.reason}); save it as UTF-8")
        ]
    if text.lstrip().startswith("{"):  # JSON is YAML too, and parses a hundred times faster
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if isinstance(data, dict):
            loaded, _ = _check(path, raw, data, {})
            if loaded is not None:
                return loaded, []
            # parse again as YAML, for its rules and for the lines of the problems
            return _load_yaml(path, raw, text, with_lines=True)
    return _load_yaml(path, raw, text, with_lines=False)


def _load_yaml(
    path: Path, raw: bytes, text: str, with_lines: bool
) -> tuple[LoadedBank | None, list[Problem]]:
    """Parse and check a bank as YAML. A valid bank needs no lines: one with problems is
    read again with them, for the lines its problems name."""
    data, lines, syntax = parse_yaml(path, text, with_lines)
    if syntax:
        return None, [syntax]
    loaded, problems = _check(path, raw, data, lines)
    if loaded is None and not with_lines:
        return _load_yaml(path, raw, text, with_lines=True)
    return loaded, problems


def _check(
    path: Path, raw: bytes, data: Any, lines: dict[tuple[Any, ...], int]
) -> tuple[LoadedBank | None, list[Problem]]:
    """Validate parsed bank data and check its quotes against the material."""
    if not isinstance(data, dict):
        return None, [
            Problem(path, 1, None, None, "a bank file is a mapping with deck, material, questions")
        ]
    bank, problems = _validate(path, data, lines)
    material_name = data.get("material")
    if not isinstance(material_name, str) or not material_name.strip():
        return None, problems
    folder = path.parent.resolve()
    material_path = (folder / material_name.strip()).resolve()
    try:
        if not material_path.is_relative_to(folder):
            raise UnreadableFile(
                f"it is outside the bank's folder {folder}; put the material next to the bank file"
            )
        material_bytes = read_limited(material_path, MAX_MATERIAL_BYTES)
        material = material_bytes.decode("utf-8")
    except (UnreadableFile, UnicodeDecodeError) as exc:
        reason = (
            str(exc)
            if isinstance(exc, UnreadableFile)
            else "it is not UTF-8 text; save it as UTF-8"
        )
        problems.append(
            Problem(
                path,
                lines.get(("material",), 1),
                None,
                "material",
                f"material file {material_path} cannot be used: {reason}",
            )
        )
        return None, problems
    problems += _check_quotes(path, data.get("questions"), material, lines)
    if bank is not None:
        problems += _check_topics(path, bank, lines)
    if problems or bank is None:
        return None, sorted(problems, key=lambda problem: problem.line)
    return LoadedBank(path, bank, material_path, bank_fingerprint(raw, material_bytes)), []


def bank_fingerprint(bank: bytes, material: bytes) -> str:
    """Identifies a bank file's exact content together with its material's."""
    return hashlib.sha256(bank + b"\0" + material).hexdigest()


def _duplicate_ids(
    path: Path, questions: list[Any], lines: dict[tuple[Any, ...], int]
) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for index, question in enumerate(questions):
        qid = question.get("id") if isinstance(question, dict) else None
        if qid is None:
            continue
        line = lines.get(("questions", index, "id"), 1)
        if str(qid) in seen:
            problems.append(
                Problem(
                    path,
                    line,
                    str(qid),
                    "id",
                    f"duplicate id (first used on line {seen[str(qid)]}); give it a new id",
                )
            )
        else:
            seen[str(qid)] = line
    return problems


@paused_gc()
def load_banks(paths: Iterable[Path]) -> LoadResult:
    """Load several bank files; ids and deck names must be unique across all of them."""
    result = LoadResult()
    owner: dict[str, Path] = {}
    decks: dict[str, Path] = {}
    for path in paths:
        loaded, problems = load_bank(path)
        result.problems += problems
        if loaded is None:
            continue
        if loaded.bank.deck in decks:
            result.problems.append(
                Problem(
                    path,
                    1,
                    None,
                    "deck",
                    f"deck {loaded.bank.deck!r} is also named by "
                    f"{decks[loaded.bank.deck]}; one file per deck",
                )
            )
            continue
        decks[loaded.bank.deck] = path
        clashes = [q.id for q in loaded.bank.questions if q.id in owner]
        for qid in clashes:
            result.problems.append(
                Problem(path, 1, qid, "id", f"id is also used in {owner[qid]}; ids must be unique")
            )
        owner.update({q.id: path for q in loaded.bank.questions})
        if not clashes:
            result.banks.append(loaded)
    return result
