"""The answer grader: what is forgiven, what never is, and its properties."""

import datetime
import itertools
from collections.abc import Callable

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from quiz.core.grading import (
    diff_answer,
    grade_choice,
    grade_cloze,
    grade_ordering,
    grade_text,
    grade_true_false,
    normalise,
    parse_date,
)

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


DATE_FORMS: dict[str, Callable[[datetime.date], str]] = {
    "day month year": lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    "lower case": lambda d: f"{d.day} {MONTHS[d.month - 1].lower()} {d.year}",
    "month day, year": lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
    "ordinal of": lambda d: f"{ordinal(d.day)} of {MONTHS[d.month - 1]} {d.year}",
    "abbreviated": lambda d: f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}",
    "slashes": lambda d: f"{d.day}/{d.month}/{d.year}",
    "dots": lambda d: f"{d.day:02}.{d.month:02}.{d.year}",
    "iso": lambda d: d.isoformat(),
}


# --- what does not matter -------------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ("the kingdom of sardinia", "Kingdom of Sardinia"),
        ("Sardinia.", "Sardinia"),
        ("  SARDINIA ", "Sardinia"),
        ("Kingdom   of\tSardinia", "Kingdom of Sardinia"),
        ("Ottoman Empire", "the ottoman empire"),
        ("An Essay on Man", "Essay on Man"),
        ("Kucuk Kaynarca", "Küçük Kaynarca"),
        ("Florence Nightingale!", "Florence Nightingale"),
        ("Napoleons nephew", "Napoleon's nephew"),
        ("Britain & France", "Britain and France"),
        ("Saint-Arnaud", "Saint Arnaud"),
        ("NewYork", "New York"),
        ("1,000,000", "1000000"),
    ],
)
def test_case_punctuation_spacing_accents_and_articles_do_not_matter(
    response: str, expected: str
) -> None:
    grade = grade_text(response, [expected])
    assert grade.correct
    assert grade.exact
    assert grade.score == 1.0
    assert grade.matched == expected
    assert grade.feedback == "Correct"


def test_normalise_folds_and_keeps_digits() -> None:
    assert normalise("  The Treaty of PARIS, 1856! ") == "treaty of paris 1856"
    assert normalise("Crème & Brûlée") == "creme and brulee"
    assert normalise("the") == "the"  # an article alone is kept


# --- typos ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ("Sardnia", "Sardinia"),
        ("Bessarbia", "Bessarabia"),
        ("Sevastapol", "Sevastopol"),
        ("Sebastopol", "Sevastopol"),
        ("Florance Nightingale", "Florence Nightingale"),
        ("Kingdomof Sardnia", "Kingdom of Sardinia"),
        ("30 Marhc 1856", "30 March 1856"),
        ("Charge of the Ligth Brigade", "Charge of the Light Brigade"),
        ("Chrage of the Ligth Brigdae", "Charge of the Light Brigade"),
        ("Battel of Balaklava and Inkermann", "Battle of Balaclava and Inkerman"),
    ],
)
def test_small_typos_are_forgiven(response: str, expected: str) -> None:
    grade = grade_text(response, [expected])
    assert grade.correct
    assert not grade.exact
    assert 0.0 < grade.score < 1.0
    assert grade.matched == expected
    assert grade.feedback == f"Correct (typo forgiven: expected {expected!r})"


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ("Nice", "Nile"),  # four letters: no typo forgiven
        ("Kars", "Kors"),
        ("Prussia", "Russia"),  # a different country, one letter apart
        ("Austria", "Australia"),
        ("Treaty of Pavia", "Treaty of Paris"),  # a different word in a longer answer
        ("Raglan", "Cardigan"),
        ("Ssrdnai", "Sardinia"),  # too many typos for the length
        ("Chrage fo the Ligth Brigdae", "Charge of the Light Brigade"),
        ("Alm", "Alma"),
        ("Treatyof Pavia", "Treaty of Paris"),  # a missing space and a different word
        # each name within its own budget, but four typos in 27 characters are too many
        ("Ragkan Lucen Cardigen Nolen", "Raglan Lucan Cardigan Nolan"),
    ],
)
def test_different_words_and_too_many_typos_are_wrong(response: str, expected: str) -> None:
    grade = grade_text(response, [expected])
    assert not grade.correct
    assert grade.score == 0.0
    assert grade.matched is None


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ("1853", "1856"),
        ("387", "388"),
        ("30 March 1853", "30 March 1856"),
        ("23 October 1853", "24 October 1853"),
        ("23 October 1856", "23 October 1853"),
        ("the Treaty of 1853", "The Treaty of 1856"),
        ("Alexander I", "Alexander II"),
        ("Louis XVI", "Louis XIV"),
        ("the Fourth Crusade", "the Fifth Crusade"),
        ("18 56", "1856"),
        ("the 1850s", "the 1860s"),
        ("1,000,001", "1,000,000"),
        ("Balaclava 25102", "Balaclava 25101"),
    ],
)
def test_a_wrong_number_or_date_is_never_forgiven(response: str, expected: str) -> None:
    grade = grade_text(response, [expected])
    assert not grade.correct
    assert grade.feedback == "Wrong (check the numbers)"


def test_empty_answer_is_wrong() -> None:
    for response in ["", "   ", "?!", "..."]:
        grade = grade_text(response, ["Sardinia"])
        assert not grade.correct
        assert grade.feedback == "No answer"


# --- dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "response",
    [
        "30 March 1856",
        "30 march 1856",
        "March 30, 1856",
        "March 30th 1856",
        "30th of March 1856",
        "the 30th of March, 1856",
        "30 Mar 1856",
        "Sunday, 30 March 1856",
        "30/3/1856",
        "30/03/1856",
        "30.03.1856",
        "30-3-1856",
        "1856-03-30",
    ],
)
def test_every_written_form_of_a_date_is_that_date(response: str) -> None:
    assert parse_date(response) == datetime.date(1856, 3, 30)
    grade = grade_text(response, ["30 March 1856"])
    assert grade.correct
    assert grade.exact


@pytest.mark.parametrize(
    "text",
    [
        "March 1856",
        "1856",
        "30 March",
        "31 February 1856",
        "3/30/1856",
        "Sardinia",
        "30 Sardinia 1856",
        "",
    ],
)
def test_partial_or_impossible_dates_are_not_dates(text: str) -> None:
    assert parse_date(text) is None


def test_a_year_only_answer_matches_by_number() -> None:
    assert grade_text("1856", ["1856"]).correct
    assert not grade_text("1855", ["1856"]).correct
    assert not grade_text("March 1856", ["1856"]).correct


def test_day_first_numeric_dates() -> None:
    assert parse_date("1/2/1856") == datetime.date(1856, 2, 1)
    assert not grade_text("2/1/1856", ["1 February 1856"]).correct


# --- alternatives, cloze, choice, true/false, ordering ----------------------------------


def test_any_accepted_alternative_counts() -> None:
    accepted = ["Kingdom of Sardinia", "Sardinia", "Piedmont-Sardinia"]
    for response in ["Sardinia", "kingdom of sardinia", "Piedmont Sardinia"]:
        grade = grade_text(response, accepted)
        assert grade.correct
        assert grade.exact
    assert grade_text("Piedmont", accepted).correct is False
    assert grade_text("piedmont sardinia", accepted).matched == "Piedmont-Sardinia"


def test_an_exact_alternative_wins_over_a_forgiven_typo() -> None:
    grade = grade_text("Sardinia", ["Sardinian", "Sardinia"])
    assert grade.exact
    assert grade.matched == "Sardinia"


def test_the_closest_forgiven_alternative_is_reported() -> None:
    grade = grade_text("Sebastopl", ["Sevastopol", "Sebastopol"])
    assert grade.correct
    assert grade.matched == "Sebastopol"
    assert grade.feedback == "Correct (typo forgiven: expected 'Sebastopol')"


def test_alternatives_may_be_dates_or_words() -> None:
    accepted = ["30 March 1856", "the day the Treaty of Paris was signed"]
    assert grade_text("1856-03-30", accepted).correct
    assert grade_text("day the treaty of paris was signed", accepted).correct
    assert not grade_text("1856-03-31", accepted).correct


def test_cloze_is_right_only_when_every_gap_is() -> None:
    gaps = [["Sardinia", "Kingdom of Sardinia"], ["1856"]]
    right = grade_cloze(["kingdom of sardinia", "1856"], gaps)
    assert right.correct
    assert right.score == 1.0
    assert [g.correct for g in right.gaps] == [True, True]

    half = grade_cloze(["Sardinia", "1855"], gaps)
    assert not half.correct
    assert half.score == 0.5
    assert [g.correct for g in half.gaps] == [True, False]
    assert half.feedback == "Wrong (1 of 2 gaps right)"

    typo = grade_cloze(["Sardnia", "1856"], gaps)
    assert typo.correct
    assert not typo.gaps[0].exact


@pytest.mark.parametrize("responses", [["Sardinia"], ["Sardinia", "1856", "extra"], []])
def test_cloze_with_the_wrong_number_of_answers_is_wrong(responses: list[str]) -> None:
    grade = grade_cloze(responses, [["Sardinia"], ["1856"]])
    assert not grade.correct
    assert grade.score < 1.0
    assert len(grade.gaps) == 2
    assert grade.feedback == f"Wrong (expected 2 answers, got {len(responses)})"


def test_multiple_choice_needs_exactly_the_correct_set() -> None:
    correct = ["Britain", "France"]
    assert grade_choice({"France", "Britain"}, correct).correct
    assert grade_choice(["Britain"], ["Britain"]).correct
    only_one = grade_choice({"Britain"}, correct)
    assert not only_one.correct
    assert only_one.score == 0.5
    assert "missed: 'France'" in only_one.feedback
    too_many = grade_choice({"Britain", "France", "Prussia"}, correct)
    assert not too_many.correct
    assert "not correct: 'Prussia'" in too_many.feedback
    assert not grade_choice(set(), correct).correct
    assert not grade_choice({"britain", "france"}, correct).correct  # choices are exact


def test_true_false() -> None:
    assert grade_true_false(True, True).correct
    assert grade_true_false(False, False).correct
    wrong = grade_true_false(True, False)
    assert not wrong.correct
    assert wrong.feedback == "Wrong (the statement is false)"


def test_ordering_is_right_only_in_exact_order() -> None:
    items = ["Alma", "Balaclava", "Inkerman", "Sevastopol"]
    right = grade_ordering(list(items), items)
    assert right.correct
    assert right.score == 1.0
    one_moved = grade_ordering(["Balaclava", "Alma", "Inkerman", "Sevastopol"], items)
    assert not one_moved.correct
    assert one_moved.score == pytest.approx(2 / 3)
    reversed_order = grade_ordering(list(reversed(items)), items)
    assert not reversed_order.correct
    assert reversed_order.score == 0.0
    assert not grade_ordering(items[:3], items).correct
    assert not grade_ordering([*items, "Alma"], items).correct


def test_diff_shows_extra_and_missing_characters() -> None:
    assert diff_answer("Sardnia", "Sardinia") == [
        ("same", "Sard"),
        ("missing", "i"),
        ("same", "nia"),
    ]
    assert diff_answer("1853", "1856") == [("same", "185"), ("extra", "3"), ("missing", "6")]
    assert diff_answer("sardinia", "Sardinia") == [
        ("extra", "s"),
        ("missing", "S"),
        ("same", "ardinia"),
    ]
    assert diff_answer("", "Nile") == [("missing", "Nile")]
    assert diff_answer("Nile", "Nile") == [("same", "Nile")]


# --- properties -----------------------------------------------------------------------

answers = st.text(min_size=1, max_size=40).filter(lambda s: any(c.isalnum() for c in s))
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=10)
sentences = st.lists(words, min_size=0, max_size=4).map(" ".join)


@given(answers)
def test_an_answer_is_right_against_itself(answer: str) -> None:
    grade = grade_text(answer, [answer])
    assert grade.correct
    assert grade.exact


@given(answers)
def test_normalise_is_idempotent(text: str) -> None:
    assert normalise(normalise(text)) == normalise(text)


@st.composite
def response_and_expected(draw: st.DrawFn) -> tuple[str, str]:
    """An expected answer and a response: unrelated, the same, or one character off."""
    expected = draw(st.one_of(answers, sentences.filter(bool)))
    kind = draw(st.sampled_from(["unrelated", "same", "deleted", "replaced"]))
    if kind == "unrelated":
        return draw(answers), expected
    if kind == "same":
        return expected, expected
    at = draw(st.integers(min_value=0, max_value=len(expected) - 1))
    middle = "" if kind == "deleted" else draw(st.characters())
    return expected[:at] + middle + expected[at + 1 :], expected


@given(
    pair=response_and_expected(),
    pad=st.tuples(st.sampled_from(["", " ", "  ", "\t"]), st.sampled_from(["", " ", "\n"])),
    punctuation=st.sampled_from(["", ".", "!", "?", "...", ",", ";", "!?"]),
)
def test_case_spaces_and_trailing_punctuation_never_change_the_verdict(
    pair: tuple[str, str], pad: tuple[str, str], punctuation: str
) -> None:
    response, expected = pair
    verdict = grade_text(response, [expected]).correct
    variants = [
        response.upper(),
        response.lower(),
        pad[0] + response + pad[1],
        response + punctuation,
        pad[0] + response.upper() + punctuation + pad[1],
    ]
    for variant in variants:
        assert grade_text(variant, [expected]).correct == verdict


@given(
    expected=st.integers(min_value=0, max_value=10**7),
    change=st.one_of(
        st.integers(min_value=-9, max_value=9), st.integers(min_value=-(10**7), max_value=10**7)
    ),
    suffix=st.sampled_from(["", "s", "th", "km"]),
    before=sentences,
    after=sentences,
)
def test_an_answer_with_other_numbers_is_never_right(
    expected: int, change: int, suffix: str, before: str, after: str
) -> None:
    typed = abs(expected + change)
    assume(typed != expected)
    grade = grade_text(
        f"{before} {typed}{suffix} {after}", [f"{before} {expected}{suffix} {after}"]
    )
    assert not grade.correct


@given(
    day=st.dates(min_value=datetime.date(1000, 1, 1), max_value=datetime.date(2999, 12, 31)),
    typed_form=st.sampled_from(sorted(DATE_FORMS)),
    expected_form=st.sampled_from(sorted(DATE_FORMS)),
)
def test_every_date_form_matches_every_other_and_not_the_next_day(
    day: datetime.date, typed_form: str, expected_form: str
) -> None:
    typed = DATE_FORMS[typed_form](day)
    assert parse_date(typed) == day
    assert grade_text(typed, [DATE_FORMS[expected_form](day)]).correct
    next_day = day + datetime.timedelta(days=1)
    assert not grade_text(typed, [DATE_FORMS[expected_form](next_day)]).correct


@given(st.text(max_size=30), st.text(max_size=30))
def test_diff_gives_back_both_texts(typed: str, expected: str) -> None:
    segments = diff_answer(typed, expected)
    assert "".join(t for kind, t in segments if kind in ("same", "extra")) == typed
    assert "".join(t for kind, t in segments if kind in ("same", "missing")) == expected
    assert all(text for _, text in segments)
    assert all(a[0] != b[0] for a, b in itertools.pairwise(segments))


@given(st.lists(st.text(min_size=1, max_size=5), min_size=2, max_size=6, unique=True), st.data())
def test_ordering_is_right_exactly_for_the_correct_order(
    items: list[str], data: st.DataObject
) -> None:
    response = data.draw(st.permutations(items))
    grade = grade_ordering(response, items)
    assert grade.correct == (list(response) == items)
    assert 0.0 <= grade.score <= 1.0
    assert (grade.score == 1.0) == grade.correct


AIM = "What aim does the text give for demilitarising the Black Sea?"
ISSUE = "Which internal issue did the powers hope the Ottoman Empire could focus on?"
BALANCE = "What did Britain and France expect a stronger Ottoman Empire to ensure?"


@pytest.mark.parametrize(
    ("typed", "expected", "prompt", "reason"),
    [
        # another form of the word whose stem Snowball leaves apart
        ("stability of the balance of power", "a stable balance of power", BALANCE, "inflection"),
        # a pronoun for a word of a name the prompt gives ("its" for "the empire's")
        (
            "nationalism rising in the nations under its authority",
            "rising nationalism in many nations under the empire's authority",
            ISSUE,
            "words from the question left out",
        ),
        # a light verb and a quantifier that add nothing
        ("to make trade better", "better trade", AIM, "filler words ignored"),
        ("in several ports", "in ports", AIM, "filler words ignored"),
        # the common phrase for the word
        (
            "the territorial integrity of the Ottoman Empire",
            "integrity of the Ottoman Empire",
            "What did the powers pledge to maintain?",
            "synonym",
        ),
    ],
)
def test_answers_in_other_forms_are_right_with_their_reason(
    typed: str, expected: str, prompt: str, reason: str
) -> None:
    grade = grade_text(typed, [expected], prompt)
    assert grade.correct and grade.reason == reason, grade


@pytest.mark.parametrize(
    ("typed", "expected", "prompt"),
    [
        ("instability of the balance of power", "a stable balance of power", BALANCE),
        ("an unstable balance of power", "a stable balance of power", BALANCE),
        ("to make trade worse", "better trade", AIM),
        (
            "nationalism rising in few nations under its authority",
            "rising nationalism in many nations under the empire's authority",
            ISSUE,
        ),
        ("nationalism rising under Russia's authority", "rising nationalism", ISSUE),
        ("the territorial integrity of Russia", "integrity of the Ottoman Empire", BALANCE),
        ("weakness", "weaken", BALANCE),
    ],
)
def test_the_same_answers_with_another_meaning_stay_wrong(
    typed: str, expected: str, prompt: str
) -> None:
    assert not grade_text(typed, [expected], prompt).correct


# --- symbols, emoji, zero-width and control characters ---------------------------------


@pytest.mark.parametrize("response", ["🙂", " 🙂 ", "🙂\ufe0f", "\u200b🙂"])
def test_an_answer_of_only_emoji_or_symbols_can_be_right(response: str) -> None:
    grade = grade_text(response, ["🙂"])
    assert (grade.correct, grade.matched, grade.reason) == (True, "🙂", "same symbols")
    assert grade_text("≥", ["smile", "≥"]).correct  # the symbols alternative counts


def test_other_symbols_are_wrong_and_nothing_but_format_characters_is_no_answer() -> None:
    assert grade_text("😢", ["🙂"]).feedback == "Wrong"
    assert grade_text("smile", ["🙂"]).feedback == "Wrong"
    for nothing in ["\u200b", "\u200d\u200b", "\ufeff", "\x1b"]:
        assert grade_text(nothing, ["🙂"]).feedback == "No answer"
        assert grade_text(nothing, ["Russia"]).feedback == "No answer"


def test_a_zero_width_character_does_not_split_a_word() -> None:
    assert normalise("Rus\u200bsia\u00ad") == "russia"
    grade = grade_text("Sar\u200bdinia", ["Sardinia"])
    assert (grade.correct, grade.reason) == (True, "exact")


def test_control_characters_are_left_out_of_a_typed_answer() -> None:
    from quiz.core.responses import GapsResponse, TypedResponse, describe_response

    typed = TypedResponse(typed="Rus\x1b[2Jsia\x07\tnow")
    assert typed.typed == "Rus[2Jsia now"
    assert GapsResponse(gaps=("a\x1b]0;owned\x07", "b")).gaps == ("a]0;owned", "b")
    assert "\x1b" not in describe_response(TypedResponse(typed="\x1b[31mred"))
