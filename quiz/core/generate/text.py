"""Tokens, sentences and clauses: how the material is cut into pieces."""

import bisect
import re
from dataclasses import dataclass

from quiz.core.generate.lexicon import ABBREVIATIONS, CAPTION_WORDS, JUNK_TOKEN, PUNCT

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
        return self.text.strip(PUNCT).lower()


def normalise_space(text: str) -> str:
    """Collapse runs of white space, as the bank loader does when it checks quotes."""
    return _GAP_SPACE.sub(" ", text).strip()


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def junk_flags(tokens: list[Token]) -> list[bool]:
    """Tokens that are not prose: file names, addresses, page ranges, caption labels."""
    junk = [bool(JUNK_TOKEN.match(t.text)) for t in tokens]
    for i, token in enumerate(tokens):
        if token.core in CAPTION_WORDS:
            if token.text.endswith(":"):
                junk[i] = True
            elif i + 1 < len(tokens) and tokens[i + 1].text == ":":
                junk[i] = junk[i + 1] = True
    return junk


def ends_sentence(token: Token) -> bool:
    text = token.text.rstrip("\"'’”)]»")
    if not text or text[-1] not in ".!?;":
        return False
    if text[-1] == ".":
        core = text[:-1].strip(PUNCT).lower()
        if core in ABBREVIATIONS or (len(core) == 1 and core.isalpha()):
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
    junk = junk_flags(tokens)
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
        if ends_sentence(token) or blank_line_after:
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


def token_range(tokens: list[Token], start: int, end: int) -> tuple[int, int]:
    """The tokens [first, last) that the characters [start, end) touch (tokens are in
    text order, so both ends are found by bisection)."""
    first = bisect.bisect_right(tokens, start, key=lambda t: t.end)
    last = bisect.bisect_left(tokens, end, key=lambda t: t.start)
    return first, last
