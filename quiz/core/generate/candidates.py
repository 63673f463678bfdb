"""What a draft asks about: answers chosen by importance, with the give-aways filtered out.

Names (runs of capitalised words, capitals restored first when the material lost them:
people, places, states, organisations), dates of main events, years, shares in percent
and key phrases (recurring, or "the consent of the governed" said once). Each is scored:
names and dated main events first, more when a relation verb leads to it ("gained",
"ceded", "occupied", "signed"); never the deck's own title; never anything a learner could
get from the stem (the answer named again in it, a year of a range whose other end is
shown, a count next to what it counts), never half a name or one item of a list of names,
never a word that only qualifies another ("the British brethren", "everlasting Adieu"), a
title alone or a label in quotes.
"""

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from quiz.core.dates import MONTHS
from quiz.core.generate.casing import usually_capitalised
from quiz.core.generate.items import Item, citation_signs, detect_items, in_reference
from quiz.core.generate.lexicon import NUMBER_WORDS, PUNCT, STOP_WORDS
from quiz.core.generate.sentences import finite_verb, is_heading
from quiz.core.generate.text import Token, token_range

# fmt: off
RELATION_VERBS = frozenset({
    "gained", "ceded", "recognised", "recognized", "signed", "excluded", "occupied", "imposed",
    "joined", "left", "lost", "won", "annexed", "acquired", "admitted", "declared", "formed",
    "introduced", "repelled", "assumed", "organized", "organised", "designated", "invaded",
    "defeated", "ruled", "founded", "established", "abolished", "restored", "depart",
    "elected", "appointed", "freed", "granted", "returned", "became", "voted", "against",
    "from", "by", "under",
})
MAIN_EVENT_VERBS = frozenset({
    "signed", "began", "begun", "declared", "ended", "issued", "formed", "introduced",
    "became", "occupied", "imposed", "voted", "founded", "established", "abolished",
    "assumed", "ratified", "concluded", "started", "broke", "proclaimed", "done", "effect",
    "opened", "closed", "collapsed", "died", "born", "fought", "launched", "completed",
    "built", "elected", "crowned", "killed", "captured", "published", "adopted", "passed",
    "finished", "besieged", "taken", "abandoned", "surrendered", "invaded", "defeated",
})
TITLE_WORDS = frozenset({"king", "queen", "sultan", "president", "tsar", "czar", "emperor",
                         "empress", "prince", "princess", "general", "lord", "sir", "pope",
                         "secretary", "minister", "chancellor", "duke"})
INNER = frozenset({"of", "de", "la", "le", "du", "von", "van", "der", "al", "el", "da"})
NOT_NAMES = frozenset({*MONTHS, "monday", "tuesday", "wednesday", "thursday", "friday",
                       "saturday", "sunday", "i", "god", "lord", "mr", "mrs"})
NAME_PREFIXES = frozenset({"west", "east", "north", "south", "new", "great", "upper", "lower",
                           "saint", "st", "san", "santa", "fort", "port", "mount", "lake",
                           "cape", "old", "little", "holy", "united"})
ORDINALS = frozenset({"first", "second", "third", "fourth", "fifth", "sixth", "seventh",
                      "eighth", "ninth", "tenth", "eleventh", "twelfth", "seventeenth",
                      "twentieth", "hundredth"})
DEMONYM_ENDINGS = ("an", "ian", "ish", "ese", "ic", "ean", "ch", "i")
PEOPLE_ENDINGS = ("ish", "ese", "ian", "ians", "ans", "ic", "ional", "ench", "tch")  # "British"
# fmt: on
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_RANGE_MARK = re.compile(r"^[–—-]$|^to$|^and$")
_PERCENT = re.compile(r"^(?:%|percent|per)$", re.IGNORECASE)


@dataclass(frozen=True)
class Answer:
    """A candidate answer: its kind and category (for distractors), where it stands."""

    kind: str  # name, date, year, number, phrase
    category: str  # year, date, number, person, state, place, event, treaty, org, phrase
    text: str  # as written in the material
    key: str  # lower-cased, for facts and repeats
    start: int
    end: int
    first: int  # token range [first, last)
    last: int
    sentence: int
    score: float


def _core_span(token: Token) -> tuple[int, int]:
    text = token.text
    lead = len(text) - len(text.lstrip(PUNCT))
    stripped = text.strip(PUNCT)
    possessive = _POSSESSIVE.search(stripped)
    trail = len(text) - len(text.rstrip(PUNCT)) + (len(possessive.group()) if possessive else 0)
    return token.start + lead, token.end - trail


def _capitalised(word: str) -> bool:
    core = word.strip(PUNCT)
    return bool(core) and core[:1].isupper() and core[:1].isalpha()


def _no_lexicon(word: str) -> bool | None:
    return None


Lexicon = Callable[[str], bool | None]


def name_like(
    cased: Sequence[str], sentence_starts: set[int], capital: Lexicon = _no_lexicon
) -> list[bool]:
    """Per token, whether it is (part of) a name: capitalised where it is not the first
    word of a sentence; a first word only when the text capitalises it elsewhere too and
    never writes it in lower case; shouted words only when the text never writes them in
    lower case ("MEN" is not a name)."""
    lower = Counter(w.strip(PUNCT) for w in cased if w.strip(PUNCT).islower())
    mid_caps = {
        w.strip(PUNCT).lower()
        for i, w in enumerate(cased)
        if i not in sentence_starts and _capitalised(w)
    }
    flags = []
    for i, word in enumerate(cased):
        core = _POSSESSIVE.sub("", word.strip(PUNCT))
        if not _capitalised(core) or core.lower() in NOT_NAMES:
            flags.append(False)
            continue
        if core.isupper() and lower[core.lower()]:
            flags.append(False)  # "MEN" is no name when the text writes "men"
            continue
        if any(part in NUMBER_WORDS or part in ORDINALS for part in core.lower().split("-")):
            flags.append(False)  # "Twenty-second", "Hundred"
            continue
        if i in sentence_starts:
            flags.append(core.lower() in mid_caps and not lower[core.lower()])
            continue
        neighbours = [cased[j] for j in (i - 1, i + 1) if 0 <= j < len(cased)]
        lone = not any(_capitalised(n) for n in neighbours)
        if lone and lower[core.lower()]:
            flags.append(
                False
            )  # "the Representatives" where the text also writes "the representatives"
            continue
        flags.append(not (lone and capital(core) is False))
    return flags


def _category(words: list[str], before: str) -> str:
    head = words[-1].lower()
    lowered = {w.lower() for w in words}
    if len(words) == 1 and words[0].isupper() and len(words[0]) <= 5:
        return "org"
    if lowered & {"war", "wars", "battle", "revolution", "crisis", "siege", "congress"}:
        return "event"
    if lowered & {"treaty", "peace", "pact", "convention", "agreement", "accord", "act"}:
        return "treaty"
    if head in {
        "empire",
        "kingdom",
        "republic",
        "confederation",
        "union",
        "states",
        "principalities",
        "dynasty",
        "monarchy",
    }:
        return "state"
    if before.lower() in TITLE_WORDS or (len(words) >= 2 and words[0].lower() in TITLE_WORDS):
        return "person"
    return "place"


def _names(
    text: str,
    tokens: list[Token],
    cased: Sequence[str],
    flags: list[bool],
    capital: Lexicon = _no_lexicon,
) -> list[tuple[int, int]]:
    """Token ranges of maximal name runs ("Congress of Paris", "Federal Republic of Germany")."""
    runs = []
    i = 0
    while i < len(tokens):
        if not flags[i]:
            i += 1
            continue
        j = i + 1
        while j < len(tokens):
            previous = tokens[j - 1].text
            if previous.rstrip(PUNCT) != previous or _POSSESSIVE.search(previous.strip(PUNCT)):
                break  # punctuation or a possessive ends the name
            if flags[j] and tokens[j].text[:1] not in PUNCT:
                j += 1
            elif (
                tokens[j].core in INNER
                and j + 1 < len(tokens)
                and flags[j + 1]
                and tokens[j].text.rstrip(PUNCT) == tokens[j].text
            ):
                j += 2
            else:
                break
        runs.append((i, j))
        i = j
    # Two names side by side that each stand alone elsewhere are two names, not one
    # ("... of Europe Britain and France hoped"): a heading run into the text.
    alone = {
        tokens[a].core
        for a, b in runs
        if b - a == 1 and not tokens[a].core.endswith((*DEMONYM_ENDINGS, "s"))
    }
    split = []
    for a, b in runs:
        start = a
        for k in range(a + 1, b):
            if tokens[k].core in alone and (
                tokens[k - 1].core in alone
                or (capital(tokens[k - 1].core) and tokens[k - 1].core not in NAME_PREFIXES)
            ):
                split.append((start, k))
                start = k
        split.append((start, b))
    return split


def _part_of_longer_name(
    tokens: list[Token],
    cased: Sequence[str],
    flags: list[bool],
    starts: set[int],
    run: tuple[int, int],
) -> bool:
    """Whether a name run is only part of a name or one item of a list of names: a
    capitalised word glued to it ("Ahmad al-MANSUR"), or a name beside it across "and",
    "&" or a comma ("the Economic and Monetary Union", "the US, UK, France")."""

    first, last = run

    def capitals(k: int) -> bool:
        return 0 <= k < len(tokens) and any(c.isupper() for c in cased[k])

    previous = cased[first - 1] if first else ""
    glued_after = (
        last < len(tokens) and tokens[last - 1].text.rstrip(PUNCT) == tokens[last - 1].text
    )
    if glued_after and capitals(last) and not flags[last] and tokens[last].core not in INNER:
        return True
    if (
        capitals(first - 1)
        and not flags[first - 1]
        and previous.strip(PUNCT).lower()
        not in (TITLE_WORDS | {"the", "a", "an", "in", "on", "at", "of", "by"})
        and previous.rstrip(PUNCT) == previous
        and first - 1 not in starts
    ):
        return True
    if first >= 2 and tokens[first - 1].core in _LINKS and capitals(first - 2):
        return True  # "the Economic and Monetary Union"
    return _in_list(tokens, flags, first, last)


_LINKS = frozenset({"and", "&", "or"})


def _listed_beside(tokens: list[Token], first: int, last: int) -> list[int]:
    """The words listed right before and after the run [first, last): across commas,
    "and", "or" and "the" (at least one comma or conjunction between)."""
    found = []
    for k, step, listed in (
        (first, -1, False),
        (last - 1, 1, tokens[last - 1].text.endswith(",")),
    ):
        while True:
            k += step
            if not 0 <= k < len(tokens) or abs(k - (first if step < 0 else last)) > 3:
                break
            token = tokens[k]
            if token.text == "," or token.core in _LINKS or token.core == "the":
                listed = listed or token.core != "the"
                continue
            if step < 0 and token.text.endswith(","):
                listed = True
            if listed:
                found.append(k)
            break
    return found


def _in_list(tokens: list[Token], flags: list[bool], first: int, last: int) -> bool:
    """Whether the run is one of a list: a name listed beside it, or single words with
    commas on both sides ("the parishes of st bernard , plaquemines , jefferson")."""
    for k in _listed_beside(tokens, first, last):
        if flags[k]:
            return True
        ahead = k >= last
        if ahead and (
            tokens[k].text.endswith(",") or (k + 1 < len(tokens) and tokens[k + 1].text == ",")
        ):
            return True
        if not ahead and k > 0 and (tokens[k - 1].text == "," or tokens[k - 1].text.endswith(",")):
            return True
    return False


def _titled_after(tokens: list[Token], last: int) -> bool:
    """Whether a title follows the name after a comma ("Lincoln , president")."""
    comma = tokens[last - 1].text.endswith(",") or (last < len(tokens) and tokens[last].text == ",")
    k = last + (last < len(tokens) and tokens[last].text == ",")
    return comma and k < len(tokens) and tokens[k].core in TITLE_WORDS


def _qualifying_word(tokens: list[Token], cased: Sequence[str], first: int, last: int) -> bool:
    """A lone capitalised word after a lower-case word that describes it ("everlasting
    Adieu", "communist GDR" is kept: acronyms are names)."""
    if last - first != 1 or first == 0 or cased[first].strip(PUNCT).isupper():
        return False
    previous = tokens[first - 1]
    word = cased[first - 1]
    return (
        previous.text.rstrip(PUNCT) == previous.text
        and word[:1].islower()
        and word.isalpha()
        and previous.core not in STOP_WORDS
        and previous.core not in RELATION_VERBS
        and previous.core not in MAIN_EVENT_VERBS
        and not previous.core.endswith("ed")
    )


_PARTICIPLE = re.compile(r"(?:ed|held|made|done|given|taken|known|shown|thereof|aforesaid)$")


def _noun_phrase(key: str) -> bool:
    """Whether a recurring phrase reads as a thing a learner can name: no month, number
    word or date inside, not ending in a participle or a legal filler."""
    words = key.split()
    if any(w in MONTHS or w in NUMBER_WORDS or w in ORDINALS or w == "day" for w in words):
        return False
    return not _PARTICIPLE.search(words[-1])


def _in_range(tokens: list[Token], first: int, last: int) -> bool:
    """A year of a range ("1578-1603", "from 1618 to 1648"): the other end gives it away."""
    text = "".join(t.text for t in tokens[max(first - 1, 0) : last + 1])
    if re.search(r"\d{3,4}\s*[–—-]\s*\d|\d\s*[–—-]\s*\d{3,4}", text):
        return True
    around = [tokens[k].core for k in (first - 1, last) if 0 <= k < len(tokens)]
    near_years = [
        tokens[k].core
        for k in (first - 2, last + 1)
        if 0 <= k < len(tokens) and re.fullmatch(r"1\d{3}|20\d{2}", tokens[k].core)
    ]
    return bool(near_years) and any(_RANGE_MARK.match(w) for w in around)


def title_words(title: str) -> set[str]:
    """The content words of the deck's title, lower case."""
    return {w for w in re.findall(r"[a-z0-9]+", title.lower()) if w not in STOP_WORDS}


def _is_title(key: str, title: set[str]) -> bool:
    words = {w for w in re.findall(r"[a-z0-9]+", key) if w not in STOP_WORDS}
    return bool(words) and words <= title | {"treaty", "peace"} and bool(words & title)


def find_answers(
    text: str,
    tokens: list[Token],
    cased: Sequence[str],
    spans: list[tuple[int, int]],
    title: str,
    use_model: bool = True,
) -> list[Answer]:
    """Every candidate answer that passes the filters, scored, in text order."""
    sentence_of = [0] * len(tokens)
    for n, (a, b) in enumerate(spans):
        for i in range(a, b):
            sentence_of[i] = n
    starts = {a for a, _ in spans}
    capital: Lexicon = usually_capitalised if use_model else _no_lexicon
    flags = name_like(cased, starts, capital)
    words = [t.text for t in tokens]
    title_set = title_words(title)
    found: list[Answer] = []

    def lead_verb(first: int) -> bool:
        reach = range(max(first - 4, spans[sentence_of[first]][0]), first)
        return any(tokens[k].core in RELATION_VERBS for k in reach)

    signs = citation_signs(tokens, [False] * len(tokens))
    name_counts: Counter[str] = Counter()
    runs = _names(text, tokens, cased, flags, capital)
    for first, last in runs:
        name_counts[" ".join(tokens[k].core for k in range(first, last))] += 1
    headings = {n for n, span in enumerate(spans) if is_heading(text, tokens, span)}
    for first, last in runs:
        if sentence_of[first] in headings:
            continue
        start, _ = _core_span(tokens[first])
        _, end = _core_span(tokens[last - 1])
        key = " ".join(tokens[k].core for k in range(first, last))
        if end <= start or _is_title(key, title_set) or len(key) < 2:
            continue
        shown = [cased[k].strip(PUNCT) for k in range(first, last)]
        before = tokens[first - 1].core if first else ""
        item = Item("phrase", text[start:end], key, start, end)
        if in_reference(tokens, signs, item) or len(key.split()) > 6:
            continue
        if first and tokens[first].text.startswith("(") and flags[first - 1]:
            continue  # an acronym in brackets after its name: "(FRG)"
        if _part_of_longer_name(tokens, cased, flags, starts, (first, last)):
            continue
        if tokens[first].text[:1] in "'‘\"“":
            continue  # a term in quotes ("a move known as 'Brexit'"): a label, not a fact
        if set(key.split()) <= TITLE_WORDS:
            continue  # "the President of the United States": a title, not a name
        if before in {"a", "an"}:
            continue  # "A Declaration": a common noun written with a capital
        category = _category(shown, before)
        if _titled_after(tokens, last):
            category = "person"  # "I, Abraham Lincoln, President of the United States"
        following = tokens[last].text if last < len(tokens) else ""
        modifies = (
            following[:1].isalpha()
            and following[:1].islower()
            and tokens[last].core not in STOP_WORDS
            and tokens[last - 1].text.rstrip(PUNCT) == tokens[last - 1].text
        )
        if modifies and last - first == 1 and not finite_verb(words, last):
            category = "demonym"  # "Muslim dynasties", "Arab conquest": a word that qualifies
        if (modifies and key.endswith(DEMONYM_ENDINGS)) or (
            last - first == 1 and key.endswith(PEOPLE_ENDINGS)
        ):
            category = "demonym"  # "the Napoleonic wars", "the Russian economy", "the British"
        if category == "demonym" or _qualifying_word(tokens, cased, first, last):
            continue  # "the British brethren", "merciless Indian savages", "everlasting Adieu"
        score = 3.0 + 0.5 * (last - first > 1) + 1.5 * lead_verb(first)
        count = name_counts[key]
        score += 0.5 if 2 <= count <= 6 else (-1.0 if count > 6 else 0.0)
        found.append(
            Answer(
                "name",
                category,
                text[start:end],
                key,
                start,
                end,
                first,
                last,
                sentence_of[first],
                score,
            )
        )
    name_spans = [(a.start, a.end) for a in found]
    for item in detect_items(text):
        if any(item.start < e and s < item.end for s, e in name_spans):
            continue
        first, last = token_range(tokens, item.start, item.end)
        sentence = sentence_of[first]
        if sentence in headings:
            continue
        a, b = spans[sentence]
        if item.kind == "date":
            if not any(
                finite_verb(words, k) and tokens[k].core in MAIN_EVENT_VERBS for k in range(a, b)
            ):
                continue  # the exact day of a side event is trivia
            score = 3.5 + 1.0 * lead_verb(first)
        elif item.kind == "year":
            if _in_range(tokens, first, last) or item.key in title_set:
                continue
            score = 3.0 + 1.0 * lead_verb(first)
        elif item.kind == "number":
            after = tokens[last].core if last < len(tokens) else ""
            if not (_PERCENT.match(after) or item.text.endswith("%")):
                continue  # counts of articles, delegations, counties: trivia
            score = 2.0
        else:
            if _is_title(item.key, title_set):
                continue
            following = tokens[last].text if last < len(tokens) else ""
            if following[:1] in "'’" or flags[first] or (last < len(tokens) and flags[last]):
                continue  # half a name ("thirty years" of "thirty years' war")
            if not _noun_phrase(item.key):
                continue  # "persons held", "day of january", "thousand eight hundred"
            score = 1.5 + 0.5 * lead_verb(first)
        found.append(
            Answer(
                item.kind,
                item.kind if item.kind != "phrase" else "phrase",
                item.text,
                item.key,
                item.start,
                item.end,
                first,
                last,
                sentence,
                score,
            )
        )
    taken = [(a.start, a.end) for a in found]
    for first, last in _of_phrases(tokens, flags):
        start, _ = _core_span(tokens[first])
        _, end = _core_span(tokens[last - 1])
        sentence = sentence_of[first]
        if sentence in headings or any(start < e and s < end for s, e in taken):
            continue
        key = " ".join(tokens[k].core for k in range(first, last))
        if _is_title(key, title_set) or not _noun_phrase(key):
            continue
        item = Item("phrase", text[start:end], key, start, end)
        if in_reference(tokens, signs, item):
            continue
        score = 1.0 + 0.5 * lead_verb(first)
        found.append(
            Answer(
                "phrase", "phrase", text[start:end], key, start, end, first, last, sentence, score
            )
        )
    return sorted(found, key=lambda a: (a.start, a.end))


_CONTENT = re.compile(r"^[a-z]{4,}$")
# fmt: off
VAGUE = frozenset({"rest", "part", "parts", "side", "sides", "lives", "number", "kind", "sort",
                   "name", "terms", "fact", "nature", "case", "means", "course", "another",
                   "others", "whole", "type", "form", "forms", "matter", "brink", "time",
                   "times", "works", "hands", "head", "heads", "many", "most", "some"})
# fmt: on


def _of_phrases(tokens: list[Token], flags: list[bool]) -> list[tuple[int, int]]:
    """Key phrases said once: a noun "of" a noun after an article or a possessive ("the
    consent of the governed", "the balance of power", "the emancipation of the serfs")."""
    out = []
    for i in range(1, len(tokens) - 2):
        if tokens[i + 1].text != "of" or tokens[i - 1].core not in {
            "the",
            "a",
            "an",
            "their",
            "its",
            "our",
            "his",
        }:
            continue
        last = i + 2
        if tokens[last].text == "the" and last + 1 < len(tokens):
            last += 1
        words = [tokens[i].text, tokens[last].text.rstrip(PUNCT)]
        if tokens[i].text != tokens[i].core or not all(_CONTENT.match(w) for w in words):
            continue
        if any(w in STOP_WORDS or w in VAGUE or w.endswith(("ly", "ing")) for w in words):
            continue
        if any(flags[k] for k in range(i, last + 1)):
            continue  # a name: asked as a name
        if (
            last + 1 < len(tokens)
            and tokens[last].text == words[1]
            and _CONTENT.match(tokens[last + 1].text)
            and tokens[last + 1].core not in STOP_WORDS
        ):
            continue  # the noun goes on: "the integrity of the ottoman empire"
        after = tokens[last + 1].core if last + 1 < len(tokens) else ""
        if after in {"&", "and", "or"} or (
            tokens[last].text.endswith(",") and after in {"&", "and"}
        ):
            continue  # one of two: "the voice of justice & of consanguinity"
        out.append((i, last + 1))
    return out


def gives_itself_away(answer: Answer, tokens: list[Token], window: tuple[int, int]) -> bool:
    """Whether the stem would name the answer again (any of its content words outside it)."""
    own = {w for w in answer.key.split() if w not in STOP_WORDS and len(w) > 2}
    if answer.text.isupper() and answer.kind == "name":
        own.add(answer.key)  # "EU" is named again in "EU-UK"
    if answer.kind in {"date", "year", "number"}:
        own = {answer.key[:4]} if answer.kind != "number" else set()
    for k in range(*window):
        if answer.first <= k < answer.last:
            continue
        core = _POSSESSIVE.sub("", tokens[k].core)
        parts = set(re.split(r"[-–—/]", core))  # "EU-UK" names the EU
        if core in own or parts & own:
            return True
        if answer.kind in {"date", "year"} and answer.key[:4] in core:
            return True
    return False


def key_items(text: str) -> list[Item]:
    """Dates and years of the text (distractors for dates and years)."""
    return [i for i in detect_items(text) if i.kind in {"date", "year"}]
