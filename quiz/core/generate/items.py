"""Items worth asking about: dates, years, numbers and key phrases, minus references."""

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from quiz.core.dates import MONTHS
from quiz.core.generate.lexicon import (
    CITATION_WORDS,
    DATE_PATTERNS,
    INNER_WORDS,
    MONTH_FULL,
    NUMBER_RE,
    NUMBER_WORDS,
    PUNCT,
    QUOTE_MARKS,
    STOP_WORDS,
    YEAR_RE,
)
from quiz.core.generate.text import (
    Token,
    ends_sentence,
    junk_flags,
    normalise_space,
    token_range,
    tokenize,
)
from quiz.core.generate.written_dates import written_dates

KINDS = ("date", "year", "number", "phrase")
CITATION_REACH = 8  # words either side of an item checked for signs of a reference


@dataclass(frozen=True)
class Item:
    """Something worth asking about: its kind, its text and where it stands."""

    kind: str
    text: str
    key: str
    start: int
    end: int


def _date_key(year: str, month: int, day: int | None) -> str:
    return f"{year}-{month:02d}" + (f"-{day:02d}" if day else "")


def _dates(text: str) -> list[Item]:
    items: list[Item] = []
    taken: list[tuple[int, int]] = []
    for start, end, key in written_dates(text):  # "the first day of january , in the year …"
        taken.append((start, end))
        items.append(Item("date", normalise_space(text[start:end]), key, start, end))
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            month_text = m.group("month").lower()
            month = int(month_text) if month_text.isdigit() else MONTHS[month_text]
            day = int(m.group("day")) if "day" in m.groupdict() and m.group("day") else None
            if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
                continue
            if day is None and month_text not in MONTH_FULL:
                continue  # "mar 1856" without a day is too likely something else
            taken.append((m.start(), m.end()))
            key = _date_key(m.group("year"), month, day)
            written = re.sub(r"\s+,", ",", normalise_space(m.group()))  # "march 3 , 1927"
            items.append(Item("date", written, key, m.start(), m.end()))
    return items


def _inside(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _years(text: str, dates: list[Item]) -> list[Item]:
    spans = [(d.start, d.end) for d in dates]
    return [
        Item("year", m.group(1), m.group(1), m.start(1), m.end(1))
        for m in YEAR_RE.finditer(text)
        if not _inside(m.start(1), m.end(1), spans)
    ]


def _numbers(text: str, tokens: list[Token], taken: list[Item]) -> list[Item]:
    spans = [(i.start, i.end) for i in taken]
    items = []
    for m in NUMBER_RE.finditer(text):
        if _inside(m.start(), m.end(), spans) or YEAR_RE.fullmatch(m.group(1)):
            continue
        value = float(m.group(1).replace(",", ""))
        key = f"{value:g}" + ("%" if m.group().endswith("%") else "")
        items.append(Item("number", m.group(), key, m.start(), m.end()))
    for token in tokens:
        word = token.core
        if word in NUMBER_WORDS and token.text.lower().strip(PUNCT) == word:
            offset = token.text.lower().index(word)
            start = token.start + offset
            items.append(
                Item(
                    "number",
                    token.text[offset : offset + len(word)],
                    f"{NUMBER_WORDS[word]:g}",
                    start,
                    start + len(word),
                )
            )
    return items


def _word_runs(tokens: list[Token], junk: list[bool]) -> list[list[int]]:
    """Runs of plain words (no punctuation between them) in which phrases are looked for."""
    runs: list[list[int]] = []
    run: list[int] = []
    for i, token in enumerate(tokens):
        core = token.text.strip(PUNCT)
        plain = bool(re.fullmatch(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", core))
        leading = token.text[: len(token.text) - len(token.text.lstrip(PUNCT))]
        trailing = token.text[len(token.text.rstrip(PUNCT)) :]
        if junk[i] or not plain or leading:
            if run:
                runs.append(run)
            run = []
            if junk[i] or not plain:
                continue
        run.append(i)
        if trailing or ends_sentence(token):
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


def _good_phrase(words: tuple[str, ...]) -> bool:
    if words[0] in STOP_WORDS or words[-1] in STOP_WORDS:
        return False
    if any(len(w) < 2 for w in words):
        return False
    return all(w not in STOP_WORDS or w in INNER_WORDS for w in words[1:-1])


def _phrases(text: str, tokens: list[Token]) -> list[Item]:
    """Recurring multi-word phrases, and capitalised names when the text has capitals."""
    junk = junk_flags(tokens)
    runs = _word_runs(tokens, junk)
    counts: Counter[tuple[str, ...]] = Counter()
    places: dict[tuple[str, ...], list[tuple[int, int]]] = defaultdict(list)
    for run in runs:
        words = [tokens[i].core for i in run]
        for n in (2, 3, 4):
            for k in range(len(run) - n + 1):
                gram = tuple(words[k : k + n])
                if _good_phrase(gram):
                    counts[gram] += 1
                    places[gram].append((run[k], run[k + n - 1]))
    keep = {g for g, c in counts.items() if c >= 2}
    has_capitals = any(c.isupper() for c in text)
    if has_capitals:
        for gram, spots in places.items():
            first, last = spots[0]
            names = [tokens[first].text.strip(PUNCT), tokens[last].text.strip(PUNCT)]
            inner = [tokens[i].core for i in range(first + 1, last)]
            sentence_start = first == 0 or ends_sentence(tokens[first - 1])
            if (
                all(n[:1].isupper() for n in names)
                and all(
                    w in INNER_WORDS or tokens[first + 1 + j].text[:1].isupper()
                    for j, w in enumerate(inner)
                )
                and not sentence_start
            ):
                keep.add(gram)
    # Drop a phrase inside a longer one that occurs as often ("ottoman" in "the ottoman empire").
    inside: set[tuple[str, ...]] = set()
    for h in keep:  # each longer phrase rules out the shorter ones it holds (at most 4 words)
        for n in range(1, len(h)):
            for k in range(len(h) - n + 1):
                g = h[k : k + n]
                if g in keep and counts[h] >= counts[g]:
                    inside.add(g)
    maximal = keep - inside
    items = []
    for gram in maximal:
        for first, last in places[gram]:
            start = tokens[first].start + _lead_len(tokens[first].text)
            end = tokens[last].end - _trail_len(tokens[last].text)
            items.append(Item("phrase", text[start:end], " ".join(gram), start, end))
    return items


def _lead_len(text: str) -> int:
    return len(text) - len(text.lstrip(PUNCT))


def _trail_len(text: str) -> int:
    return len(text) - len(text.rstrip(PUNCT))


def citation_signs(tokens: list[Token], junk: list[bool]) -> list[set[str]]:
    """Per token, the signs that it belongs to a reference list or a caption, not to prose."""
    signs: list[set[str]] = [set() for _ in tokens]
    for i, token in enumerate(tokens):
        if junk[i]:
            signs[i].add(f"junk{i}")
        if token.core in CITATION_WORDS:
            signs[i].add("citation word")
        if token.text in QUOTE_MARKS or token.text[:1] in "‘“«" or token.text[-1:] in "’”»":
            signs[i].add("quote")
        inner = token.text.strip("()")
        opened = token.text.startswith("(") or (i > 0 and tokens[i - 1].text == "(")
        closed = token.text.endswith(")") or (i + 1 < len(tokens) and tokens[i + 1].text == ")")
        if YEAR_RE.fullmatch(inner) and opened and closed:
            signs[i].add("bracketed year")
    return signs


def in_reference(tokens: list[Token], signs: list[set[str]], item: Item) -> bool:
    """Whether an item sits among references or captions: two different signs nearby."""
    a, b = token_range(tokens, item.start, item.end)
    near: set[str] = set()
    for i in range(max(a - CITATION_REACH, 0), min(b + CITATION_REACH, len(tokens))):
        near |= signs[i]
    kinds = {sign if not sign.startswith("junk") else "junk" for sign in near}
    return len(kinds) >= 2 or sum(sign.startswith("junk") for sign in near) >= 2


def detect_items(text: str) -> list[Item]:
    """Every date, year, number and key phrase in the text, in order of position."""
    tokens = tokenize(text)
    junk = junk_flags(tokens)
    junk_spans = [(t.start, t.end) for t, j in zip(tokens, junk, strict=True) if j]
    dates = _dates(text)
    years = _years(text, dates)
    numbers = _numbers(text, tokens, dates + years)
    phrases = _phrases(text, tokens)
    # A number word inside a name ("the Hundred Days") is part of the name.
    numbers = [n for n in numbers if not any(n.start < p.end and p.start < n.end for p in phrases)]
    signs = citation_signs(tokens, junk)
    items = [
        i
        for i in dates + years + numbers + phrases
        if not any(i.start < e and s < i.end for s, e in junk_spans)
        and not in_reference(tokens, signs, i)
    ]
    return sorted(items, key=lambda i: (i.start, KINDS.index(i.kind), i.end))
