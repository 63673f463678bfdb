"""The load test (`python -m quiz.loadtest`), bounded to a few seconds: learners join and
answer at once on SQLite and PostgreSQL; nothing lost, nothing twice, no error."""

import pytest

from quiz.errors import QuizError
from quiz.loadtest import check_loopback, run_load


def test_a_short_load_loses_nothing(db_url: str) -> None:
    result = run_load(db_url, learners=6, join=1.0, seconds=3.0, think=0.2, processes=2)
    assert result["joined"] == 6
    assert result["answers_sent"] > 6 and result["answers_stored"] == result["answers_sent"]
    assert result["answers_doubled"] == 0
    assert result["raw_errors"] == 0 and result["learner_errors"] == 0
    assert result["passed"] and result["drill_answer"]["median_ms"] is not None


def test_it_never_loads_a_server_off_this_machine() -> None:
    with pytest.raises(QuizError, match="only against a database on this machine"):
        check_loopback("postgresql+psycopg://teacher@db.school:5432/class")
