"""Round trips, as properties over generated banks: write a format, read it back, write
again. What the format can hold comes back equal, and the second file says the same as
the first. (GIFT cannot carry tags, difficulty, facts or sources: they are compared
without them; Anki tags cannot hold an underscore, which stands for a space.)"""

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.bank.schema import QuestionBase, parse_question
from quiz.interop.apkg_export import write_apkg
from quiz.interop.apkg_import import read_apkg
from quiz.interop.delimited import read_delimited, write_delimited
from quiz.interop.gift import read_gift, write_gift
from quiz.interop.model import ExportDeck, ReadResult, WriteResult
from quiz.services.database import open_database
from quiz.services.interop import export_file, import_file
from tests.conftest import NOW

# Letters, digits, a space and punctuation that each format must escape somewhere
# (HTML's < and &, CSV's quotes and separators, GIFT's ~ = # and quotes); no braces or
# colons (cloze syntax), no underscore (Anki tags), no / (Moodle category paths).
ALPHABET = "abcXYZ019 éß.,;'\"?!&<()~=#-"
WORD = st.text(ALPHABET, min_size=1, max_size=10).map(str.strip).filter(bool)
TEXT = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
LINES = st.lists(TEXT, min_size=1, max_size=2).map("\n".join)
TAG = st.lists(st.text("abcxyz019-", min_size=1, max_size=6), min_size=1, max_size=2).map(" ".join)


@st.composite
def questions(draw: st.DrawFn, index: int, kinds: tuple[str, ...]) -> QuestionBase:
    kind = draw(st.sampled_from([k for k in kinds if k != "one-gap"]))
    common: dict[str, Any] = {
        "id": f"q-{index}",
        "type": kind,
        "topic": draw(TAG),
        "tags": draw(st.lists(TAG, max_size=2, unique=True)),
        "difficulty": draw(st.integers(1, 3)),
        "explanation": draw(LINES),
        "source": draw(TEXT),
        "fact": draw(
            st.none() | st.text("abc123-", min_size=1, max_size=6).filter(lambda s: s[0] != "-")
        ),
    }
    if kind == "flashcard":
        return parse_question({**common, "front": draw(LINES), "back": draw(LINES)})
    if kind == "short_answer":
        accept = draw(st.lists(TEXT, max_size=2, unique=True))
        return parse_question(
            {**common, "prompt": draw(LINES), "answer": draw(TEXT), "accept": accept}
        )
    if kind == "true_false":
        return parse_question({**common, "prompt": draw(LINES), "answer": draw(st.booleans())})
    if kind == "multiple_choice":
        choices = draw(st.lists(TEXT, min_size=2, max_size=4, unique=True))
        count = draw(st.integers(1, len(choices) - 1))
        return parse_question(
            {**common, "prompt": draw(LINES), "choices": choices, "answers": choices[:count]}
        )
    if kind == "ordering":
        items = draw(st.lists(TEXT, min_size=2, max_size=4, unique=True))
        return parse_question({**common, "prompt": draw(LINES), "items": items})
    gaps = draw(st.integers(1, 1 if "one-gap" in kinds else 3))
    pieces = [draw(TEXT) for _ in range(gaps + 1)]
    order = draw(st.permutations(list(range(1, gaps + 1))))
    text = pieces[0] + "".join(f" {{{{{n}}}}} {p}" for n, p in zip(order, pieces[1:], strict=True))
    gap_list = [
        {
            "answer": draw(TEXT),
            "accept": draw(st.lists(TEXT, max_size=1)),
            **({"hint": draw(TEXT)} if draw(st.booleans()) and "one-gap" not in kinds else {}),
        }
        for _ in range(gaps)
    ]
    return parse_question({**common, "text": text, "gaps": gap_list})


ALL = ("flashcard", "short_answer", "true_false", "multiple_choice", "ordering", "cloze")
GIFT = ("short_answer", "true_false", "multiple_choice", "cloze", "one-gap")


def banks(kinds: tuple[str, ...]) -> st.SearchStrategy[list[ExportDeck]]:
    def deck(title: str, index: int) -> st.SearchStrategy[ExportDeck]:
        return (
            st.lists(st.integers(0, 10**6), min_size=1, max_size=5, unique=True)
            .flatmap(lambda ids: st.tuples(*(questions(index * 10**7 + i, kinds) for i in ids)))
            .map(lambda qs: ExportDeck(title, title, "", list(qs)))
        )

    return st.lists(
        TEXT.filter(lambda t: t[0] not in "$#"), min_size=1, max_size=2, unique=True
    ).flatmap(lambda titles: st.tuples(*(deck(t, i) for i, t in enumerate(titles))).map(list))


def _held(question: QuestionBase, gift: bool) -> dict[str, Any]:
    data = question.model_dump(mode="json")
    if gift:
        for name in ("tags", "difficulty", "fact", "source"):
            data.pop(name, None)
    return data


def _by_deck(decks: list[Any], gift: bool = False) -> dict[str, list[dict[str, Any]]]:
    return {
        d.title: sorted((_held(q, gift) for q in d.questions), key=lambda q: q["id"])
        for d in decks
        if d.questions
    }


Reader = Callable[[Path], ReadResult]
Writer = Callable[[list[ExportDeck], Path], WriteResult]


def _apkg(path: Path) -> ReadResult:
    with read_apkg(path) as (result, _, _):
        return result


def _round_trip(
    decks: list[ExportDeck], suffix: str, write: Writer, read: Reader, gift: bool = False
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        first, second = Path(folder, "one" + suffix), Path(folder, "two" + suffix)
        written = write(decks, first)
        assert written.skipped == [] and written.written == sum(len(d.questions) for d in decks)
        back = read(first)
        assert back.skipped == []
        assert _by_deck(back.decks, gift) == _by_deck(decks, gift)
        again = [ExportDeck(d.name, d.title, "", d.questions) for d in back.decks]
        write(again, second)
        assert _by_deck(read(second).decks, gift) == _by_deck(back.decks, gift)


PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@PROPERTY
@given(banks(ALL))
def test_apkg_round_trip(decks: list[ExportDeck]) -> None:
    _round_trip(decks, ".apkg", write_apkg, _apkg)


@PROPERTY
@given(banks(ALL))
def test_csv_round_trip(decks: list[ExportDeck]) -> None:
    _round_trip(
        decks, ".csv", lambda d, p: write_delimited(d, p, "csv"), lambda p: read_delimited(p, "csv")
    )


@PROPERTY
@given(banks(ALL))
def test_tsv_round_trip(decks: list[ExportDeck]) -> None:
    _round_trip(
        decks, ".tsv", lambda d, p: write_delimited(d, p, "tsv"), lambda p: read_delimited(p, "tsv")
    )


@PROPERTY
@given(banks(GIFT))
def test_gift_round_trip(decks: list[ExportDeck]) -> None:
    _round_trip(decks, ".gift", write_gift, read_gift, gift=True)


def test_builtin_bank_through_every_format_into_a_fresh_database(tmp_path: Path) -> None:
    """Export, import into a fresh database, export again: the files say the same."""
    source = open_database(f"sqlite:///{tmp_path / 'source.db'}", NOW)
    for kind in ("apkg", "csv", "tsv", "gift"):
        first, second = tmp_path / f"one.{kind}", tmp_path / f"two.{kind}"
        export_file(source, first, kind)
        fresh = open_database(f"sqlite:///{tmp_path / kind}.db", NOW, import_builtin=False)
        import_file(fresh, first, NOW)
        export_file(fresh, second, kind)
        if kind == "apkg":
            assert _by_deck(_apkg(first).decks) == _by_deck(_apkg(second).decks)
        else:
            assert first.read_text() == second.read_text()
        fresh.close()
    source.close()
