"""Item analysis: facility, discrimination (upper-lower 27%), distractors, flags and
Cronbach's alpha, on cases small enough to check by hand (the working is in the comments).
The drill cases run through the real attempt path on SQLite and PostgreSQL."""

import csv
import io
from datetime import timedelta

import pytest

from quiz.core.item_analysis import MarkedAttempt, analyse_item, cronbach_alpha, group_size
from quiz.services.answering import ChoiceResponse, Response, TruthResponse, TypedResponse
from quiz.services.auth import Teacher, create_teacher
from quiz.services.database import Database
from quiz.services.drills import (
    answer_attempt,
    create_drill,
    drill_report,
    finish_attempt,
    spec_from_dict,
    start_attempt,
    write_report_csv,
)
from quiz.services.profiles import get_or_create_profile
from tests.conftest import NOW

A = "tp-signed-date-mc"  # right: 30 March 1856
B = "tp-russia-side"  # right: Russia
C = "tp-signed-date"  # short answer: 30 March 1856
D = "tp-black-sea-demilitarised"  # true/false: true


def test_group_size_is_27_percent_at_least_one_at_most_half() -> None:
    # round(0.27 n): n=4 -> 1.08 -> 1; n=6 -> 1.62 -> 2; n=10 -> 2.7 -> 3; n=2 -> 0.54 -> 1
    assert [group_size(n) for n in (0, 1, 2, 3, 4, 6, 7, 10, 100)] == [0, 0, 1, 1, 1, 2, 2, 3, 27]


def test_alpha_of_a_perfect_scale() -> None:
    # marks (rows: attempts, columns: 3 questions): 111, 110, 100, 000
    # item variances p(1-p): 3/4*1/4 + 2/4*2/4 + 1/4*3/4 = 3/16 + 4/16 + 3/16 = 10/16
    # totals 3, 2, 1, 0: mean 1.5, variance (2.25 + .25 + .25 + 2.25) / 4 = 1.25
    # alpha = 3/2 * (1 - 0.625 / 1.25) = 0.75
    rows = [(1, 1, 1), (1, 1, 0), (1, 0, 0), (0, 0, 0)]
    attempts = [
        MarkedAttempt(n, sum(r) / 3, {q: bool(r[q]) for q in range(3)}, {})
        for n, r in enumerate(rows)
    ]
    assert cronbach_alpha(attempts) == pytest.approx(0.75)
    # the first question over these 4: g = 1, upper (111) right, lower (000) wrong: D = 1
    item = analyse_item(0, attempts)
    assert (item.facility, item.group_size, item.discrimination) == (0.75, 1, 1.0)
    assert item.flags == ()  # 4 attempts: too few to flag anything


def test_alpha_is_undefined_without_spread_or_with_different_questions() -> None:
    same = [MarkedAttempt(n, 0.5, {1: True, 2: False}, {}) for n in range(3)]
    assert cronbach_alpha(same) is None  # every total is 1: no variance
    mixed = [MarkedAttempt(0, 1.0, {1: True, 2: True}, {}), MarkedAttempt(1, 0.0, {1: False}, {})]
    assert cronbach_alpha(mixed) is None
    assert cronbach_alpha(same[:1]) is None
    assert analyse_item(1, same[:1]).discrimination is None  # one attempt: no groups


@pytest.fixture
def ann(database: Database) -> Teacher:
    return create_teacher(database, "ann", "654321", NOW)


RIGHT = {A: "30 March 1856", B: "Russia", C: "30 March 1856", D: True}
# Six students' first attempts (1 right, 0 wrong), the wrong answers given:
#          A  B  C  D  total
#   s1     0  1  1  1    3     A: "30 March 1855"
#   s2     1  1  1  0    3
#   s3     1  1  0  0    2     C: "1855"
#   s4     1  0  1  0    2     B: France
#   s5     1  0  0  1    2     B: Britain, C: "1855"
#   s6     0  0  0  1    1     A: "23 October 1853", B: France; C unanswered
# Wrong D answers are False.
SITTINGS: dict[str, dict[str, str | bool | None]] = {
    "s1": {A: "30 March 1855", B: "Russia", C: "30 March 1856", D: True},
    "s2": {A: "30 March 1856", B: "Russia", C: "30 March 1856", D: False},
    "s3": {A: "30 March 1856", B: "Russia", C: "1855", D: False},
    "s4": {A: "30 March 1856", B: "France", C: "30 March 1856", D: False},
    "s5": {A: "30 March 1856", B: "Britain", C: "1855", D: True},
    "s6": {A: "23 October 1853", B: "France", C: None, D: True},
}


def sit(database: Database, drill_id: int, name: str, hour: int, given: dict[str, object]) -> None:
    """One finished attempt, each answer graded by the service."""
    attempt = start_attempt(
        database, get_or_create_profile(database, name, NOW), drill_id, NOW + timedelta(hours=hour)
    )
    for question in attempt.questions:
        value = given[question.key]
        response: Response
        if value is None:
            continue
        if question.key in (A, B):
            response = ChoiceResponse(selected=(str(value),), shown=question.options)
        elif question.key == D:
            response = TruthResponse(truth=bool(value))
        else:
            response = TypedResponse(typed=str(value))
        at = NOW + timedelta(hours=hour, minutes=1)
        answer_attempt(database, attempt.paper_id, question.question_id, response, 900, at)
    finish_attempt(database, attempt.paper_id, NOW + timedelta(hours=hour, minutes=5))


def test_item_analysis_of_six_first_attempts(database: Database, ann: Teacher) -> None:
    spec = spec_from_dict({"title": "Items", "questions": [A, B, C, D], "attempts": None})
    drill = create_drill(database, ann, spec, NOW)
    for hour, (name, given) in enumerate(SITTINGS.items(), start=1):
        sit(database, drill.id, name, hour, dict(given))
    sit(database, drill.id, "s1", 7, dict(RIGHT))  # s1's second attempt: 4/4, not a first

    report = drill_report(database, ann, drill.id, NOW + timedelta(hours=8))
    analysis = report.analysis
    assert analysis is not None and (analysis.basis, analysis.attempts) == ("first", 6)
    items = {row.key: row.stats for row in analysis.items}
    # Ranked by total, ties by attempt order: s1 (3), s2 (3), s3, s4, s5 (2), s6 (1).
    # n = 6, g = round(0.27 * 6) = 2: upper {s1, s2}, lower {s5, s6}.
    # A: right s2 s3 s4 s5 = 4/6; upper right 1 (s2), lower right 1 (s5): D = (1 - 1) / 2 = 0
    a = items[A]
    assert (a.asked, a.right, a.upper_right, a.lower_right) == (6, 4, 1, 1)
    assert a.facility == pytest.approx(4 / 6) and a.discrimination == 0.0
    # A's distractors in the bank's order: "23 October 1853" s6 (lower); "30 March 1855"
    # s1 (upper); "23 October 1856" nobody
    assert [(x.option, x.chosen, x.upper, x.lower) for x in a.distractors] == [
        ("23 October 1853", 1, 0, 1),
        ("30 March 1855", 1, 1, 0),
        ("23 October 1856", 0, 0, 0),
    ]
    assert a.flags == (
        "distractor “30 March 1855” was chosen more by the strong students (1) "
        "than by the weak (0)",
        "distractor “23 October 1856” was chosen by nobody",
    )
    # B: right s1 s2 s3 = 3/6; upper 2, lower 0: D = 1; France s4 s6, Britain s5
    b = items[B]
    assert (b.facility, b.discrimination) == (0.5, 1.0)
    assert [(x.option, x.chosen, x.upper, x.lower) for x in b.distractors] == [
        ("France", 2, 0, 1),
        ("Britain", 1, 0, 1),
        ("The Ottoman Empire", 0, 0, 0),
        ("The Kingdom of Sardinia", 0, 0, 0),
    ]
    assert len(b.flags) == 2  # the Ottoman Empire and Sardinia: nobody
    # C: right s1 s2 s4 = 3/6; upper 2, lower 0 (s6 unanswered counts wrong): D = 1
    assert (items[C].facility, items[C].discrimination, items[C].flags) == (0.5, 1.0, ())
    # D: right s1 s5 s6 = 3/6; upper 1 (s1), lower 2: D = (1 - 2) / 2 = -0.5
    assert (items[D].facility, items[D].discrimination) == (0.5, -0.5)
    assert items[D].flags == (
        "negative discrimination (-0.50): weaker students got it right more often",
    )
    # alpha: item variances 2/9 + 1/4 + 1/4 + 1/4 = 35/36; totals 3 3 2 2 2 1, mean 13/6,
    # variance (2 * 25/36 + 3 * 1/36 + 49/36) / 6 = 17/36; alpha = 4/3 * (1 - 35/17) = -24/17
    assert analysis.alpha == pytest.approx(-24 / 17)
    # flagged questions first, by discrimination: D (-0.5), A (0), B (1); then C
    assert [row.key for row in analysis.items] == [D, A, B, C]

    every = drill_report(database, ann, drill.id, NOW + timedelta(hours=8), basis="all").analysis
    assert every is not None and every.attempts == 7
    # all 7: s1's second (4/4) first, then s1 (3), s2 (3), s3 s4 s5 (2), s6 (1);
    # g = round(0.27 * 7) = round(1.89) = 2: upper {s1 second, s1}, lower {s5, s6}
    # D: upper 1 + 1, lower 1 + 1: D = 0; A: upper 1 + 0, lower 1 + 0: D = 0, right 5/7
    items = {row.key: row.stats for row in every.items}
    assert (items[D].discrimination, items[A].discrimination) == (0.0, 0.0)
    assert (items[A].asked, items[A].right) == (7, 5)

    out = io.StringIO()
    assert write_report_csv(report, "items", out, NOW) == 4
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(out.getvalue()))}
    assert rows[D]["discrimination"] == "-0.5" and rows[D]["flags"].startswith("negative")
    assert rows[A]["distractors"].startswith("23 October 1853: 1 (0/1); 30 March 1855: 1 (1/0)")
    assert report.to_json(NOW)["item_analysis"]["cronbach_alpha"] == round(-24 / 17, 4)
