"""Capitals for lower-cased material from the text's own structure, when truecase's model
(the optional `drafting` extra) is not there.

A name shows itself by how it is built and where it stands, not by a list of names:

1. a head that only names take, with a word that qualifies it: "crimean war", "black sea"
   (written so at least twice), "ottoman empire", "kingdom of sardinia", "treaty of paris",
   "st bernard", "north carolina", "william h seward";
2. the same words elsewhere: "paris", "sardinia", "russian" and the country its ending
   comes from ("russia", "crimea", "europe"), and "russians";
3. words listed beside a name ("france , britain , the ottoman empire"), when the text
   never writes them after an article ("the danube" is left alone, "britain" is not).

Deterministic; it finds fewer names than the model and none that the text does not
build as one.
"""

import re
from collections import Counter
from collections.abc import Sequence

from quiz.core.generate.lexicon import MONTH_FULL, PUNCT, STOP_WORDS

# fmt: off
HEADS = frozenset({"war", "empire", "sea", "kingdom", "confederation", "principalities",
                   "states", "union", "congress", "ocean", "river", "mountains", "islands",
                   "republic", "channel", "straits", "peninsula", "gulf", "strait", "revolution"})
HEADS_OF = frozenset({"treaty", "congress", "kingdom", "peace", "battle", "siege", "republic",
                      "duchy", "principality", "emperor", "king", "queen", "empire", "states",
                      "bay", "gulf", "isle", "cape", "city", "conference", "convention",
                      "county", "counties", "parish", "parishes", "province", "duke",
                      "prince", "princess", "concert"})
PREFIXES = frozenset({"west", "east", "north", "south", "st", "saint", "san", "santa", "fort",
                      "port", "mount", "lake", "cape", "united"})
DEMONYM = re.compile(r"^[a-z]{3,}(?:an|ian|ish|ese)$")
GENERIC = frozenset({"city", "county", "counties", "parish", "parishes", "province"})
TITLES = frozenset({"president", "king", "queen", "emperor", "secretary", "governor",
                    "general", "chancellor", "minister", "sultan", "tsar"})
DETERMINERS = frozenset({"one", "each", "every", "any", "no", "other", "this", "that", "such"})
ARTICLES = frozenset({"the", "a", "an", "its", "his", "her", "their", "our"})
# fmt: on
_WORD = re.compile(r"^[a-z]+$")


def _plain(word: str) -> bool:
    return bool(_WORD.match(word)) and word not in STOP_WORDS and len(word) > 2


def _glued(token: str) -> bool:
    """Whether nothing (no comma, no bracket) stands after the word."""
    return token.rstrip(PUNCT) == token


def _name_words(words: Sequence[str], tokens: Sequence[str]) -> tuple[set[int], set[str]]:
    """Token positions inside names built by their heads, and the words that name alone."""
    at: set[int] = set()
    alone: set[str] = set()
    pairs = Counter((words[i], words[i + 1]) for i in range(len(words) - 1) if _glued(tokens[i]))
    for i in range(len(words) - 1):
        if not _glued(tokens[i]):
            continue
        word, head = words[i], words[i + 1]
        if (
            head in HEADS
            and _plain(word)
            and (word in PREFIXES or not word.endswith(("ing", "ed", "ly", "-war")))
        ):
            if DEMONYM.match(word) or word in PREFIXES:
                at |= {i, i + 1}
                if word not in PREFIXES:
                    alone.add(word)
            elif pairs[word, head] >= 2 and not _plain(words[i - 1] if i else "the"):
                at |= {i, i + 1}  # "the black sea", written so again and again
        if word in PREFIXES and word not in {"united"} and _plain(head) and head not in HEADS:
            at |= {i, i + 1}  # "st bernard", "north carolina"
        if (
            word in HEADS_OF
            and head == "of"
            and i + 2 < len(words)
            and _plain(words[i + 2])
            and words[i + 2] not in HEADS_OF
        ):
            last = i + 2
            if words[last] in PREFIXES | {"new"} and last + 1 < len(words):
                last += 1  # "city of new orleans"
            if _plain(words[last]):
                at |= set(range(i if word not in GENERIC else i + 2, last + 1))
                alone.add(words[last])
        if (
            i + 2 < len(words)
            and len(tokens[i + 1]) == 1
            and head.isalpha()
            and head not in {"a", "i", "s"}
            and _plain(word)
            and _plain(words[i + 2])
            and _glued(tokens[i + 1])
            and (i == 0 or not _plain(words[i - 1]) or tokens[i - 1].endswith((":", ",")))
        ):
            at |= {i, i + 1, i + 2}  # "william h seward"
            alone |= {word, words[i + 2]}
        if (
            i + 3 < len(words)
            and _plain(word)
            and _plain(head)
            and _glued(tokens[i])
            and tokens[i + 2] == ","
            and words[i + 3] in TITLES
            and (i == 0 or tokens[i - 1] == ",")
        ):
            at |= {i, i + 1}  # "i , abraham lincoln , president of the united states"
            alone |= {word, head}
    return at, alone


def _related(alone: set[str], vocabulary: set[str]) -> set[str]:
    """The country a demonym comes from, and its plural: "russian" -> "russia", "russians"."""
    out = set(alone)
    for word in vocabulary:  # "british" beside "britain": a people's word of a named place
        if DEMONYM.match(word) and any(w[:4] == word[:4] and len(w) > 4 for w in alone):
            out.add(word)
    for word in alone:
        if DEMONYM.match(word):
            out |= {w for w in (word[:-1], word[:-2], word + "s") if w in vocabulary}
        else:  # "europe" -> "european", "russia" -> "russian"
            forms = (word + "n", word + "an", word[:-1] + "ean", word + "ian")
            out |= {w for w in forms if w in vocabulary}
    return out


SEPARATORS = frozenset({",", "and", "&", "(", ")", "the"})


def _neighbours(words: Sequence[str], tokens: Sequence[str], i: int) -> list[int]:
    """The words listed right before and after word `i`: across commas, "and", brackets
    and "the" (at most three such tokens), with at least one comma, "and" or bracket."""
    found = []
    for step in (-1, 1):
        k, between, listed = i, 0, False
        if step == 1 and tokens[i].endswith((",", ")")):
            listed = True
        while True:
            k += step
            if not 0 <= k < len(words) or between > 3:
                break
            text = tokens[k].lower()
            if text in SEPARATORS:
                listed = listed or text != "the"
                between += 1
                continue
            if step == -1 and tokens[k].endswith((",", ")")):
                listed = True
            if listed:
                found.append(k)
            break
    return found


def _listed(words: Sequence[str], tokens: Sequence[str], named: list[bool]) -> bool:
    """Mark words listed beside a name; true if any were. A listed word stands alone
    (a separator or a small word on either side, "and france , britain ,") and the text
    never writes it after an article ("the provinces", "the danube")."""
    articled = Counter(words[i + 1] for i in range(len(words) - 1) if words[i] in ARTICLES)
    seen = Counter(words)
    after_article = {w for w, n in articled.items() if 3 * n >= seen[w]}
    changed = False
    for i, word in enumerate(words):
        if named[i] or not _plain(word) or word in after_article:
            continue
        if word.endswith(("ing", "ed", "ly", "tion", "ment", "ness", "ity", "s")):
            continue
        sides = [words[k] for k in (i - 1, i + 1) if 0 <= k < len(words)]
        if any(_plain(w) or w in DETERMINERS for w in sides):
            continue  # "danubian provinces", "trade routes": a word within a phrase
        if word in HEADS | HEADS_OF or (i + 1 < len(words) and words[i + 1] in ARTICLES):
            continue  # "( except the parishes": a name is not followed by an article
        if any(
            named[k] and words[k] not in HEADS | HEADS_OF for k in _neighbours(words, tokens, i)
        ):
            named[i] = changed = True
    return changed


def restore_from_text(words: Sequence[str]) -> list[str]:
    """The words with capitals where the text builds a name, else as written."""
    cores = [w.strip(PUNCT).lower() for w in words]
    at, alone = _name_words(cores, words)
    alone = _related(alone, set(cores))
    named = [i in at or c in alone for i, c in enumerate(cores)]
    for _ in range(len(words)):  # a list grows from its named item outwards
        if not _listed(cores, words, named):
            break
    capital = alone | {c for i, c in enumerate(cores) if named[i] and i not in at}
    for i, core in enumerate(cores[:-3]):
        if core in TITLES and cores[i + 1] == "of" and cores[i + 2] == "the" and named[i + 3]:
            named[i] = True  # "president of the United States": a title of a named state
    out = []
    for i, (word, core) in enumerate(zip(words, cores, strict=True)):
        dated = any(0 <= k < len(cores) and cores[k].isdigit() for k in (i - 1, i + 1))
        dated = dated or (i > 0 and cores[i - 1] == "of")  # "the first day of january"
        if core == "i" or (core in MONTH_FULL and (dated or core not in {"may", "march"})):
            named[i] = True  # "I", "30 March 1856": English always writes them so
        if (named[i] or core in capital) and core not in {"", "of", "the", "and"}:
            start = word.lower().index(core[0])
            word = word[:start] + word[start].upper() + word[start + 1 :]
        out.append(word)
    return out
