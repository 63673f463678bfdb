"""Draft questions from plain-text material, with no network and no language model.

The generator finds items of four kinds in the text: dates ("30 march 1856", "March 30, 1856",
"1856-03-30", "march 1856"), years ("1853"), numbers ("12", "3.5", "twelve") and key phrases
(multi-word phrases that recur, such as "the black sea", and capitalised names when the text
has capitals). For each item it takes a passage of about 12-30 words around it, word for word
from the material, and drafts a cloze with the item as the gap and, when the text holds at
least three other items of the same kind, a multiple choice whose distractors are those items.

Sentence ends are found from punctuation and blank lines when the text has them; text without
them (all lower case, no full stops) is cut at clause boundaries (commas, colons, brackets) and
then to a window of words around the item. Output is deterministic.
"""

import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from quiz.core.dates import MONTH_NAMES, MONTHS

KINDS = ("date", "year", "number", "phrase")
_KIND_NOUN = {"date": "date", "year": "year", "number": "number", "phrase": "phrase"}

MAX_WORDS = 30  # longest passage
TARGET_WORDS = 18  # passages are grown clause by clause up to about this length
MIN_CONTEXT = 4  # words around the gap, else the gap cannot be filled from the passage
DISTRACTORS = 3

_MONTH_FULL = frozenset(MONTH_NAMES)  # written out, not abbreviated
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1\d{3}|20\d{2})"
_DATE_PATTERNS = [
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\s*,?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY}\s*,?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>1\d{3}|20\d{2})-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(rf"\b{_MONTH}\s+(?:of\s+)?{_YEAR}\b", re.IGNORECASE),
]
_YEAR_RE = re.compile(r"(?<![\w.,:/-])(1\d{3}|20\d{2})(?![\w:/-]|[.,]\d)")
_NUMBER_RE = re.compile(
    r"(?<![\w.,:/-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s?%)?(?![\w:/-]|[.,]\d)"
)
_NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
    "million": 1_000_000,
}
_DIGIT_WORDS = {value: word for word, value in _NUMBER_WORDS.items()}

STOP_WORDS = frozenset(
    {
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "among",
        "amongst",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "either",
        "even",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "least",
        "less",
        "like",
        "made",
        "make",
        "many",
        "may",
        "me",
        "might",
        "more",
        "most",
        "much",
        "must",
        "my",
        "neither",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "often",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "others",
        "our",
        "out",
        "over",
        "own",
        "per",
        "quite",
        "rather",
        "same",
        "several",
        "she",
        "should",
        "since",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "though",
        "through",
        "thus",
        "to",
        "too",
        "under",
        "until",
        "up",
        "upon",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
        "'s",
        "s",
        "first",
        "second",
        "new",
        "well",
        "including",
        "already",
        "great",
        "greatly",
        "largely",
        "especially",
        "formally",
        "initially",
        "eventually",
        "readily",
    }
)
# Words a phrase may carry inside it ("treaty of paris", "britain and france").
_INNER_WORDS = frozenset({"of", "and", "de", "la", "le", "du", "von", "van", "der"})
# Words a passage should not start with.
_LEADING_TRIM = frozenset({"and", "or", "but", "nor", "so", "then", "thus"})
_ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "e.g",
        "i.e",
        "etc",
        "vs",
        "no",
        "vol",
        "pp",
        "p",
        "c",
        "ca",
        "cf",
        "fig",
        "jr",
        "sr",
        "gen",
        "col",
        "capt",
        "lt",
        "rev",
        "prof",
    }
)
_PUNCT = ",.;:!?()[]{}\"'‘’“”«»–—-…/*"
_JUNK_TOKEN = re.compile(
    r"""(?ix)
    ^(?:
        \S*\.(?:jpe?g|png|gif|svg|pdf|html?|tiff?|webp)   # file names
      | (?:https?://|www\.)\S*                             # addresses
      | \S*_\S*                                            # identifiers, file name parts
      | \d{1,3}\s?[–-]\s?\d{1,3}                           # page ranges: 65–94
      | \d+:\d+                                            # volume:issue, verse
      | pp\.? | isbn\S* | doi\S* | jstor | ibid\.?
    )$
    """
)
_CITATION_WORDS = frozenset(
    {
        "journal",
        "press",
        "pp",
        "jstor",
        "isbn",
        "doi",
        "retrieved",
        "archived",
        "vol",
        "ibid",
        "eds",
        "ed",
        "publisher",
        "proceedings",
        "studies",
        "review",
        "university",
        "op",
        "cit",
    }
)
_QUOTE_MARKS = frozenset({"''", '"', "‘", "’", "“", "”", "«", "»", "``"})
CITATION_REACH = 8  # words either side of an item checked for signs of a reference
_CAPTION_WORDS = frozenset({"image", "file", "figure", "fig", "caption", "thumb"})
_GAP_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Token:
    """A run of non-space characters in the material, with its character span."""

    text: str
    start: int
    end: int

    @property
    def core(self) -> str:
        """The token without surrounding punctuation, lower-cased."""
        return self.text.strip(_PUNCT).lower()


@dataclass(frozen=True)
class Item:
    """Something worth asking about: its kind, its text and where it stands."""

    kind: str
    text: str
    key: str
    start: int
    end: int


@dataclass(frozen=True)
class Passage:
    """A quote around an item: `start`-`end` in the material, with the item inside."""

    item: Item
    start: int
    end: int
    cut_start: bool
    cut_end: bool


def normalise_space(text: str) -> str:
    """Collapse runs of white space, as the bank loader does when it checks quotes."""
    return _GAP_SPACE.sub(" ", text).strip()


def deck_name(stem: str) -> str:
    """A deck name from a file name: lower case, anything but [a-z0-9_-] becomes '-'."""
    name = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-_")
    return name[:48].rstrip("-_") or "material"


def deck_title(stem: str) -> str:
    """A readable title from a file name: 'treaty_of_paris_1856' -> 'Treaty of paris 1856'."""
    words = re.sub(r"[_\-\s]+", " ", stem).strip()
    return (words[:1].upper() + words[1:]) if words else "Material"


# ---------------------------------------------------------------------------------------------
# Tokens, sentences and clauses


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def _junk_flags(tokens: list[Token]) -> list[bool]:
    """Tokens that are not prose: file names, addresses, page ranges, caption labels."""
    junk = [bool(_JUNK_TOKEN.match(t.text)) for t in tokens]
    for i, token in enumerate(tokens):
        if token.core in _CAPTION_WORDS:
            if token.text.endswith(":"):
                junk[i] = True
            elif i + 1 < len(tokens) and tokens[i + 1].text == ":":
                junk[i] = junk[i + 1] = True
    return junk


def _ends_sentence(token: Token) -> bool:
    text = token.text.rstrip("\"'’”)]»")
    if not text or text[-1] not in ".!?;":
        return False
    if text[-1] == ".":
        core = text[:-1].strip(_PUNCT).lower()
        if core in _ABBREVIATIONS or (len(core) == 1 and core.isalpha()):
            return False
    return True


def _soft_after(token: Token) -> bool:
    text = token.text
    return text[-1] in ",:)]–—" or text in {"-", "''", '"', "”", "’"}


def _soft_before(token: Token) -> bool:
    text = token.text
    return text[0] in "([–—" or text in {"-", "''", '"', "“", "‘"}


def sentences(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """Token ranges [start, end) of sentences; junk tokens are left out and split sentences."""
    junk = _junk_flags(tokens)
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for i, token in enumerate(tokens):
        if junk[i]:
            if start is not None:
                spans.append((start, i))
            start = None
            continue
        if start is None:
            start = i
        blank_line_after = (
            i + 1 < len(tokens) and text.count("\n", token.end, tokens[i + 1].start) >= 2
        )
        if _ends_sentence(token) or blank_line_after:
            spans.append((start, i + 1))
            start = None
    if start is not None:
        spans.append((start, len(tokens)))
    return spans


def clauses(tokens: list[Token], span: tuple[int, int]) -> list[tuple[int, int]]:
    """Split a sentence at commas, colons, brackets and dashes."""
    result = []
    start = span[0]
    for i in range(span[0], span[1]):
        if i > start and _soft_before(tokens[i]):
            result.append((start, i))
            start = i
        if _soft_after(tokens[i]):
            result.append((start, i + 1))
            start = i + 1
    if start < span[1]:
        result.append((start, span[1]))
    return [c for c in result if c[0] < c[1]]


# ---------------------------------------------------------------------------------------------
# Items


def _date_key(year: str, month: int, day: int | None) -> str:
    return f"{year}-{month:02d}" + (f"-{day:02d}" if day else "")


def _dates(text: str) -> list[Item]:
    items: list[Item] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            month_text = m.group("month").lower()
            month = int(month_text) if month_text.isdigit() else MONTHS[month_text]
            day = int(m.group("day")) if "day" in m.groupdict() and m.group("day") else None
            if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
                continue
            if day is None and month_text not in _MONTH_FULL:
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
        for m in _YEAR_RE.finditer(text)
        if not _inside(m.start(1), m.end(1), spans)
    ]


def _numbers(text: str, tokens: list[Token], taken: list[Item]) -> list[Item]:
    spans = [(i.start, i.end) for i in taken]
    items = []
    for m in _NUMBER_RE.finditer(text):
        if _inside(m.start(), m.end(), spans) or _YEAR_RE.fullmatch(m.group(1)):
            continue
        value = float(m.group(1).replace(",", ""))
        key = f"{value:g}" + ("%" if m.group().endswith("%") else "")
        items.append(Item("number", m.group(), key, m.start(), m.end()))
    for token in tokens:
        word = token.core
        if word in _NUMBER_WORDS and token.text.lower().strip(_PUNCT) == word:
            offset = token.text.lower().index(word)
            start = token.start + offset
            items.append(
                Item(
                    "number",
                    token.text[offset : offset + len(word)],
                    f"{_NUMBER_WORDS[word]:g}",
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
        core = token.text.strip(_PUNCT)
        plain = bool(re.fullmatch(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", core))
        leading = token.text[: len(token.text) - len(token.text.lstrip(_PUNCT))]
        trailing = token.text[len(token.text.rstrip(_PUNCT)) :]
        if junk[i] or not plain or leading:
            if run:
                runs.append(run)
            run = []
            if junk[i] or not plain:
                continue
        run.append(i)
        if trailing or _ends_sentence(token):
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
    return all(w not in STOP_WORDS or w in _INNER_WORDS for w in words[1:-1])


def _phrases(text: str, tokens: list[Token]) -> list[Item]:
    """Recurring multi-word phrases, and capitalised names when the text has capitals."""
    junk = _junk_flags(tokens)
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
            names = [tokens[first].text.strip(_PUNCT), tokens[last].text.strip(_PUNCT)]
            inner = [tokens[i].core for i in range(first + 1, last)]
            sentence_start = first == 0 or _ends_sentence(tokens[first - 1])
            if (
                all(n[:1].isupper() for n in names)
                and all(
                    w in _INNER_WORDS or tokens[first + 1 + j].text[:1].isupper()
                    for j, w in enumerate(inner)
                )
                and not sentence_start
            ):
                keep.add(gram)
    # Drop a phrase inside a longer one that occurs as often ("ottoman" in "the ottoman empire").
    maximal = {
        g
        for g in keep
        if not any(len(h) > len(g) and counts[h] >= counts[g] and _contains(h, g) for h in keep)
    }
    items = []
    for gram in maximal:
        for first, last in places[gram]:
            start = tokens[first].start + _lead_len(tokens[first].text)
            end = tokens[last].end - _trail_len(tokens[last].text)
            items.append(Item("phrase", text[start:end], " ".join(gram), start, end))
    return items


def _lead_len(text: str) -> int:
    return len(text) - len(text.lstrip(_PUNCT))


def _trail_len(text: str) -> int:
    return len(text) - len(text.rstrip(_PUNCT))


def _contains(long: tuple[str, ...], short: tuple[str, ...]) -> bool:
    return any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1))


def _citation_signs(tokens: list[Token], junk: list[bool]) -> list[set[str]]:
    """Per token, the signs that it belongs to a reference list or a caption, not to prose."""
    signs: list[set[str]] = [set() for _ in tokens]
    for i, token in enumerate(tokens):
        if junk[i]:
            signs[i].add(f"junk{i}")
        if token.core in _CITATION_WORDS:
            signs[i].add("citation word")
        if token.text in _QUOTE_MARKS or token.text[:1] in "‘“«" or token.text[-1:] in "’”»":
            signs[i].add("quote")
        inner = token.text.strip("()")
        opened = token.text.startswith("(") or (i > 0 and tokens[i - 1].text == "(")
        closed = token.text.endswith(")") or (i + 1 < len(tokens) and tokens[i + 1].text == ")")
        if _YEAR_RE.fullmatch(inner) and opened and closed:
            signs[i].add("bracketed year")
    return signs


def _in_reference(tokens: list[Token], signs: list[set[str]], item: Item) -> bool:
    """Whether an item sits among references or captions: two different signs nearby."""
    a, b = _token_range(tokens, item.start, item.end)
    near: set[str] = set()
    for i in range(max(a - CITATION_REACH, 0), min(b + CITATION_REACH, len(tokens))):
        near |= signs[i]
    kinds = {sign if not sign.startswith("junk") else "junk" for sign in near}
    return len(kinds) >= 2 or sum(sign.startswith("junk") for sign in near) >= 2


def detect_items(text: str) -> list[Item]:
    """Every date, year, number and key phrase in the text, in order of position."""
    tokens = tokenize(text)
    junk = _junk_flags(tokens)
    junk_spans = [(t.start, t.end) for t, j in zip(tokens, junk, strict=True) if j]
    dates = _dates(text)
    years = _years(text, dates)
    numbers = _numbers(text, tokens, dates + years)
    phrases = _phrases(text, tokens)
    # A number word inside a name ("the Hundred Days") is part of the name.
    numbers = [n for n in numbers if not any(n.start < p.end and p.start < n.end for p in phrases)]
    signs = _citation_signs(tokens, junk)
    items = [
        i
        for i in dates + years + numbers + phrases
        if not any(i.start < e and s < i.end for s, e in junk_spans)
        and not _in_reference(tokens, signs, i)
    ]
    return sorted(items, key=lambda i: (i.start, KINDS.index(i.kind), i.end))


# ---------------------------------------------------------------------------------------------
# Passages


def _token_range(tokens: list[Token], start: int, end: int) -> tuple[int, int]:
    first = next(i for i, t in enumerate(tokens) if t.end > start)
    last = max(i for i, t in enumerate(tokens) if t.start < end)
    return first, last + 1


def _grow(parts: list[tuple[int, int]], a: int, b: int, limit: int) -> tuple[int, int, bool, bool]:
    """Grow from the clauses holding tokens [a, b) by whole clauses, then cut to `limit`."""
    holding = [k for k, (s, e) in enumerate(parts) if s < b and a < e]
    lo, hi = holding[0], holding[-1]
    ws, we = parts[lo][0], parts[hi][1]
    while we - ws < TARGET_WORDS:
        prev = parts[lo - 1] if lo > 0 else None
        nxt = parts[hi + 1] if hi + 1 < len(parts) else None
        options = []
        if prev and we - prev[0] <= limit:
            options.append((prev[1] - prev[0], 0, "prev"))
        if nxt and nxt[1] - ws <= limit:
            options.append((nxt[1] - nxt[0], 1, "next"))
        if not options:
            break
        side = min(options)[2]
        if side == "prev":
            lo -= 1
            ws = parts[lo][0]
        else:
            hi += 1
            we = parts[hi][1]
    cut_start = cut_end = False
    if we - ws > limit:
        budget = limit - (b - a)
        before, after = a - ws, we - b
        take_before = min(before, budget // 2)
        take_after = min(after, budget - take_before)
        take_before = min(before, budget - take_after)
        cut_start, cut_end = take_before < before, take_after < after
        ws, we = a - take_before, b + take_after
    elif we - ws < MIN_CONTEXT + (b - a):
        # Still too short: borrow words from the neighbouring clauses.
        if hi + 1 < len(parts):
            extra = min(parts[hi + 1][1], ws + TARGET_WORDS)
            cut_end = extra < parts[hi + 1][1]
            we = max(we, extra)
        if we - ws < MIN_CONTEXT + (b - a) and lo > 0:
            extra = max(parts[lo - 1][0], we - TARGET_WORDS)
            cut_start = extra > parts[lo - 1][0]
            ws = min(ws, extra)
    return ws, we, cut_start, cut_end


def _occurs_elsewhere(text: str, item: Item, start: int, end: int) -> tuple[int, int] | None:
    """Another occurrence of the item's text inside [start, end), which would give it away."""
    pattern = re.compile(r"(?<!\w)" + re.escape(item.text) + r"(?!\w)", re.IGNORECASE)
    for m in pattern.finditer(text, start, end):
        if m.start() != item.start:
            return m.start(), m.end()
    return None


def passage_for(
    text: str, tokens: list[Token], sentence_spans: list[tuple[int, int]], item: Item
) -> Passage | None:
    """A verbatim passage of about 12-30 words around the item, or None if none is usable."""
    a, b = _token_range(tokens, item.start, item.end)
    if item.kind == "phrase" and b < len(tokens) and tokens[b].text.lower() in {"and", "or"}:
        return None  # "the ___ and the kingdom of sardinia": any of the pair would fit
    span = next((s for s in sentence_spans if s[0] <= a and b <= s[1]), None)
    if span is None:
        return None
    parts = clauses(tokens, span)
    # Clause marks inside the item ("march 30 , 1856") do not split it.
    merged: list[tuple[int, int]] = []
    for s, e in parts:
        if merged and s < b and a < merged[-1][1] and s > a:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    ws, we, cut_start, cut_end = _grow(merged, a, b, MAX_WORDS)
    for _ in range(3):
        other = _occurs_elsewhere(text, item, tokens[ws].start, tokens[we - 1].end)
        if other is None:
            break
        o_first, o_last = _token_range(tokens, *other)
        if o_last <= a:
            ws, cut_start = o_last, True
        else:
            we, cut_end = o_first, True
    else:
        return None
    while ws < a and (tokens[ws].core in _LEADING_TRIM or not tokens[ws].core):
        ws += 1
    while we > b and (tokens[we - 1].core in STOP_WORDS or not tokens[we - 1].core):
        we -= 1
    # A passage that does not start (end) where its sentence does is marked with "...".
    cut_start = cut_start or ws > span[0]
    cut_end = cut_end or we < span[1]
    context = (we - ws) - (b - a)
    if context < MIN_CONTEXT:
        return None
    start, end = tokens[ws].start, tokens[we - 1].end
    while end > item.end and text[end - 1] in ",;:([–—-'\"‘“ ":
        end -= 1
    while start < item.start and text[start] in ",;:)]–—-'\"’” ":
        start += 1
    return Passage(item, start, end, cut_start, cut_end)


# ---------------------------------------------------------------------------------------------
# Answers and distractors


def _date_forms(item: Item) -> list[str]:
    parts = item.key.split("-")
    year, month = parts[0], int(parts[1])
    name = MONTH_NAMES[month - 1].capitalize()
    if len(parts) == 2:
        return [f"{name} {year}", f"{month}/{year}"]
    day = int(parts[2])
    return [f"{day} {name} {year}", f"{name} {day}, {year}", f"{day}/{month}/{year}", item.key]


def accepted_forms(item: Item, before: str) -> list[str]:
    """Other ways a learner may write the answer."""
    forms: list[str] = []
    if item.kind == "date":
        forms = _date_forms(item)
    elif item.kind == "number":
        value = float(item.key.rstrip("%"))
        if value.is_integer() and int(value) in _DIGIT_WORDS and not item.text.isdigit():
            forms = [str(int(value))]
        elif value.is_integer() and int(value) in _DIGIT_WORDS:
            forms = [_DIGIT_WORDS[int(value)]]
        if "," in item.text:
            forms.append(item.text.replace(",", ""))
    elif item.kind == "phrase":
        article = re.search(r"(?:^|\s)(the|a|an)\s*$", before, re.IGNORECASE)
        if article:
            forms.append(f"{article.group(1)} {item.text}")
        if item.text.islower():
            forms.append(
                " ".join(w if w in _INNER_WORDS else w.capitalize() for w in item.text.split())
            )
    seen = {item.text}
    result = []
    for form in forms:
        if form not in seen:
            seen.add(form)
            result.append(form)
    return result


def _closeness(answer: Item, other: Item) -> tuple[float, ...]:
    if answer.kind in {"date", "year"}:
        return (abs(int(answer.key[:4]) - int(other.key[:4])), 0.0)
    if answer.kind == "number":
        a, o = float(answer.key.rstrip("%")), float(other.key.rstrip("%"))
        return (abs(a - o) / max(abs(a), abs(o), 1.0), 0.0)
    a_words, o_words = answer.key.split(), other.key.split()
    same_head = 0.0 if a_words[-1] == o_words[-1] else 1.0
    shared = -len(set(a_words) & set(o_words) - STOP_WORDS)
    return (same_head, float(shared), float(abs(len(a_words) - len(o_words))))


def distractors(answer: Item, pool: dict[str, Item], passage: str) -> list[str]:
    """Up to three other items of the same kind, closest to the answer first.

    Closest: nearest in time for dates and years, in size for numbers; for phrases, those
    with the same last word ("ottoman empire", "russian empire") come first.
    """
    lowered = passage.lower()
    candidates = [
        other
        for key, other in pool.items()
        if key != answer.key
        and other.text.lower() != answer.text.lower()
        and other.text.lower() not in answer.text.lower()
        and answer.text.lower() not in other.text.lower()
    ]
    # Items the passage shows anyway come last: a learner could rule them out from it.
    candidates.sort(
        key=lambda other: (other.text.lower() in lowered, *_closeness(answer, other), other.key)
    )
    chosen: list[str] = []
    for other in candidates:
        if other.text.lower() not in {c.lower() for c in chosen}:
            chosen.append(other.text)
        if len(chosen) == DISTRACTORS:
            break
    return chosen


# ---------------------------------------------------------------------------------------------
# Drafts


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
