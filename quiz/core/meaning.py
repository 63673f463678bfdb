"""Comparing typed answers by their meaning-bearing words.

A teacher reads an answer for what it says, not for its exact letters: "at the congress of
Paris" says "the Congress of Paris", "the Ottomans" says "the Ottoman Empire", "ended"
says "resolved". :func:`meaning_match` compares two normalised answers that way:

* words that carry no meaning here (:data:`FILLER`: articles, most prepositions,
  pronouns, auxiliaries, "I think", collective nouns such as "powers") are dropped;
* each remaining word becomes a *key*: its Snowball stem (``snowballstemmer``, so
  "demilitarisation" and "demilitarised" are one word), or, when a run of stems is one
  of a synonym group's phrases (:data:`SYNONYMS` plus the caller's extra groups), the
  group's key ("Ottomans" and "Ottoman Empire", "trade" and "commerce");
* the typed keys must cover the expected answer's keys, except those the prompt itself
  contains (they may be left out), and every typed key that is not expected must be a
  word of the prompt (it may be added: "the rivalry between Britain and France" for
  "rivalry" when the prompt asks what Britain and France resumed); a word of a name the
  prompt gives may be left out too ("its authority" for "the empire's authority" when
  the prompt names the Ottoman Empire). A typed word may stand for an expected or
  prompt word with a typo (same first letter, within the word's edit budget), or in
  another form whose stem is within that budget of its stem ("stability" for "stable":
  Snowball stems them "stabil" and "stabl").

And it stays strict:

* the numbers must be the expected ones (any extra number must be the prompt's);
* a negation (:data:`NEGATIONS`) the expected answer does not have makes it wrong, even
  when the prompt has it; so does an opposite (:data:`ANTONYMS`) of an expected word;
  opposites made with a prefix ("demilitarised"/"militarised", "stable"/"unstable") are
  other stems and start with another letter, so they never match;
* an answer that is a list of guesses ("Sardinia, France", "Sardinia or France") is
  wrong: when it splits at ``,;/`` or "or" into parts and one part alone would do, the
  answer is a list;
* any other word (another entity: "France" for "Britain") makes it wrong.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import snowballstemmer
from rapidfuzz.distance import OSA

from quiz.core.normalise import normalise, numbers

__all__ = [
    "ANTONYMS",
    "FILLER",
    "NEGATIONS",
    "SYNONYMS",
    "is_guess_list",
    "meaning_match",
    "without_prompt_words",
]

# fmt: off
FILLER = frozenset({
    # articles and determiners
    "the", "a", "an", "some", "any", "this", "that", "these", "those",
    # prepositions that only link (not: before, after, without, against, under, over...)
    "of", "in", "at", "on", "to", "for", "by", "with", "from", "into", "onto", "between",
    "amongst", "among", "as", "about", "upon", "via", "than",
    # pronouns and possessives
    "it", "its", "they", "their", "them", "theirs", "he", "his", "she", "her", "we", "our",
    "you", "your", "i", "one", "ones", "there", "which", "who", "whom", "whose", "what",
    # auxiliaries and links
    "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does",
    "did", "will", "would", "and", "so", "then",
    # filler
    "think", "believe", "probably", "maybe", "perhaps", "just", "basically", "answer",
    "called", "known", "named", "very", "really", "living",
    # quantifiers that only say there are several ("in many nations" says "in nations")
    "many", "several", "various",
    # a light verb that only carries its object ("to make trade better" says "better trade")
    "make", "makes", "made", "making",
    # collective nouns that name no particular party or place ("the allied powers" says
    # "the allies"; "the German Confederation of states" says "the German Confederation")
    "powers", "nations", "countries", "states", "region",
})
"""Words that do not change what an answer says (dropped before comparing)."""

NEGATIONS = frozenset({
    "not", "no", "never", "nor", "neither", "none", "nothing", "without", "cannot", "non",
    "didnt", "wasnt", "werent", "isnt", "arent", "dont", "doesnt", "couldnt", "wouldnt",
    "hadnt", "hasnt", "havent", "cant", "wont", "nobody", "nowhere",
})
"""Words that negate: an answer with one the expected answer lacks is wrong."""

SYNONYMS: tuple[tuple[str, ...], ...] = (
    # the parties, as the text names them and as students write them
    ("ottoman empire", "ottomans", "ottoman", "ottoman turks"),
    ("russia", "russian empire", "russians", "russian"),
    ("britain", "british", "great britain", "the british", "british empire"),
    ("france", "french", "the french"),
    ("sardinia", "kingdom of sardinia", "sardinian", "sardinians", "piedmont sardinia"),
    ("concert of europe", "european concert"),
    ("danube", "danubian", "danube river", "river danube"),
    ("crimea", "crimean"),
    ("napoleonic", "napoleon", "napoleons"),
    # common words
    ("resolve", "end", "settle", "conclude", "finish"),
    ("trade", "commerce", "trading"),
    ("troops", "soldiers", "army", "forces", "military forces"),
    ("warships", "war ships", "naval ships", "navy ships", "battleships", "navy", "fleet"),
    ("begin", "start", "began", "started", "outbreak"),
    ("pledge", "promise", "vow", "commit"),
    ("maintain", "preserve", "keep", "uphold", "protect", "guarantee"),
    ("restore", "return", "restored", "returned"),
    ("boundaries", "borders", "frontiers"),
    ("pre war", "prewar", "before the war", "previous", "earlier", "former"),
    ("demilitarise", "demilitarize", "neutralise", "neutralize", "disarm"),
    ("weaken", "reduce", "diminish", "lessen", "undermine"),
    ("gain", "win", "take", "took", "acquire", "obtain", "won"),
    ("abandon", "give up", "renounce", "drop", "relinquish", "gave up"),
    ("rivalry", "rivalries", "competition", "rival", "rivals", "hostility"),
    ("disagreement", "dispute", "quarrel", "conflict of opinion"),
    ("uncertain", "unsure", "unclear"),
    ("impediment", "obstacle", "hindrance", "weakness", "shortcoming", "problem"),
    ("emancipation", "freeing", "liberation", "free", "freed", "liberating", "liberate"),
    ("medallion", "medal"),
    ("effectual", "effective"),
    ("international", "global", "worldwide"),
    ("tribal", "tribe", "tribes"),
    ("brink", "verge", "edge"),
    ("collapse", "ruin", "breakdown"),
    ("aim", "goal", "objective"),
    ("want", "wish", "hope", "desire", "seek"),
    ("best", "most favourable", "most favorable", "optimal"),
    ("outcome", "result", "deal", "terms"),
    ("stable", "steady", "secure"),
    ("balance of power", "power balance"),
    ("rising", "rise", "growing", "growth", "increasing"),
    ("economy", "economic", "finances"),
    ("integrity", "territorial integrity", "unity", "wholeness"),
    ("plan", "strategy"),
    ("region", "area"),
    ("congress", "conference", "peace congress", "peace conference"),
    ("confederation", "confederacy"),
    ("revolutionary", "revolution"),
    ("influence", "power", "sway"),
    ("dominance", "supremacy", "domination", "hegemony"),
    ("spread", "spreading"),
)
"""Groups of words and phrases that say the same in this subject (any one stands for any
other). Only exact equivalents belong here, never words of the same kind ("Britain" and
"France" are not synonyms). A bank can add groups for one question (see
:func:`meaning_match`'s ``extra_synonyms``)."""

ANTONYMS: tuple[tuple[str, str], ...] = (
    ("weaken", "strengthen"), ("weak", "strong"), ("weaker", "stronger"),
    ("gain", "lose"), ("gain", "lost"), ("win", "lose"), ("won", "lost"), ("win", "lost"),
    ("before", "after"), ("left", "right"), ("east", "west"), ("north", "south"),
    ("stable", "unstable"), ("certain", "uncertain"), ("secure", "insecure"),
    ("independence", "dependence"), ("militarise", "demilitarise"),
    ("militarize", "demilitarize"), ("increase", "decrease"), ("rise", "fall"),
    ("rising", "falling"), ("open", "close"), ("reopen", "close"), ("victory", "defeat"),
    ("ally", "enemy"), ("allies", "enemies"), ("more", "less"), ("first", "last"),
    ("maintain", "abandon"), ("protect", "abandon"), ("accept", "reject"),
    ("begin", "end"), ("soft", "hard"), ("best", "worst"), ("internal", "external"),
    ("international", "domestic"), ("latent", "open"), ("future", "past"),
    ("emancipation", "enslavement"), ("freeing", "enslaving"), ("pre", "post"),
    ("prewar", "postwar"), ("full", "partial"), ("stronger", "weaker"),
    ("restore", "change"), ("inhibit", "encourage"), ("uncertain", "certain"),
    ("revolutionary", "conservative"), ("safe", "unsafe"), ("effective", "ineffective"),
    ("effectual", "ineffectual"), ("integrity", "partition"), ("peace", "war"),
)
"""Pairs of opposites: an answer with the opposite of an expected word is wrong."""
# fmt: on

_LIST_SEPARATOR = re.compile(r"[,;/|]|\bor\b|\beither\b", re.IGNORECASE)
_STEMMER = snowballstemmer.stemmer("english")


@cache
def _stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def _budget(length: int) -> int:
    # the same budget as typo forgiveness in quiz.core.grading (see word_edit_budget)
    if length <= 4:
        return 0
    if length <= 9:
        return 1
    return 2


NEGATING_PREFIXES = ("un", "in", "im", "il", "ir", "non", "dis", "de", "anti", "a")
"""Prefixes that make a word its opposite ("independence"/"dependence", "unstable")."""


def negates(typed: str, expected: str) -> bool:
    """Whether one word is the other with a negating prefix ("inimpediments")."""
    for longer, shorter in ((typed, expected), (expected, typed)):
        if (
            len(longer) > len(shorter)
            and longer.endswith(shorter)
            and longer[: len(longer) - len(shorter)] in NEGATING_PREFIXES
        ):
            return True
    return False


def _close(typed: str, expected: str) -> bool:
    return (
        typed[:1] == expected[:1]
        and OSA.distance(typed, expected) <= _budget(len(expected))
        and not negates(typed, expected)
    )


@dataclass(frozen=True)
class _Unit:
    """One meaning-bearing word (or synonym phrase) of an answer."""

    key: str  # the stem, or "~" + the synonym group's first phrase
    surface: str  # the words as written (normalised)
    stems: tuple[str, ...]


def _content(words: Iterable[str]) -> list[str]:
    return [w for w in words if w not in FILLER and not numbers(w)]


@cache
def _phrase_table(groups: tuple[tuple[str, ...], ...]) -> dict[tuple[str, ...], str]:
    table: dict[tuple[str, ...], str] = {}
    for group in groups:
        key = "~" + group[0]
        for phrase in group:
            stems = tuple(_stem(w) for w in _content(normalise(phrase).split()))
            if stems:
                table.setdefault(stems, key)
    return table


def _units(folded: str, table: Mapping[tuple[str, ...], str]) -> list[_Unit]:
    words = _content(folded.split())
    stems = [_stem(w) for w in words]
    longest = max((len(p) for p in table), default=1)
    units: list[_Unit] = []
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            phrase = tuple(stems[i : i + size])
            if phrase in table:
                units.append(_Unit(table[phrase], " ".join(words[i : i + size]), phrase))
                i += size
                break
        else:
            units.append(_Unit(stems[i], words[i], (stems[i],)))
            i += 1
    return units


def _part_of(typed: _Unit, phrase: _Unit) -> bool:
    """Whether `typed` is one word of a phrase ("empire" of "Ottoman Empire")."""
    return len(phrase.stems) > 1 and set(typed.stems) <= set(phrase.stems)


def without_prompt_words(
    typed: str, prompt: str, extra_synonyms: Sequence[Sequence[str]] = ()
) -> str:
    """Normalised `typed` without filler and words the prompt has (numbers are kept)."""
    table = _phrase_table(SYNONYMS + tuple(tuple(g) for g in extra_synonyms if g))
    p_units = _units(normalise(prompt), table)
    kept = []
    for word in typed.split():
        if numbers(word):
            kept.append(word)
            continue
        if word in FILLER:
            continue
        unit = _units(word, table)
        if unit and any(_same(unit[0], p) or _part_of(unit[0], p) for p in p_units):
            continue
        kept.append(word)
    return " ".join(kept)


def _same(typed: _Unit, other: _Unit) -> bool:
    """One word: the same key, or one word written with a typo, or another form of it
    whose stem differs within the stem's typo budget ("stability"/"stable", stems
    "stabil"/"stabl", which Snowball leaves apart)."""
    if typed.key == other.key:
        return True
    if " " in typed.surface or " " in other.surface:
        return False
    return _close(typed.surface, other.surface) or _close(typed.stems[0], other.stems[0])


def _other_form(typed: _Unit, units: Sequence[_Unit]) -> bool:
    """Whether a typed word is another form of one of `units` rather than a typo of it:
    their stems are close but the words as written are not ("stability"/"stable")."""
    return (
        len(typed.stems) == 1
        and " " not in typed.surface
        and any(
            len(u.stems) == 1
            and _close(typed.stems[0], u.stems[0])
            and not _close(typed.surface, u.surface)
            for u in units
        )
    )


@cache
def _opposites() -> dict[str, frozenset[str]]:
    result: dict[str, set[str]] = {}
    for a, b in ANTONYMS:
        result.setdefault(_stem(a), set()).add(_stem(b))
        result.setdefault(_stem(b), set()).add(_stem(a))
    return {k: frozenset(v) for k, v in result.items()}


def negation_count(folded: str) -> int:
    """How many negating words (:data:`NEGATIONS`) a normalised answer has."""
    return sum(w in NEGATIONS for w in folded.split())


def _covers(
    typed: list[_Unit], expected: list[_Unit], prompt: list[_Unit]
) -> tuple[bool, bool, bool]:
    """Whether `typed` says `expected`; and whether it added / left out prompt words."""
    required = [
        e for e in expected if not any(_same(e, p) or _part_of(e, p) for p in prompt)
    ] or expected
    if not all(any(_same(t, e) for t in typed) for e in required):
        return False, False, False
    added = False
    for t in typed:
        if any(_same(t, e) for e in expected):
            continue
        if any(_same(t, p) or _part_of(t, p) for p in prompt):
            added = True
            continue
        return False, False, False
    omitted = len(required) < len(expected) and not all(
        any(_same(t, e) for t in typed) for e in expected
    )
    return True, added, omitted


def meaning_match(
    typed: str,
    expected: str,
    prompt: str = "",
    extra_synonyms: Sequence[Sequence[str]] = (),
) -> str | None:
    """Why normalised `typed` says what normalised `expected` says, or None if it does not.

    `prompt` is the question as asked (its words may be added or left out); `typed` and
    `expected` are :func:`~quiz.core.normalise.normalise`-d answers. `extra_synonyms` are
    more synonym groups for this question, on top of :data:`SYNONYMS`. The reason is a
    short phrase: "inflection", "synonym", "typo forgiven", "extra words from the
    question", "words from the question left out", "filler words ignored", joined by ", ".
    """
    groups = SYNONYMS + tuple(tuple(g) for g in extra_synonyms if g)
    table = _phrase_table(groups)
    typed_words, expected_words = typed.split(), expected.split()
    if not typed_words or not expected_words:
        return None
    prompt_folded = normalise(prompt)
    # numbers: every expected one, and nothing more than the prompt's
    typed_numbers, expected_numbers = numbers(typed), numbers(expected)
    if expected_numbers - typed_numbers:
        return None
    if typed_numbers - expected_numbers - numbers(prompt_folded):
        return None
    if negation_count(typed) != negation_count(expected):
        return None
    t_units = _units(typed, table)
    e_units = _units(expected, table)
    p_units = _units(prompt_folded, table)
    if not e_units and not expected_numbers:
        return None
    opposites = _opposites()
    expected_stems = {s for e in e_units for s in e.stems}
    for t in t_units:
        for stem in t.stems:
            if opposites.get(stem, frozenset()) & expected_stems:
                return None
    covered, added, omitted = _covers(t_units, e_units, p_units)
    if not covered:
        return None
    known = {u.key for u in e_units} | {u.key for u in p_units}
    known |= {s for p in p_units if len(p.stems) > 1 for s in p.stems}
    if sum(t.key not in known for t in t_units) > 1:
        return None  # one typo among other words at most (more are forgiven on their own)
    reasons = []
    others = [*e_units, *p_units]
    if any(
        t.key.startswith("~") and not any(t.stems == u.stems for u in others if u.key == t.key)
        for t in t_units
    ):
        reasons.append("synonym")
    surfaces = {e.surface for e in e_units} | {p.surface for p in p_units}
    stems = {e.stems for e in e_units} | {p.stems for p in p_units}
    derived = [t for t in t_units if t.stems not in stems and _other_form(t, others)]
    if derived or any(t.surface not in surfaces and t.stems in stems for t in t_units):
        reasons.append("inflection")
    if any(
        t.stems not in stems
        and not t.key.startswith("~")
        and t.surface not in surfaces
        and t not in derived
        for t in t_units
    ):
        reasons.append("typo forgiven")
    if added:
        reasons.append("extra words from the question")
    if omitted:
        reasons.append("words from the question left out")
    if not reasons:
        reasons.append("filler words ignored")
    return ", ".join(reasons)


def is_guess_list(
    raw: str,
    accepted: Sequence[str],
    prompt: str = "",
    extra_synonyms: Sequence[Sequence[str]] = (),
) -> bool:
    """Whether the raw answer is a list of guesses: it splits at ``,;/`` or "or" into
    parts, one part alone says an accepted answer, and another part says nothing of any
    accepted answer ("Sardinia, France"; but "a soft, silver colour alloy" is one answer).
    """
    parts = [normalise(p) for p in _LIST_SEPARATOR.split(raw) if p and normalise(p)]
    if len(parts) < 2:
        return False
    table = _phrase_table(SYNONYMS + tuple(tuple(g) for g in extra_synonyms if g))
    wanted = [u for a in accepted for u in _units(normalise(a), table)]

    def says(part: str) -> bool:
        return any(meaning_match(part, normalise(a), prompt, extra_synonyms) for a in accepted)

    def adds_nothing(part: str) -> bool:
        units = _units(part, table)
        return bool(units) and not any(_same(u, w) for u in units for w in wanted)

    return any(says(p) for p in parts) and any(adds_nothing(p) for p in parts)
