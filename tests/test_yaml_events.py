"""The loader's one-pass YAML reader (quiz.bank.yaml_events) gives exactly what PyYAML's
nodes give — the same data and the same line for every key and item — or hands the
document to the node path; and a large bank's problems still name the right lines."""

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from quiz.bank.loader import (
    MAX_YAML_DEPTH,
    MAX_YAML_NODES,
    BankLoader,
    load_bank,
    parse_yaml,
    parse_yaml_nodes,
)
from quiz.bank.yaml_events import plain_document

EXAMPLES = 3000 if os.environ.get("QUIZ_FUZZ") == "long" else 150
PROPERTY = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
PATH = Path("bank.yaml")


def one_pass(
    text: str, max_nodes: int = MAX_YAML_NODES, with_lines: bool = True
) -> tuple[Any, Any] | None:
    loader = BankLoader(text)
    try:
        return plain_document(loader, max_nodes, MAX_YAML_DEPTH, with_lines)
    finally:
        loader.dispose()


def assert_same_as_nodes(text: str) -> bool:
    """The one-pass reader agrees with the node path, with and without the lines; True if
    it read the document."""
    fast = one_pass(text)
    data, lines, problem = parse_yaml_nodes(PATH, text)
    if fast is None:
        assert one_pass(text, with_lines=False) is None
        return False
    assert problem is None, f"read {text!r} that the node path refuses: {problem}"
    assert fast[0] == data and type(fast[0]) is type(data)
    assert fast[1] == lines
    assert json.dumps(fast[0], default=repr) == json.dumps(data, default=repr)  # key order
    assert one_pass(text, with_lines=False) == (fast[0], {})
    return True


# Scalars that YAML 1.1 and the loader's resolvers treat differently from plain text.
_WORDS = st.sampled_from(
    ["yes", "No", "ON", "off", "true", "False", "~", "null", "", "<<", "=", "!", "&", "*",
     "1856", "1856-03-30", "0x1F", "1e3", ".inf", "a: b", "- x", "#c", "'q'", '"d"', "\t",
     "line\nbreak", " lead", "trail ", "é", "\x85", "\u2028", "{{1}}", "[x]", "%"]
)  # fmt: skip
_SCALARS = st.one_of(_WORDS, st.text(max_size=12), st.booleans(), st.none())
_DATA = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(_SCALARS, inner, max_size=4)
    ),
    max_leaves=20,
)
_STYLES = st.fixed_dictionaries(
    {
        "default_flow_style": st.sampled_from([None, True, False]),
        "default_style": st.sampled_from([None, "'", '"', "|", ">"]),
        "width": st.sampled_from([10, 80]),
        "indent": st.sampled_from([2, 4]),
    }
)
# Pieces spliced into a dumped document: aliases, tags, merge keys, duplicates, documents.
_PIECES = st.sampled_from(
    ["&a ", "*a", "!!str ", "!!int ", "! ", "!x ", "<<: ", "\n---\n", "\n...\n", "? ", ": ",
     "- ", "\n  ", "\n", "[", "]", "{", "}", ",", "'", '"', "#", "|\n  ", ">-\n  ", "\t",
     "yes", "~", "=", "key: 1\nkey: 2\n"]
)  # fmt: skip


@PROPERTY
@given(data=_DATA, style=_STYLES)
def test_dumped_data_reads_the_same(data: Any, style: dict[str, Any]) -> None:
    text = yaml.safe_dump({"doc": data}, allow_unicode=True, sort_keys=False, **style)
    event("read in one pass" if assert_same_as_nodes(text) else "node path")


@PROPERTY
@given(
    data=_DATA,
    style=_STYLES,
    splices=st.lists(st.tuples(st.floats(0, 1), _PIECES), min_size=1, max_size=4),
)
def test_edited_documents_read_the_same_or_go_to_the_node_path(
    data: Any, style: dict[str, Any], splices: list[tuple[float, str]]
) -> None:
    again = copy.deepcopy(data)  # not the same object, which the dumper would alias
    text = yaml.safe_dump({"doc": data, "more": [again]}, allow_unicode=True, **style)
    for where, piece in splices:
        at = int(where * len(text))
        text = text[:at] + piece + text[at:]
    event("read in one pass" if assert_same_as_nodes(text) else "node path")


@pytest.mark.parametrize(
    "text",
    [
        "a: &x [1, 2]\nb: *x\n",  # an alias
        "a: &x 1\nb: &x 2\n",  # an anchor (here twice: the node path refuses that)
        "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n",  # a merge key
        "a: !!int 3\n",  # an explicit tag
        "a: !!set {x, y}\n",
        "? [a, b]\n: c\n",  # a collection as a key
        "a: 1\n---\nb: 2\n",  # two documents
        "",  # no document
        "a: =\n",
        "a: [unclosed\n",  # a syntax error
    ],
)
def test_what_it_does_not_handle_goes_to_the_node_path(text: str) -> None:
    assert one_pass(text) is None
    data, lines, problem = parse_yaml(PATH, text)
    assert (data, lines, problem) == parse_yaml_nodes(PATH, text)


def test_duplicate_keys_and_resolved_keys_keep_the_node_paths_lines() -> None:
    text = "q:\n  a: 1\n  b: 2\nq:\n  a: 3\nyes: t\n'yes': s\n~: n\nlist:\n- x\n-\n  - y\n"
    assert assert_same_as_nodes(text)
    data, lines = one_pass(text) or ({}, {})
    assert data == {"q": {"a": "3"}, True: "t", "yes": "s", None: "n", "list": ["x", ["y"]]}
    assert lines[("q",)] == 4 and lines[("q", "a")] == 5 and lines[("yes",)] == 7  # the last


def test_over_the_limits_goes_to_the_node_path_which_says_why() -> None:
    assert one_pass("[a, b, c, d]", max_nodes=4) is None
    deep = "[" * (MAX_YAML_DEPTH + 1) + "]" * (MAX_YAML_DEPTH + 1)
    assert one_pass(deep) is None
    _, _, problem = parse_yaml(PATH, deep)
    assert problem is not None and f"deeper than {MAX_YAML_DEPTH} levels" in problem.message


def _question(number: int) -> dict[str, Any]:
    return {
        "id": f"q-{number}",
        "type": "short_answer",
        "topic": "dates",
        "difficulty": 1 + number % 3,
        "prompt": f"Question {number}?",
        "answer": f"answer {number}",
        "explanation": "Because the text says so.",
        "source": "the treaty of paris",
    }


@pytest.mark.parametrize("kind", ["yaml", "json"])
def test_a_large_banks_problems_name_their_lines(tmp_path: Path, kind: str) -> None:
    (tmp_path / "m.txt").write_text("the treaty of paris")
    questions = [_question(n) for n in range(3000)]
    questions[1200]["difficulty"] = 7
    questions[2500]["source"] = "not in the material"
    questions[2999]["id"] = "q-5"
    bank = {"deck": "big", "title": "Big", "material": "m.txt", "questions": questions}
    text = yaml.safe_dump(bank, sort_keys=False) if kind == "yaml" else json.dumps(bank, indent=1)
    path = tmp_path / "big.yaml"
    path.write_text(text)
    loaded, problems = load_bank(path)
    assert loaded is None

    def line_of(needle: str, after: int = 0) -> int:
        return text.count("\n", 0, text.index(needle, after)) + 1

    first_of_1200 = text.index('"q-1200"' if kind == "json" else "id: q-1200\n")
    first_of_2500 = text.index('"q-2500"' if kind == "json" else "id: q-2500\n")
    assert [str(p) for p in problems] == [
        f"{path}:{line_of('difficulty', first_of_1200)}: question q-1200: difficulty: "
        "Input should be less than or equal to 3",
        f"{path}:{line_of('source', first_of_2500)}: question q-2500: source: "
        "quote not found word for word in the material; copy it from the material",
        f"{path}:{line_of('q-5', text.index('q-2998'))}: question q-5: id: "
        f"duplicate id (first used on line {line_of('q-5')}); give it a new id",
    ]


@pytest.mark.parametrize("value", ["!!int two", "!!bool maybe", "!!float x", "!!timestamp soon"])
def test_a_value_its_tag_refuses_is_a_problem_not_a_traceback(tmp_path: Path, value: str) -> None:
    (tmp_path / "m.txt").write_text("the treaty of paris")
    path = tmp_path / "bank.yaml"
    path.write_text(f"deck: d\ntitle: T\nmaterial: m.txt\nquestions:\n- difficulty: {value}\n")
    loaded, problems = load_bank(path)
    assert loaded is None and len(problems) == 1
    assert str(problems[0]).startswith(f"{path}:1: a value cannot be read as its tag says (")
    assert str(problems[0]).endswith("; fix the value or drop the tag")
