"""Drafting: one question per fact, at most two per sentence, of four types, and a whole
draft bank, from material.

For each sentence (found even without full stops, see :mod:`.sentences`) the best one or
two answers (see :mod:`.candidates`) become drafts, each answer once in the deck, in turn
a cloze, a multiple choice, a short answer (only for a sentence's subject) and a
true/false statement (only a whole sentence), each type falling back to a cloze when the
text gives it too little (no three distractors of the answer's kind, no same-kind swap).
The stem is the whole sentence, or, when it is long, the answer's clauses from the nearest
clause that opens with its subject; a stem without a verb or a subject, one that is mostly
a list, or an answer that is its topic's name is left out. Learners see capitals
(restored for lower-cased material, see :mod:`.casing`); `source` quotes the material word
for word, and explanations quote the answer as the text writes it. A text with four or
more dated main events also gets one chronology. Deterministic for a given text.
"""

import re
import zlib
from collections import Counter
from dataclasses import dataclass
from typing import Any

from quiz.core.generate.answers import accepted_forms
from quiz.core.generate.candidates import Answer, find_answers, gives_itself_away
from quiz.core.generate.casing import cased_words, displayed
from quiz.core.generate.choices import overlaps, pick_distractors
from quiz.core.generate.items import Item
from quiz.core.generate.lexicon import STOP_WORDS
from quiz.core.generate.sentences import (
    SUBJECT_STARTS,
    VERB_REACH,
    finite_verb,
    is_heading,
    sentence_spans,
)
from quiz.core.generate.text import Token, clauses, normalise_space, tokenize

MAX_STEM = 32  # words in a stem; longer sentences are cut to the answer's clauses
TAIL = 12  # words left at a sentence's end that a cut stem keeps rather than cut off
PER_SENTENCE = 2
PER_ANSWER = 1  # drafts asking for the same answer: a deck asks each thing once
SECOND_SCORE = 3.0  # a sentence's second draft only for a strong answer
TYPES = ("cloze", "multiple_choice", "short_answer", "true_false")
WH = {  # the question word standing for the sentence's subject
    "person": "who",
    "state": "which country",
    "place": "which country",  # a place that does something: "In 1860, Spain occupied"
    "event": "which event",
    "treaty": "which treaty",
    "org": "which organisation",
}
NOUN = {
    "person": "person",
    "org": "organisation",
    "phrase": "phrase",
    "number": "share",
    "demonym": "word",
}
QUOTE_START = re.compile(r"^(?:''|\"|“|‘)")
LINKS = frozenset({"and", "or", "&"})
_PARTICLE_AFTER = frozenset({"", "for", "from", "in", "at", "to", "with", "within", "on"})
LINKING = frozenset(
    {
        "now",
        "therefore",
        "thus",
        "and",
        "but",
        "so",
        "then",
        "hence",
        "whereas",
        "also",
        "that",
        "which",
        "or",
        "nor",
        "yet",
    }
)
OPENERS = frozenset(
    {
        "on",
        "in",
        "during",
        "after",
        "before",
        "since",
        "upon",
        "when",
        "while",
        "although",
        "if",
        "whereas",
    }
)  # a clause's opening phrase
PLACE_WORDS = frozenset(
    {
        "in",
        "at",
        "from",
        "into",
        "with",
        "against",
        "over",
        "across",
        "near",
        "towards",
        "toward",
        "throughout",
        "within",
        "between",
    }
)
_LEADING = re.compile(r"^(?:[,;:)\]–—-]+\s*|(?:and|but|or|nor|so|that|which)\s+)+", re.I)


def deck_name(stem: str) -> str:
    """A deck name from a file name: lower case, anything but [a-z0-9_-] becomes '-'."""
    name = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-_")
    return name[:48].rstrip("-_") or "material"


def deck_title(stem: str) -> str:
    """A readable title from a file name: 'treaty_of_paris_1856' -> 'Treaty of paris 1856'."""
    words = re.sub(r"[_\-\s]+", " ", stem).strip()
    return (words[:1].upper() + words[1:]) if words else "Material"


def _tidy(text: str) -> str:
    """Readable spacing around punctuation; the quote in `source` stays untouched."""
    text = normalise_space(text)
    text = re.sub(r"\s+([,.;:!?%)\]’”])", r"\1", text)
    text = re.sub(r"([(\[‘“])\s+", r"\1", text)
    text = re.sub(r"\s+(['’]s)\b", r"\1", text)
    text = re.sub(r"\s*''\s*([^']*?)\s*''", r" “\1”", text).strip()
    return re.sub(r"\s*(?:''|\")\s*$", "", text)


def _sentence_case(text: str, cut_start: bool, cut_end: bool, end: str = ".") -> str:
    text = _LEADING.sub("", text).rstrip(" ,;:–—-")
    if not cut_start and text[:1].isalpha():
        text = text[:1].upper() + text[1:]
    if cut_end:
        return ("… " if cut_start else "") + text + " …"
    text = text.rstrip(".!?") + end
    return ("… " if cut_start else "") + text


@dataclass(frozen=True)
class _Stem:
    """A window of tokens around an answer, as learners see it and as the text says it."""

    first: int
    last: int
    cut_start: bool
    cut_end: bool


class _Material:
    """The material cut and cased once: tokens, cased text, sentences, answers, topics."""

    def __init__(self, text: str, title: str, use_model: bool) -> None:
        self.text = text
        self.tokens: list[Token] = tokenize(text)
        words = [t.text for t in self.tokens]
        self.cased = displayed(cased_words(words, use_model))
        chars = list(text)
        for token, word in zip(self.tokens, self.cased, strict=True):
            if len(word) == token.end - token.start:
                chars[token.start : token.end] = word
        self.cased_text = "".join(chars)
        self.spans = sentence_spans(text, self.tokens, self.cased)
        self._words_before = [0]
        for token in self.tokens:
            self._words_before.append(self._words_before[-1] + bool(re.search(r"\w", token.text)))
        self.title = title
        self.answers = find_answers(text, self.tokens, self.cased, self.spans, title, use_model)
        self.topics = self._topics()
        self.geographic = {
            a.key
            for a in self.answers
            if a.category == "state" or (a.category == "place" and self._after_place_word(a))
        }

    def _after_place_word(self, answer: Answer) -> bool:
        """Whether a place word stands before the name ("in Brussels", "into the Danubian
        Principalities")."""
        k = answer.first - 1
        if k > 0 and self.tokens[k].core == "the":
            k -= 1
        return k >= 0 and self.tokens[k].core in PLACE_WORDS

    def kin(self, answer: Answer, pool: list[tuple[Answer, str]]) -> list[tuple[Answer, str]]:
        """The pool a place's distractors come from: names the text uses as places ("in
        Brussels", "with France"), not any capitalised word ("Brexit", "Adieu")."""
        if answer.category not in {"place", "state"}:
            return pool
        if answer.key not in self.geographic:
            return []
        return [(a, shown) for a, shown in pool if a.key in self.geographic]

    def shown(self, answer: Answer) -> str:
        written = _tidy(self.cased_text[answer.start : answer.end])
        if answer.kind == "date" and answer.text.islower():  # "12 may 1901": 12 May 1901
            item = Item("date", answer.text, answer.key, answer.start, answer.end)
            return accepted_forms(item, "")[0]
        return written

    def _topics(self) -> list[str]:
        """Per sentence, its topic: the heading above it, else the name most asked about in
        its third of the text."""
        headings = [is_heading(self.text, self.tokens, span) for span in self.spans]
        if any(headings):
            current, out = "introduction", []
            for span, heading in zip(self.spans, headings, strict=True):
                if heading:
                    current = _tidy(
                        self.cased_text[self.tokens[span[0]].start : self.tokens[span[1] - 1].end]
                    )
                out.append(current)
            return out
        parts = min(3, max(1, len(self.spans) // 6))
        size = -(-len(self.spans) // parts)
        taken: set[str] = set()
        labels = []
        for part in range(parts):
            names = Counter(
                self.shown(a)
                for a in self.answers
                if a.kind == "name"
                and a.category != "demonym"
                and part * size <= a.sentence < (part + 1) * size
            )
            fallback = self.title if parts == 1 else f"part {part + 1}"
            label = next((n for n, c in names.most_common() if n not in taken and c >= 2), fallback)
            taken.add(label)
            labels.append(label)
        return [labels[min(n // size, parts - 1)] for n in range(len(self.spans))]

    def names_topic(self, answer: Answer) -> bool:
        """Whether the answer is the topic shown with its question ("Germany" in the part
        on Germany): a give-away."""
        named = re.findall(r"[a-z0-9]+", self.topics[answer.sentence].lower())
        topic = set(named)
        words = set(re.findall(r"[a-z0-9]+", answer.key)) - STOP_WORDS
        initials = "".join(w[0] for w in named if w not in STOP_WORDS)  # "UK"
        return bool(words) and (words <= topic or topic <= words or answer.key == initials)

    def has_subject(self, stem: _Stem, answer: Answer) -> bool:
        """Whether a stem reads as a clause: a finite verb besides the answer and, when it
        is cut from a longer sentence, a start with its subject ("They also …", "The
        treaty …"), not the middle of a phrase ("… sea for international trade")."""
        span = range(stem.first, stem.last)
        if not any(self.verb(k) for k in span if not answer.first <= k < answer.last):
            return False
        if not stem.cut_start:
            return True
        if not re.search(r"[,;:)\]]$|^[,;:–—-]+$", self.tokens[stem.first - 1].text):
            return False  # cut inside a clause, not after a comma or a bracket
        lead = stem.first
        while lead < stem.last and self.tokens[lead].core in LINKING | {""}:
            lead += 1
        if lead >= stem.last or lead == answer.first:
            return False
        word = self.tokens[lead].core
        if word in OPENERS:
            return True  # "…, on the first day of January, all persons …": a verb follows
        named = self.cased[lead][:1].isupper() and word not in STOP_WORDS
        reach = range(lead + 1, min(lead + 1 + VERB_REACH, stem.last))
        return (word in SUBJECT_STARTS or named) and any(self.verb(k) for k in reach)

    def verb(self, k: int) -> bool:
        """A finite verb, not a participle qualifying a noun ("the counties designated
        as", "persons held as slaves", "the power in me vested as")."""
        words = [t.core for t in self.tokens[max(k - 1, 0) : k + 2]]
        at = 1 if k else 0
        if not finite_verb(words, at):
            return False
        after = words[at + 1] if at + 1 < len(words) else ""
        before = words[at - 1] if at else ""
        if not words[at].endswith("ed"):
            return True
        if after in {"as", "by"}:
            return False
        # "publicly proclaimed for", "the day first above mentioned ,"
        return not ((before.endswith("ly") or before == "above") and after in _PARTICLE_AFTER)

    def subject(self, answer: Answer) -> bool:
        """Whether the answer is the subject of its sentence: a name that a finite verb
        follows, with at most an article or an opening phrase before it."""
        if answer.kind != "name" or answer.category not in WH:
            return False
        words = [t.core for t in self.tokens]
        if answer.last >= len(words) or not finite_verb(words, answer.last):
            return False
        a, _ = self.spans[answer.sentence]
        before = self.tokens[a : answer.first]
        if before and before[-1].core == "the":
            before = before[:-1]
        return not before or before[-1].text.endswith(",")

    def paragraph(self, position: int) -> int:
        return len(re.findall(r"\n\s*\n", self.text[:position])) + 1

    def size(self, first: int, last: int) -> int:
        """Words in the token range [first, last): a lone comma is no word."""
        return self._words_before[last] - self._words_before[first]

    def opens_clause(self, k: int, openers: bool = False) -> bool:
        """Whether a clause starting at token k has its subject first ("therefore I",
        "the Russians"), after a linking word; with `openers`, or an opening phrase ("on
        the first day of January, …")."""
        while k < len(self.tokens) and self.tokens[k].core in LINKING:
            k += 1
        if k >= len(self.tokens):
            return False
        word = self.tokens[k].core
        return (
            word in SUBJECT_STARTS
            or (openers and word in OPENERS)
            or (self.cased[k][:1].isupper() and word not in STOP_WORDS and word not in LINKING)
        )

    def lead_in(self, part: tuple[int, int]) -> bool:
        """A clause without a verb that ends in a colon: a title line or "to wit:"."""
        return self.tokens[part[1] - 1].text.endswith(":") and not any(
            self.verb(k) for k in range(*part)
        )

    def listing(self, stem: _Stem) -> bool:
        """Whether a stem is mostly a list ("Berkley, Accomac, Northampton, …")."""
        items = 0
        for a, b in clauses(self.tokens, (stem.first, stem.last)):
            words = [t.core for t in self.tokens[a:b] if t.core and t.core not in LINKS]
            items += 0 < len(words) <= 3 and not any(w in STOP_WORDS for w in words)
        return items >= 4

    def stem(self, answer: Answer) -> _Stem:
        a, b = self.spans[answer.sentence]
        limit = MAX_STEM + self.size(answer.first, answer.last) - 1  # the gap is one word
        if self.size(a, b) <= limit:
            return _Stem(a, b, False, False)
        parts = clauses(self.tokens, (a, b))
        k = next(n for n, (s, e) in enumerate(parts) if s <= answer.first < e)
        lo = hi = k
        while parts[hi][1] < answer.last and hi + 1 < len(parts):
            hi += 1
        top = hi

        def grow(lo: int, hi: int, back: bool) -> tuple[int, int]:
            while True:
                if (
                    back
                    and lo > 0
                    and self.size(parts[lo - 1][0], parts[hi][1]) <= limit
                    and not self.lead_in(parts[lo - 1])
                ):
                    lo -= 1
                elif (
                    hi + 1 < len(parts)
                    and self.size(parts[lo][0], parts[hi + 1][1]) <= limit
                    and not QUOTE_START.match(self.tokens[parts[hi + 1][0]].text)
                ):  # never on into a quoted title ("'' the treaty of paris of 1856 ''")
                    hi += 1
                else:
                    return lo, hi

        lo, hi = grow(lo, hi, True)
        if lo > 0 and not self.opens_clause(parts[lo][0]):
            # Start at the nearest clause that opens with its subject or an opening phrase,
            # then grow forwards.
            near = [n for n in range(k, lo - 1, -1) if parts[n][0] != answer.first]
            opening = next((n for n in near if self.opens_clause(parts[n][0], True)), lo)
            if opening != lo:
                lo, hi = grow(opening, top, False)
        first, last = parts[lo][0], parts[hi][1]
        if self.size(first, last) > limit:  # one long clause: a window around the answer
            first = max(first, answer.first - MAX_STEM // 2)
            last = min(last, first + MAX_STEM)
        elif self.size(last, b) <= TAIL and not any(
            QUOTE_START.match(self.tokens[k].text) for k in range(last, b)
        ):
            last = b  # a short rest of the sentence is kept: "… and forever free"
        return _Stem(first, last, first > a, last < b)

    def quote(self, stem: _Stem) -> str:
        return normalise_space(
            self.text[self.tokens[stem.first].start : self.tokens[stem.last - 1].end]
        )

    def pieces(self, stem: _Stem, answer: Answer) -> tuple[str, str]:
        """The stem's text before and after the answer, cased."""
        start = self.tokens[stem.first].start
        end = self.tokens[stem.last - 1].end
        before = self.cased_text[start : answer.start].replace("{{", "{ {")
        after = self.cased_text[answer.end : end].replace("{{", "{ {")
        return before, after

    def written(self, answer: Answer) -> str:
        """The answer as the text writes it (capitals restored): what quotes show."""
        return _tidy(self.cased_text[answer.start : answer.end])

    def statement(self, stem: _Stem, answer: Answer, instead: str | None = None) -> str:
        before, after = self.pieces(stem, answer)
        middle = instead if instead is not None else self.shown(answer)
        return _sentence_case(_tidy(f"{before}{middle}{after}"), stem.cut_start, stem.cut_end)

    def where(self, answer: Answer) -> str:
        topic = self.topics[answer.sentence]
        if any(is_heading(self.text, self.tokens, s) for s in self.spans):
            return f"In the part on {topic}, the text says"
        if re.search(r"\n\s*\n", self.text.strip()):
            return f"In paragraph {self.paragraph(answer.start)}, the text says"
        third = ("near the start", "in the middle", "near the end")
        share = answer.start / max(len(self.text), 1)
        return f"{third[min(int(share * 3), 2)].capitalize()}, the text says"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "fact"


def _accepted(answer: Answer, shown: str, material: _Material) -> list[str]:
    """Forms a student types: the date forms, the name as written, the acronym given
    beside it in brackets, the last word of a name no other name ends with."""
    forms: list[str] = []
    if answer.kind in {"date", "year", "number"}:
        item = Item(answer.kind, answer.text, answer.key, answer.start, answer.end)
        forms += accepted_forms(item, "")
    if answer.text != shown:
        forms.append(answer.text)
    after = material.text[answer.end : answer.end + 12]
    acronym = re.match(r"\s*\(\s*([A-Z]{2,6})\s*\)", after)
    if acronym:
        forms.append(acronym.group(1))
    words = shown.split()
    if answer.kind == "name" and len(words) > 1 and answer.category == "person":
        last = words[-1]
        if len(last) < 3 or re.fullmatch(r"[IVXLC]+", last):
            last = ""  # "Mohammed V" is not "V"
        others = [
            material.shown(a) for a in material.answers if a.key != answer.key and a.kind == "name"
        ]
        if last and not any(o.split()[-1].lower() == last.lower() for o in others):
            forms.append(last)
    out: list[str] = []
    for form in forms:
        if len(form.split()) > 6:
            continue  # nobody types "first day of january, in the year of our lord …"
        if form.lower() != shown.lower() and form not in out:
            out.append(form)
    return out


def _choose(material: _Material, max_drafts: int) -> list[tuple[Answer, _Stem]]:
    """At most two answers per sentence, each answer at most `PER_ANSWER` times in the
    deck, the best first and spread over the text: in a first round the best answer of
    every sentence, in a second the next ones."""
    stems = {}
    for answer in material.answers:
        stem = material.stem(answer)
        if gives_itself_away(answer, material.tokens, (stem.first, stem.last)):
            continue
        if material.names_topic(answer) or not material.has_subject(stem, answer):
            continue
        if material.listing(stem):
            continue
        stems[answer] = stem
    ranked = sorted(stems, key=lambda a: (-a.score, a.start))
    uses: Counter[str] = Counter()
    per_sentence: dict[int, list[Answer]] = {}
    chosen: list[tuple[Answer, _Stem]] = []
    for round_ in range(1, PER_SENTENCE + 1):
        for answer in ranked:
            if len(chosen) >= max_drafts:
                break
            taken = per_sentence.setdefault(answer.sentence, [])
            same = re.sub(r"s\b", "", answer.key)  # "right(s) of the people" is one thing
            if len(taken) >= round_ or uses[same] >= PER_ANSWER:
                continue
            if any(t.key == answer.key or overlaps(answer.key, t.key) for t in taken):
                continue
            if round_ > 1 and answer.score < SECOND_SCORE:
                continue
            taken.append(answer)
            uses[same] += 1
            chosen.append((answer, stems[answer]))
    return sorted(chosen, key=lambda c: c[0].start)


def _difficulty(answer: Answer, kind: str, material: _Material) -> int:
    repeats = sum(a.key == answer.key for a in material.answers)
    if kind == "true_false" or repeats >= 3:
        return 1
    if kind == "short_answer" or (repeats == 1 and answer.kind == "phrase"):
        return 3
    return 2


def _draft(
    material: _Material,
    answer: Answer,
    stem: _Stem,
    kind: str,
    pool: list[tuple[Answer, str]],
    used: Counter[str],
) -> dict[str, Any] | None:
    shown = material.shown(answer)
    before, after = material.pieces(stem, answer)
    source = material.quote(stem)
    filled = material.statement(stem, answer, material.written(answer))
    where = material.where(answer)
    common: dict[str, Any] = {
        "topic": material.topics[answer.sentence],
        "tags": [answer.category],
        "difficulty": _difficulty(answer, kind, material),
        "fact": f"{_slug(answer.key)}-{answer.sentence + 1}",
    }
    gapped = _sentence_case(_tidy(f"{before}{{{{1}}}}{after}"), stem.cut_start, stem.cut_end)
    accept = _accepted(answer, shown, material)
    if kind == "multiple_choice":
        if answer.category == "phrase":
            return None  # phrases of a text are of no one kind: choices give it away
        kin = material.kin(answer, pool)
        wrong = pick_distractors(answer, shown, kin, f"{before} {after}", used)
        if not wrong:
            return None
        slot = zlib.crc32(f"{answer.key}|{source}".encode()) % (len(wrong) + 1)
        noun = NOUN.get(answer.category, answer.category)
        return {
            "type": "multiple_choice",
            **common,
            "prompt": f"Which {noun} completes this? {gapped.replace('{{1}}', '_____')}",
            "choices": [*wrong[:slot], shown, *wrong[slot:]],
            "answers": [shown],
            "explanation": f"The answer is {shown}. {where}: “{filled}”",
            "source": source,
        }
    if kind == "short_answer":
        if stem.cut_end or stem.cut_start or not material.subject(answer):
            return None  # only a subject is asked for in the sentence's own word order
        before = re.sub(r"\b(?:the|The)\s*$", "", before)
        prompt = _sentence_case(
            _tidy(f"{before}{WH[answer.category]}{after}"), stem.cut_start, False, "?"
        )
        return {
            "type": "short_answer",
            **common,
            "prompt": prompt,
            "answer": shown,
            "accept": accept,
            "explanation": f"The answer is {shown}. {where}: “{filled}”",
            "source": source,
        }
    if kind == "true_false":
        if stem.cut_start or stem.cut_end or answer.category == "phrase":
            return None  # a statement is a whole sentence, its swap an item of one kind
        truth = zlib.crc32(answer.key.encode()) % 2 == 0
        if truth:
            return {
                "type": "true_false",
                **common,
                "prompt": filled,
                "answer": True,
                "explanation": f"True. {where}: “{filled}”",
                "source": source,
            }
        same = [(a, o) for a, o in material.kin(answer, pool) if a.category == answer.category]
        wrong = pick_distractors(answer, shown, same, f"{before} {after}", used)
        if not wrong:
            return None
        swapped = material.statement(stem, answer, wrong[0])
        return {
            "type": "true_false",
            **common,
            "prompt": swapped,
            "answer": False,
            "explanation": f"False: the text says {shown}, not {wrong[0]}. {where}: “{filled}”",
            "source": source,
        }
    return {
        "type": "cloze",
        **common,
        "text": gapped,
        "gaps": [{"answer": shown, "accept": accept}],
        "explanation": f"The answer is {shown}. {where}: “{filled}”",
        "source": source,
    }


def _chronology(material: _Material, chosen: list[tuple[Answer, _Stem]]) -> dict[str, Any] | None:
    """One ordering of four to five dated main events, when the text has them."""
    events: dict[str, tuple[Answer, _Stem]] = {}
    for answer, stem in chosen:
        if answer.kind in {"date", "year"} and answer.key[:4] not in events:
            events[answer.key[:4]] = (answer, stem)
    if len(events) < 4:
        return None
    picked = [events[y] for y in sorted(events)][:5]
    items = []
    for answer, stem in picked:
        before, after = material.pieces(stem, answer)
        before = re.sub(r"\b(?:in|on|by|from|since|until)\s*$", "", before.rstrip(), flags=re.I)
        label = _sentence_case(_tidy(f"{before} {after}"), False, False, "")
        words = label.split()
        items.append(" ".join(words[:14]).rstrip(",;:") + (" …" if len(words) > 14 else ""))
    if len(set(items)) < len(items):
        return None
    first = picked[0][0]
    return {
        "type": "ordering",
        "topic": material.topics[first.sentence],
        "tags": ["chronology"],
        "difficulty": 3,
        "fact": "chronology",
        "prompt": "Put these events in the order the text dates them, earliest first.",
        "items": items,
        "explanation": "The text dates them "
        + "; ".join(material.shown(a) for a, _ in picked)
        + ".",
        "source": material.quote(picked[0][1]),
    }


def draft_questions(
    text: str, deck: str, max_drafts: int = 60, title: str | None = None, use_model: bool = True
) -> list[dict[str, Any]]:
    """Draft questions from the material, at most `max_drafts` (bank-format dicts with ids
    `<deck>-gen-001`, ... in text order). `title` is the deck's title (never asked);
    `use_model=False` drafts without the truecase model even when it is installed."""
    material = _Material(text, title or deck_title(deck), use_model)
    chosen = _choose(material, max_drafts)
    first_of: dict[str, Answer] = {}
    for answer in material.answers:
        first_of.setdefault(answer.key, answer)
    pool = [(a, material.shown(a)) for a in first_of.values()]
    used: Counter[str] = Counter()
    drafts: list[tuple[int, dict[str, Any]]] = []
    per_sentence = Counter(answer.sentence for answer, _ in chosen)
    for n, (answer, stem) in enumerate(chosen):
        kind = TYPES[n % len(TYPES)]
        if kind == "true_false" and per_sentence[answer.sentence] > 1:
            kind = "cloze"  # a statement of the whole sentence would answer its other draft
        data = _draft(material, answer, stem, kind, pool, used)
        if data is None:
            data = _draft(material, answer, stem, "cloze", pool, used)
        if data is not None:
            drafts.append((answer.start, data))
    if len(drafts) < max_drafts:
        chronology = _chronology(material, chosen)
        if chronology is not None:
            drafts.append((len(text), chronology))
    drafts.sort(key=lambda d: d[0])
    prefix = deck[:52]
    return [{"id": f"{prefix}-gen-{n:03d}", **d} for n, (_, d) in enumerate(drafts, start=1)]


def draft_bank(
    text: str, stem: str, material: str, max_drafts: int = 60, use_model: bool = True
) -> dict[str, Any]:
    """A whole draft bank file (as a dict) for material whose file name has this stem."""
    deck = deck_name(stem)
    title = deck_title(stem)
    questions = draft_questions(text, deck, max_drafts, title, use_model)
    topics = list(dict.fromkeys(str(q["topic"]) for q in questions))
    return {
        "deck": deck,
        "title": f"{title} (draft)",
        "description": "Drafted by `quiz bank generate`; edit every question before use.",
        "material": material,
        "topics": topics,
        "questions": questions,
    }
