"""Passages: a verbatim quote of about 12-30 words around an item."""

import re
from dataclasses import dataclass

from quiz.core.generate.items import Item
from quiz.core.generate.lexicon import LEADING_TRIM, STOP_WORDS
from quiz.core.generate.text import Token, clauses, token_range

MAX_WORDS = 30  # longest passage
TARGET_WORDS = 18  # passages are grown clause by clause up to about this length
MIN_CONTEXT = 4  # words around the gap, else the gap cannot be filled from the passage


@dataclass(frozen=True)
class Passage:
    """A quote around an item: `start`-`end` in the material, with the item inside."""

    item: Item
    start: int
    end: int
    cut_start: bool
    cut_end: bool


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
    a, b = token_range(tokens, item.start, item.end)
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
        o_first, o_last = token_range(tokens, *other)
        if o_last <= a:
            ws, cut_start = o_last, True
        else:
            we, cut_end = o_first, True
    else:
        return None
    while ws < a and (tokens[ws].core in LEADING_TRIM or not tokens[ws].core):
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
