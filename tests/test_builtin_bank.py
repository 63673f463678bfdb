"""The built-in Treaty of Paris (1856) bank: it loads, it is big and varied enough, and its
quotes, distractors and true/false answers are sound."""

import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from quiz.bank.loader import LoadedBank, load_bank, normalise_space
from quiz.bank.schema import (
    Cloze,
    MultipleChoice,
    Ordering,
    QuestionBase,
    ShortAnswer,
    TrueFalse,
)
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
# Issue 15 revised the bank from 183 questions to fewer, better ones (about 110-140): at
# most 3 questions per fact, few about the sources, chronologies instead of trivial
# orderings. The floors follow that revision.
MINIMUM_PER_TYPE = {
    "short_answer": 20,
    "multiple_choice": 25,
    "cloze": 12,
    "true_false": 20,
    "flashcard": 15,
    "ordering": 4,
}
MINIMUM_TOTAL = 110
MAXIMUM_TOTAL = 140
MINIMUM_PER_TOPIC = 10
# Sources are capped at 3 questions, so their topic (with the medallion) is smaller.
MINIMUM_PER_TOPIC_EXCEPT = {"commemoration and sources": 6}
MAXIMUM_PER_FACT = 3
MAXIMUM_SOURCE_QUESTIONS = 3
MINIMUM_UNDERSTANDING_SHARE = 0.20
UNDERSTANDING = "understanding"  # the tag of questions that need more than recall
# What a question about the reference list or the page's markup would mention.
SOURCE_WORDS = re.compile(
    r"palabiyik|journal|jstor|middle eastern studies|\bcited?\b|\breferences?\b|"
    r"treaty of paris of 1856 and its execution",
    re.IGNORECASE,
)
MARKUP = re.compile(
    r"\bpages?\b|\bpp\b|\bvol(ume)?s?\b|\b\d+:\d+\b|(?<![\d/-])\d{2,4}\s*[-–]\s*\d{2,4}(?![\d/-])|"
    r"\.jpe?g\b|\.png\b|\bfile ?names?\b|\bimage\b|\bcaption of the (first|second) image\b|"
    r"\bmarkup\b",
    re.IGNORECASE,
)


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
    assert MINIMUM_TOTAL <= len(questions) <= MAXIMUM_TOTAL


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
    thin = {
        t: counts[t]
        for t in loaded.bank.topics
        if counts[t] < MINIMUM_PER_TOPIC_EXCEPT.get(t, MINIMUM_PER_TOPIC)
    }
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


def _kind(question: QuestionBase) -> str:
    return str(question.model_dump()["type"])


def _text(question: QuestionBase) -> str:
    """Everything a learner reads of a question: prompt, options, answers, explanation."""
    dumped = question.model_dump(exclude={"id", "source", "fact", "tags", "topic"})
    return " ".join(str(value) for value in _leaves(dumped))


def _leaves(value: object) -> list[object]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def test_every_question_has_a_fact(questions: list[QuestionBase]) -> None:
    assert [q.id for q in questions if q.fact is None] == []


def test_no_fact_has_more_than_three_questions(questions: list[QuestionBase]) -> None:
    sizes = Counter(q.fact for q in questions)
    assert {fact: n for fact, n in sizes.items() if n > MAXIMUM_PER_FACT} == {}


def test_no_two_questions_of_one_fact_share_a_type(questions: list[QuestionBase]) -> None:
    types: dict[str | None, list[str]] = defaultdict(list)
    for question in questions:
        types[question.fact].append(_kind(question))
    assert {f: t for f, t in types.items() if len(set(t)) != len(t)} == {}


def test_at_most_three_questions_are_about_the_sources(questions: list[QuestionBase]) -> None:
    about_sources = [q.id for q in questions if SOURCE_WORDS.search(_text(q))]
    assert len(about_sources) <= MAXIMUM_SOURCE_QUESTIONS, about_sources


def test_no_question_asks_about_pages_volumes_file_names_or_markup(
    questions: list[QuestionBase],
) -> None:
    found = {q.id: m.group(0) for q in questions if (m := MARKUP.search(_text(q)))}
    assert found == {}


def test_the_markup_check_would_catch_the_questions_it_is_for() -> None:
    for text in [
        "On which pages does the article appear? 233-251",
        "Middle Eastern Studies, 50:2, 2014",
        "pp 387–414",
        "What is the image file name? crimea_treaty_of_paris_medallion.jpg",
        "In which volume was it published?",
    ]:
        assert MARKUP.search(text), text
    assert SOURCE_WORDS.search("In which journal did it appear?")
    assert not MARKUP.search("The war had begun on 23 October 1853 (1853-10-23), 23/10/1853")


def test_a_fifth_of_the_bank_needs_understanding(questions: list[QuestionBase]) -> None:
    share = sum(UNDERSTANDING in q.tags for q in questions) / len(questions)
    assert share >= MINIMUM_UNDERSTANDING_SHARE, f"{share:.0%} need understanding"


def test_orderings_are_chronologies_of_four_to_six_steps(questions: list[QuestionBase]) -> None:
    orderings = [q for q in questions if isinstance(q, Ordering)]
    assert orderings
    assert {q.id: len(q.items) for q in orderings if not 4 <= len(q.items) <= 6} == {}


def test_no_distractor_gives_the_answer_away_with_alone(questions: list[QuestionBase]) -> None:
    alone = [
        q.id
        for q in questions
        if isinstance(q, MultipleChoice)
        and any(re.search(r"\balone\b", c, re.IGNORECASE) for c in q.choices)
    ]
    assert alone == []


def test_explanations_do_not_name_who_moved_the_troops(questions: list[QuestionBase]) -> None:
    """The text says only "after it moved troops": no explanation may say Russia did."""
    claims = [
        q.id
        for q in questions
        if re.search(r"(russia|russians?) (had )?moved troops", q.explanation, re.IGNORECASE)
    ]
    assert claims == []
