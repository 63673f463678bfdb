"""The built-in Treaty of Paris (1856) bank: it loads, it is big and varied enough, and its
quotes, distractors and true/false answers are sound."""

from collections import Counter
from pathlib import Path

import pytest

from quiz.bank.loader import LoadedBank, load_bank, normalise_space
from quiz.bank.schema import Cloze, MultipleChoice, QuestionBase, ShortAnswer, TrueFalse
from quiz.resources import builtin_bank_files

BANK_NAME = "treaty_of_paris_1856.yaml"
MATERIAL_NAME = "treaty_of_paris_1856.txt"
TOPICS = [
    "background and causes",
    "congress and parties",
    "terms of the treaty",
    "aims of the powers",
    "consequences",
    "commemoration and sources",
]
MINIMUM_PER_TYPE = {
    "short_answer": 30,
    "multiple_choice": 25,
    "cloze": 20,
    "true_false": 20,
    "flashcard": 30,
    "ordering": 5,
}
MINIMUM_TOTAL = 150
MINIMUM_PER_TOPIC = 10


def _bank_path() -> Path:
    matches = [path for path in builtin_bank_files() if path.name == BANK_NAME]
    assert len(matches) == 1, f"expected one built-in {BANK_NAME}, found {matches}"
    return matches[0]


@pytest.fixture(scope="module")
def loaded() -> LoadedBank:
    bank, problems = load_bank(_bank_path())
    assert problems == [], "\n".join(str(problem) for problem in problems)
    assert bank is not None
    return bank


@pytest.fixture(scope="module")
def questions(loaded: LoadedBank) -> list[QuestionBase]:
    return list(loaded.bank.questions)


def _norm(text: str) -> str:
    """Compare answers the way a learner would: case and spacing do not matter."""
    return normalise_space(text).casefold()


def test_the_bank_is_built_in_and_loads_without_problems(loaded: LoadedBank) -> None:
    assert loaded.bank.deck == "treaty-of-paris-1856"
    assert loaded.material_path.name == MATERIAL_NAME
    assert loaded.material_path.is_file()


def test_every_id_is_unique_and_prefixed(questions: list[QuestionBase]) -> None:
    counts = Counter(question.id for question in questions)
    duplicates = sorted(qid for qid, count in counts.items() if count > 1)
    assert duplicates == []
    assert [q.id for q in questions if not q.id.startswith("tp-")] == []


def test_the_original_example_ids_are_kept(questions: list[QuestionBase]) -> None:
    ids = {question.id for question in questions}
    originals = {
        "tp-signed-date",
        "tp-war-resolved",
        "tp-russia-side",
        "tp-war-declared",
        "tp-black-sea-demilitarised",
        "tp-war-began-before-treaty",
    }
    assert originals <= ids


def test_there_are_enough_questions_of_every_type(questions: list[QuestionBase]) -> None:
    counts = Counter(question.type for question in questions)  # type: ignore[attr-defined]
    short = {kind: counts[kind] for kind, least in MINIMUM_PER_TYPE.items() if counts[kind] < least}
    assert short == {}, f"too few questions of these types (have): {short}"
    assert len(questions) >= MINIMUM_TOTAL


def test_every_source_quote_stands_word_for_word_in_the_material(
    loaded: LoadedBank, questions: list[QuestionBase]
) -> None:
    material = normalise_space(loaded.material_path.read_text(encoding="utf-8"))
    missing = [q.id for q in questions if normalise_space(q.source) not in material]
    assert missing == []


def test_the_shipped_material_equals_the_shared_material(loaded: LoadedBank) -> None:
    shared = Path(__file__).resolve().parents[1].parent / "shared" / "material" / MATERIAL_NAME
    if not shared.is_file():
        pytest.skip(f"no shared copy of the material at {shared}")
    assert loaded.material_path.read_bytes() == shared.read_bytes()


def test_multiple_choice_questions_have_three_or_more_choices(
    questions: list[QuestionBase],
) -> None:
    few = [q.id for q in questions if isinstance(q, MultipleChoice) and len(q.choices) < 3]
    assert few == []


def test_no_distractor_is_also_an_accepted_answer(questions: list[QuestionBase]) -> None:
    clashes = []
    for question in questions:
        if not isinstance(question, MultipleChoice):
            continue
        accepted = {_norm(answer) for answer in question.accepted_answers}
        distractors = [choice for choice in question.choices if choice not in question.answers]
        assert distractors, f"{question.id} has no distractor"
        clashes += [(question.id, d) for d in distractors if _norm(d) in accepted]
        shown = [_norm(choice) for choice in question.choices]
        assert len(set(shown)) == len(shown), f"{question.id} shows two equal choices"
    assert clashes == []


def test_about_half_of_the_true_false_statements_are_false(
    questions: list[QuestionBase],
) -> None:
    answers = [q.answer for q in questions if isinstance(q, TrueFalse)]
    assert answers
    false_share = answers.count(False) / len(answers)
    assert 0.35 <= false_share <= 0.65, f"{false_share:.0%} of true/false answers are false"


def test_every_topic_is_listed_and_well_covered(
    loaded: LoadedBank, questions: list[QuestionBase]
) -> None:
    assert loaded.bank.topics == TOPICS
    unknown = sorted({q.topic for q in questions} - set(loaded.bank.topics))
    assert unknown == []
    counts = Counter(question.topic for question in questions)
    thin = {t: counts[t] for t in loaded.bank.topics if counts[t] < MINIMUM_PER_TOPIC}
    assert thin == {}, f"topics with too few questions (have): {thin}"


def test_every_difficulty_is_used(questions: list[QuestionBase]) -> None:
    assert {question.difficulty for question in questions} == {1, 2, 3}


def test_typed_answers_list_no_alternative_twice(questions: list[QuestionBase]) -> None:
    repeated = []
    for question in questions:
        if isinstance(question, ShortAnswer):
            answer_lists = [question.accepted_answers]
        elif isinstance(question, Cloze):
            answer_lists = [gap.all for gap in question.gaps]
        else:
            continue
        for answers in answer_lists:
            normalised = [_norm(answer) for answer in answers]
            if len(set(normalised)) != len(normalised):
                repeated.append(question.id)
    assert repeated == []


def test_cloze_gaps_of_one_question_do_not_accept_each_others_answers(
    questions: list[QuestionBase],
) -> None:
    overlapping = []
    for question in questions:
        if not isinstance(question, Cloze):
            continue
        seen: set[str] = set()
        for gap in question.gaps:
            accepted = {_norm(answer) for answer in gap.all}
            if accepted & seen:
                overlapping.append(question.id)
            seen |= accepted
    assert overlapping == []
