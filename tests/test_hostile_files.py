"""Hostile bank and drill files: a billion laughs, /dev/zero, a FIFO, /etc/passwd, deep
nesting, recursive aliases and huge files give one located problem, quickly, and never a
traceback, a hang or a process out of memory. A property test throws random YAML at the
loader: the answer is always a clean bank or clean problems."""

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.bank import loader
from quiz.bank.drill import load_drill_file
from quiz.bank.loader import Problem, load_bank

from .test_bank_loader import GOOD_QUESTION, HEADER, MATERIAL

# A short run in CI; HYPOTHESIS_PROFILE=long runs many more examples on demand.
settings.register_profile("ci", max_examples=60, deadline=None)
settings.register_profile("long", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@pytest.fixture(autouse=True)
def alarm() -> Iterator[None]:
    """Any hang fails the test in 20 seconds instead of blocking the run."""

    def _timeout(*_: object) -> None:
        raise TimeoutError("the loader hung")

    previous = signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def one_problem(result: tuple[object, list[Problem]]) -> str:
    loaded, problems = result
    assert loaded is None
    assert len(problems) == 1, problems
    return str(problems[0])


def test_a_billion_laughs_is_refused_without_expanding(tmp_path: Path) -> None:
    path = tmp_path / "laughs.yaml"
    path.write_text(LAUGHS + "deck: d\ntitle: t\nmaterial: m.txt\nquestions: [*i]\n")
    assert "more than 2,000,000 values" in one_problem(load_bank(path))
    drill = tmp_path / "drill.yaml"
    drill.write_text(LAUGHS + "title: t\nquestions: *i\n")
    assert "anchors and aliases" in one_problem(load_drill_file(drill))


def test_a_recursive_alias_and_deep_nesting_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text("deck: &x [a, *x]\n")
    assert "recursive alias" in one_problem(load_bank(path))
    path.write_text("deck: " + "[" * 5000 + "]" * 5000 + "\n")
    assert "nesting depth" in one_problem(load_bank(path))
    path.write_text("deck: " + "[" * 100 + "]" * 100 + "\n")
    assert "nests deeper than 64 levels" in one_problem(load_bank(path))


@pytest.mark.parametrize("material", ["/dev/zero", "/etc/passwd", "../outside.txt"])
def test_material_must_be_a_file_in_the_banks_folder(tmp_path: Path, material: str) -> None:
    (tmp_path / "outside.txt").write_text(MATERIAL)
    folder = tmp_path / "bank"
    folder.mkdir()
    path = folder / "bank.yaml"
    path.write_text(HEADER.replace("material.txt", material) + GOOD_QUESTION)
    message = one_problem(load_bank(path))
    assert "outside the bank's folder" in message


def test_a_fifo_a_device_and_a_huge_file_are_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fifo = tmp_path / "material.txt"
    os.mkfifo(fifo)
    path = tmp_path / "bank.yaml"
    path.write_text(HEADER + GOOD_QUESTION)
    assert "not a regular file" in one_problem(load_bank(path))  # would block on open
    assert "not a regular file" in one_problem(load_bank(Path("/dev/zero")))
    assert "not a regular file" in one_problem(load_drill_file(fifo))
    fifo.unlink()
    (tmp_path / "material.txt").write_text(MATERIAL)
    monkeypatch.setattr(loader, "MAX_BANK_BYTES", 100)
    assert "over the limit of 100" in one_problem(load_bank(path))
    big = tmp_path / "drill.yaml"
    big.write_text("title: t\nquestions: [" + "a, " * 400_000 + "]\n")
    assert "over the limit of 1,048,576" in one_problem(load_drill_file(big))


# Random YAML: scalars of any unicode, nested collections, anchors and aliases, tags.
_scalar = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=2000),
    st.integers(),
    st.sampled_from(["&a x", "*a", "!!binary AAA", "!!python/object:os.system x", "~", "[", "{"]),
)
_yaml_value = st.recursive(
    _scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=30,
)


def _to_yaml(value: object, indent: int = 0) -> str:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "\n" + "\n".join(f"{pad}{k!r}: {_to_yaml(v, indent + 2)}" for k, v in value.items())
    if isinstance(value, list):
        if not value:
            return "[]"
        return "\n" + "\n".join(f"{pad}- {_to_yaml(v, indent + 2)}" for v in value)
    return str(value)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    body=st.one_of(
        _yaml_value.map(
            lambda v: "deck: d\ntitle: t\nmaterial: material.txt\nquestions:" + _to_yaml(v, 2)
        ),
        _yaml_value.map(_to_yaml),
        st.text(max_size=300),
        st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
    ),
    anchors=st.integers(min_value=0, max_value=6),
)
def test_random_yaml_is_a_clean_bank_or_clean_problems(
    tmp_path: Path, body: str, anchors: int
) -> None:
    signal.alarm(10)  # per example: a hang in any one fails it
    (tmp_path / "material.txt").write_text(MATERIAL)
    path = tmp_path / "bank.yaml"
    prefix = LAUGHS.splitlines()[:anchors]
    path.write_text("\n".join([*prefix, body]) if anchors else body, errors="surrogatepass")
    loaded, problems = load_bank(path)
    assert (loaded is None) == bool(problems)
    for problem in problems:
        assert str(problem).strip() and "Traceback" not in str(problem)
    drill, drill_problems = load_drill_file(path)
    assert (drill is None) == bool(drill_problems)


def test_terminal_escape_sequences_are_refused_in_bank_drill_and_profile_text(
    tmp_path: Path,
) -> None:
    from quiz.errors import QuizError
    from quiz.services.database import open_database
    from quiz.services.drills import spec_from_dict
    from quiz.services.profiles import get_or_create_profile
    from tests.conftest import NOW

    (tmp_path / "material.txt").write_text(MATERIAL)
    path = tmp_path / "bank.yaml"
    path.write_text(HEADER.replace("Test deck", '"Test \\e[2J\\e[31mdeck"') + GOOD_QUESTION)
    assert "control character '\\x1b'" in one_problem(load_bank(path))
    with pytest.raises(QuizError, match="control character"):
        spec_from_dict({"title": "Dates\x1b]0;owned\x07", "questions": ["q-date"]})
    database = open_database(f"sqlite:///{tmp_path / 'quiz.db'}", NOW, import_builtin=False)
    with pytest.raises(QuizError, match="printable characters"):
        get_or_create_profile(database, "ann\x1b[2J", NOW)
    database.close()


def test_a_huge_id_is_not_echoed_whole(tmp_path: Path) -> None:
    from quiz.errors import QuizError

    (tmp_path / "material.txt").write_text(MATERIAL)
    path = tmp_path / "bank.yaml"
    huge = "x" * 1_000_000
    path.write_text(HEADER + GOOD_QUESTION.replace("id: q-date", f"id: {huge}", 1))
    shown = one_problem(load_bank(path))
    assert len(shown) < 300
    assert f": question {'x' * 60}…(1,000,000 characters): id: " in shown
    message = str(QuizError(f"there is no question with id {huge!r}; list the ids"))
    assert (
        message == f"there is no question with id '{'x' * 59}…(1,000,001 characters)'; list the ids"
    )
    wordy = str(QuizError("no drill titled " + "ab " * 100_000 + "; see `quiz drill list`"))
    assert len(wordy) <= 2000 and wordy.endswith("; see `quiz drill list`")


def test_a_drill_date_without_a_utc_form_is_a_located_problem(tmp_path: Path) -> None:
    from quiz.errors import QuizError
    from quiz.services.drills import spec_from_dict

    path = tmp_path / "drill.yaml"
    path.write_text('title: T\nquestions: [q-date]\nopens_at: "9999-12-31T23:59:00-05:00"\n')
    assert one_problem(load_drill_file(path)) == (
        f"{path}:3: opens_at: is too far in the future to store; give a date before 9999"
    )
    with pytest.raises(QuizError, match="too far in the future"):
        spec_from_dict({"title": "T", "questions": ["q"], "closes_at": "9999-12-31T22:00-08:00"})
