"""`schedule simulate`: the simulator's totals against a case worked by hand, and the
learner's own report (their answer times, the retention with least work marked)."""

import json
import math

import pytest

from quiz.cli import main
from quiz.core.optimise import DEFAULT_PARAMETERS
from quiz.core.workload import Deck, Habits, cheapest, compare, simulate
from quiz.errors import QuizError
from quiz.services.cards import sync_cards
from quiz.services.database import Database
from quiz.services.profiles import get_or_create_profile, update_profile_settings
from quiz.services.workload import simulate_retentions
from tests.conftest import NOW
from tests.simulated_learner import Learner


def test_simulator_totals_match_a_case_worked_by_hand() -> None:
    """Two cards, one new a day, no learning steps, always Good at first sight; a first
    answer takes 10 s and a review 5 s; three days at retention 0.9.

    Day 0: card A is learned (10 s); its stability is w2 = 2.3065 days, and at retention 0.9
    the interval is the stability (R = 0.9 at t = S), 2 days once rounded. Day 1: card B is
    learned (10 s). Day 2: A is reviewed (5 s). Total 25 s; one review, two new cards.
    At the end of day 2, A was just reviewed (R = 1) and B is a day old:
    R = (1 + f t / S) ** -w20 with f = 0.9 ** (-1 / w20) - 1 = 0.9805, t = 1, S = 2.3065,
    w20 = 0.1542: R = 1.42510 ** -0.1542 = 0.94685. So 1.94685 cards remembered.
    """
    habits = Habits(
        seconds=((10, 10, 10, 10), (5, 5, 5, 5), (7, 7, 7, 7)),
        first_rating=(0, 0, 1, 0),
        recalled_rating=(0, 1, 0),
    )
    deck = Deck(2, 1, 100, learning_steps=0, relearning_steps=0, habits=habits)
    result = simulate(DEFAULT_PARAMETERS, 0.9, deck, days=3, seed=42)
    assert result.total_seconds == pytest.approx(25)
    assert result.reviews_per_day == pytest.approx(1 / 3)
    assert result.new_per_day == pytest.approx(2 / 3)
    assert result.minutes_per_day == pytest.approx(25 / 3 / 60)
    assert result.remembered == pytest.approx(1.94685, abs=1e-4)
    assert result.remembered_share == pytest.approx(1.94685 / 2, abs=1e-4)
    assert result.seconds_per_remembered == pytest.approx(25 / 1.94685, rel=1e-4)
    # hand check of the forgetting curve the comment uses
    w20 = DEFAULT_PARAMETERS[20]
    factor = 0.9 ** (-1 / w20) - 1
    assert (1 + factor / DEFAULT_PARAMETERS[2]) ** -w20 == pytest.approx(0.94685, abs=1e-5)
    # seeded: the same figures every time
    assert simulate(DEFAULT_PARAMETERS, 0.9, deck, days=3, seed=42) == result


def test_higher_retention_costs_more_and_remembers_more() -> None:
    deck = Deck(300, 20, 9999)
    loads = compare(DEFAULT_PARAMETERS, [0.8, 0.9, 0.95], deck, days=120)
    assert [w.retention for w in loads] == [0.8, 0.9, 0.95]
    assert loads[0].reviews_per_day < loads[1].reviews_per_day < loads[2].reviews_per_day
    assert loads[0].remembered_share < loads[1].remembered_share < loads[2].remembered_share
    best = cheapest(loads)
    assert best is not None
    assert best.seconds_per_remembered == min(w.seconds_per_remembered for w in loads)
    assert not math.isfinite(
        simulate(DEFAULT_PARAMETERS, 0.9, Deck(0, 1, 1), 10).seconds_per_remembered
    )


def test_the_learners_report_uses_their_own_answer_times(sqlite_database: Database) -> None:
    profile = get_or_create_profile(sqlite_database, "sim", NOW)
    sync_cards(sqlite_database, profile.id)
    profile = update_profile_settings(sqlite_database, profile.id, time_zone="UTC")
    report = simulate_retentions(sqlite_database, profile, [0.85, 0.9], days=60)
    assert not report.own_times  # nothing answered yet: typical times
    Learner(sqlite_database, profile).study(NOW, 15)  # every answer takes 8 s
    report = simulate_retentions(sqlite_database, profile, [0.95, 0.85, 0.9], days=60)
    assert report.own_times and report.cards > 100
    assert [w.retention for w in report.workloads] == [0.85, 0.9, 0.95]
    assert report.best in (0.85, 0.9, 0.95)
    marked = [line for line in report.lines() if "least work" in line]
    assert len(marked) == 1 and marked[0].strip().startswith(f"{report.best:.2f}")
    data = report.to_dict()
    assert [r["best"] for r in data["retentions"]].count(True) == 1
    with pytest.raises(QuizError, match=r"retentions from 0\.70 to 0\.99"):
        simulate_retentions(sqlite_database, profile, [0.5])
    with pytest.raises(QuizError, match="--days"):
        simulate_retentions(sqlite_database, profile, [0.9], days=0)


def test_cli_simulate_and_optimize_json(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", sqlite_url, "--profile", "ann", "schedule", "simulate", "--days", "30",
                 "--retention", "0.8", "0.9", "--json"]) == 0  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert [r["retention"] for r in data["retentions"]] == [0.8, 0.9]
    assert main(["--db", sqlite_url, "--profile", "ann", "schedule", "optimize", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["enough"] == "none" and data["used"] is False and data["reviews"] == 0
    assert main(["--db", sqlite_url, "--profile", "ann", "schedule", "simulate",
                 "--retention", "1.5"]) == 1  # fmt: skip
    assert "retentions from 0.70 to 0.99" in capsys.readouterr().err
