"""History: a learner's own sessions and answers, with figures matching what was written;
and `quiz history` / `quiz stats` end to end."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz.cli import main
from quiz.errors import QuizError
from quiz.services.database import Database, open_database
from quiz.services.exam import finish_exam, record_exam_answer, start_exam
from quiz.services.history import history, session_answers
from quiz.services.profiles import get_or_create_profile
from quiz.services.study import finish_session, next_card, record_answer, start_session, sync_cards
from tests.conftest import NOW


def test_history_lists_own_sessions_with_their_figures(database: Database) -> None:
    ann = get_or_create_profile(database, "ann", NOW)
    bob = get_or_create_profile(database, "bob", NOW)
    for p in (ann, bob):
        sync_cards(database, p.id)
    review = start_session(database, ann, NOW, tz=UTC)
    written = []
    for n, (ok, rating) in enumerate([(True, 3), (False, 1), (True, 4)]):
        moment = NOW + timedelta(minutes=n)
        card = next_card(database, ann, moment, tz=UTC)
        assert card is not None
        record_answer(
            database,
            review,
            ann,
            card,
            {"text": f"r{n}"},
            ok,
            2000 + n,
            moment,
            rating=rating,
            tz=UTC,
        )
        written.append((card.question_id, ok, rating, f"r{n}", card.question.prompt_text))
    finish_session(database, review, ann, NOW + timedelta(minutes=5), tz=UTC)
    exam = start_exam(database, ann, NOW + timedelta(hours=1), count=4, seed=2)
    record_exam_answer(
        database,
        exam.exam_id,
        exam.questions[0].question_id,
        {"text": "e"},
        True,
        900,
        NOW + timedelta(hours=1, minutes=1),
    )
    finish_exam(database, exam.exam_id, NOW + timedelta(hours=1, minutes=10))
    start_session(database, bob, NOW, tz=UTC)

    rows = history(database, ann)
    assert [(r.kind, r.answered, r.correct) for r in rows] == [("exam", 1, 1), ("review", 3, 2)]
    # finished after its 6-minute limit (1.5 a question): the exam ended at its deadline
    assert rows[0].score == pytest.approx(0.25) and rows[0].seconds == 360
    assert rows[1].score is None and rows[1].seconds == 300
    assert rows[1].accuracy == pytest.approx(2 / 3)
    assert [r.session_id for r in history(database, ann, limit=1, offset=1)] == [review]
    assert [r.kind for r in history(database, bob)] == ["review"]

    answers = session_answers(database, ann, review)
    assert [
        (a.question_id, a.correct, a.rating, a.response["text"], a.prompt) for a in answers
    ] == written
    assert [a.duration_ms for a in answers] == [2000, 2001, 2002]
    with pytest.raises(QuizError, match="not one of bob's sessions"):
        session_answers(database, bob, review)


def _seed_cli_db(path: Path) -> int:
    """A database where ann answered two cards just now; returns the session id."""
    moment = datetime.now(UTC)
    database = open_database(f"sqlite:///{path}", moment)
    try:
        ann = get_or_create_profile(database, "ann", moment)
        sync_cards(database, ann.id)
        session_id = start_session(database, ann, moment)
        for n, ok in enumerate([True, False]):
            card = next_card(database, ann, moment)
            assert card is not None
            record_answer(database, session_id, ann, card, {"text": f"a{n}"}, ok, 1500, moment, 3)
        return session_id
    finally:
        database.close()


def test_history_cli_json_csv_and_refusal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "q.db"
    session_id = _seed_cli_db(db)
    assert main(["--db", str(db), "--profile", "ann", "history", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["session_id"], r["kind"], r["answered"], r["correct"]) for r in rows] == [
        (session_id, "review", 2, 1)
    ]
    assert main(["--db", str(db), "--profile", "ann", "history", "--csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(t["session_id"], t["answered"], t["correct"]) for t in table] == [
        (str(session_id), "2", "1")
    ]
    assert (
        main(
            ["--db", str(db), "--profile", "ann", "history", "--session", str(session_id), "--csv"]
        )
        == 0
    )
    answers = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [json.loads(a["response"])["text"] for a in answers] == ["a0", "a1"]
    assert [a["correct"] for a in answers] == ["True", "False"]
    assert main(["--db", str(db), "--profile", "bob", "history", "--session", str(session_id)]) == 1
    assert "not one of bob's sessions" in capsys.readouterr().err


def test_stats_cli_json_keeps_old_keys_and_adds_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "q.db"
    _seed_cli_db(db)
    assert main(["--db", str(db), "--profile", "ann", "stats", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["profile"] == "ann"
    assert figures["today"] == {"answers": 2, "correct": 1, "accuracy": 0.5}
    assert {"due_now", "new_available_today", "streak_days"} <= set(figures)
    assert figures["streak_days"] == 1
    assert len(figures["days"]) == 28
    assert figures["days"][-1]["answers"] == 2 and figures["days"][-1]["accuracy"] == 0.5
    assert sum(figures["calendar"].values()) == 2
    assert figures["true_retention"] == {"reviews": 0, "passed": 0, "rate": None}
    assert len(figures["due_forecast"]) == 30
    assert sum(t["seen"] for t in figures["topics"]) == 2
    assert figures["exam"] is None

    later = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    assert main(["--db", str(db), "--profile", "ann", "exam-date", later]) == 0
    assert "day(s) left" in capsys.readouterr().out
    assert main(["--db", str(db), "--profile", "ann", "stats", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)["exam"]
    assert plan["exam_date"] == later and plan["days_left"] in (29, 30, 31)
    assert plan["cards_to_see"] == sum(t["cards"] for t in figures["topics"])
    assert main(["--db", str(db), "--profile", "ann", "exam-date", "2000-01-01"]) == 1
    assert "already past" in capsys.readouterr().err
