"""History: a learner's own sessions and answers, with figures matching what was written;
every answer as a person reads it; and `quiz history` / `quiz stats` end to end."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from quiz.bank.schema import parse_question
from quiz.cli import main
from quiz.core.responses import dump_response
from quiz.errors import QuizError
from quiz.services.answering import (
    AGAIN,
    GOOD,
    ChoiceResponse,
    Cloze,
    GapsResponse,
    MultipleChoice,
    Ordering,
    OrderResponse,
    RecallResponse,
    Response,
    TrueFalse,
    TruthResponse,
    TypedResponse,
    describe_response,
)
from quiz.services.cards import sync_cards
from quiz.services.database import Database, open_database
from quiz.services.history import ANSWER_FIELDS, history, session_answers, write_csv
from quiz.services.mock_exam import answer_exam, finish_exam, start_exam
from quiz.services.profiles import ProfileInfo, get_or_create_profile, update_profile_settings
from quiz.services.reviewing import StudyRun, begin, end, rate, submit
from quiz.store.models import Question
from tests.conftest import NOW
from tests.responses import respond


def _learner(database: Database, name: str) -> ProfileInfo:
    """A profile studying in UTC, its cards synced."""
    profile = get_or_create_profile(database, name, NOW)
    sync_cards(database, profile.id)
    return update_profile_settings(database, profile.id, time_zone="UTC")


def _review(
    database: Database, run: StudyRun, question_id: int, response: Response, at: datetime
) -> int:
    """Submit a response in review and rate it as suggested; returns the answer's id."""
    outcome = submit(database, run, question_id, response, 1000, at)
    rate(database, run, outcome.answer_id, outcome.suggested_rating, at)
    return outcome.answer_id


def test_history_lists_own_sessions_with_their_figures(database: Database) -> None:
    ann, bob = _learner(database, "ann"), _learner(database, "bob")
    run = StudyRun(ann)
    card = begin(database, run, NOW).card
    assert run.session_id is None and history(database, ann) == []  # no answer, no session
    written = []
    for n, (ok, rating) in enumerate([(True, 3), (False, 1), (True, 4)]):
        moment = NOW + timedelta(minutes=n)
        assert card is not None
        question = card.question
        response = respond(question, ok)
        outcome = submit(database, run, card.question_id, response, 2000 + n, moment)
        assert outcome.checked.self_graded or outcome.checked.correct is ok  # graded by submit
        written.append((card.question_id, ok, rating, response, question.prompt_text))
        card = rate(database, run, outcome.answer_id, rating, moment).card
    review = run.session_id
    assert review is not None
    summary = end(database, run, NOW + timedelta(minutes=5))
    assert summary is not None and (summary.cards, summary.correct) == (3, 2)
    exam = start_exam(database, ann, NOW + timedelta(hours=1), count=4, seed=2)
    first = exam.questions[0]
    outcome = answer_exam(
        database,
        exam.paper_id,
        first.question_id,
        respond(first.question, True, first.options, paper=True),
        900,
        NOW + timedelta(hours=1, minutes=1),
    )
    assert outcome.checked.correct
    finish_exam(database, exam.paper_id, NOW + timedelta(hours=1, minutes=10))

    rows = history(database, ann)
    assert [(r.kind, r.answered, r.correct) for r in rows] == [("exam", 1, 1), ("review", 3, 2)]
    # finished after its 6-minute limit (1.5 a question): the exam ended at its deadline
    assert rows[0].score == pytest.approx(0.25) and rows[0].seconds == 360
    assert rows[1].score is None and rows[1].seconds == 300
    assert rows[1].started_at == NOW  # the session started with its first answer
    assert rows[1].accuracy == pytest.approx(2 / 3)
    assert [r.session_id for r in history(database, ann, limit=1, offset=1)] == [review]

    # bob: a visit without an answer leaves no session; each visit is a new session
    idle = StudyRun(bob)
    assert begin(database, idle, NOW).card is not None
    assert end(database, idle, NOW + timedelta(minutes=1)) is None
    assert idle.session_id is None and history(database, bob) == []
    visits = []
    for visit in range(2):
        at = NOW + timedelta(hours=2 + visit)
        bobs = StudyRun(bob)
        next_up = begin(database, bobs, at).card
        assert next_up is not None
        answered_at = at + timedelta(seconds=30)
        _review(
            database,
            bobs,
            next_up.question_id,
            respond(next_up.question),
            answered_at,
        )
        end(database, bobs, at + timedelta(minutes=1))
        visits.append((bobs.session_id, answered_at))
    assert [(r.session_id, r.started_at) for r in history(database, bob)] == visits[::-1]
    assert [(r.kind, r.answered) for r in history(database, bob)] == [("review", 1)] * 2

    answers = session_answers(database, ann, review)
    assert [
        (a.question_id, a.correct, a.rating, a.response, a.answer, a.prompt) for a in answers
    ] == [
        (qid, ok, rating, dump_response(r), describe_response(r), prompt)
        for qid, ok, rating, r, prompt in written
    ]
    assert [a.duration_ms for a in answers] == [2000, 2001, 2002]
    with pytest.raises(QuizError, match="not one of bob's sessions"):
        session_answers(database, bob, review)


def _first_of_each_type(database: Database) -> dict[str, int]:
    with database.sessions() as session:
        rows = session.execute(select(Question.type, Question.id).order_by(Question.id)).all()
    first: dict[str, int] = {}
    for kind, question_id in rows:
        first.setdefault(kind, question_id)
    return first


def test_every_question_type_reads_as_given_in_history_and_csv(database: Database) -> None:
    ann = _learner(database, "ann")
    ids = _first_of_each_type(database)
    assert set(ids) == {
        "short_answer",
        "cloze",
        "multiple_choice",
        "true_false",
        "ordering",
        "flashcard",
    }
    with database.sessions() as session:
        questions = {
            kind: parse_question(session.get(Question, qid).data)  # type: ignore[union-attr]
            for kind, qid in ids.items()
        }
    cloze, choice = questions["cloze"], questions["multiple_choice"]
    truth, order = questions["true_false"], questions["ordering"]
    assert isinstance(cloze, Cloze) and isinstance(choice, MultipleChoice)
    assert isinstance(truth, TrueFalse) and isinstance(order, Ordering)
    gaps = (f"  {cloze.gaps[0].answer}", *["no idea"] * (len(cloze.gaps) - 1))
    items = tuple(reversed(order.items))
    # (question type, the response given, the answer as a person reads it)
    given: list[tuple[str, Response, str]] = [
        (
            "short_answer",
            TypedResponse(typed='the "Treaty" of PARIS, 1856'),
            'the "Treaty" of PARIS, 1856',
        ),
        ("cloze", GapsResponse(gaps=gaps), " | ".join(gap.strip() for gap in gaps)),
        (
            "multiple_choice",
            ChoiceResponse(selected=(choice.choices[-1],), shown=tuple(choice.choices)),
            choice.choices[-1],
        ),
        ("true_false", TruthResponse(truth=not truth.answer), str(not truth.answer)),
        ("ordering", OrderResponse(order=items, shown=tuple(order.items)), " → ".join(items)),
        ("flashcard", RecallResponse(), "(answer shown)"),
    ]
    run = StudyRun(ann)
    begin(database, run, NOW)
    for n, (kind, response, _) in enumerate(given):
        _review(database, run, ids[kind], response, NOW + timedelta(minutes=n))
    assert run.session_id is not None
    end(database, run, NOW + timedelta(minutes=10))

    answers = session_answers(database, ann, run.session_id)
    assert [a.question_id for a in answers] == [ids[kind] for kind, _, _ in given]
    assert [a.answer for a in answers] == [text for _, _, text in given]
    assert [a.to_dict()["answer"] for a in answers] == [text for _, _, text in given]
    assert [a.response for a in answers] == [dump_response(r) for _, r, _ in given]

    out = io.StringIO()
    write_csv([a.to_dict() for a in answers], ANSWER_FIELDS, out)
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(table[0]) == list(ANSWER_FIELDS) and "response" not in table[0]
    assert [row["answer"] for row in table] == [text for _, _, text in given]
    assert not any(mark in row["answer"] for row in table for mark in "{}")
    assert '{"' not in out.getvalue()  # no JSON anywhere in the file
    assert [row["correct"] for row in table] == [str(a.correct) for a in answers]


def _seed_cli_db(path: Path) -> tuple[int, list[str]]:
    """A database where ann just answered two cards in review, the first right, the
    second wrong; returns the session id and the answers as a person reads them."""
    moment = datetime.now(UTC)
    database = open_database(f"sqlite:///{path}", moment)
    try:
        ann = get_or_create_profile(database, "ann", moment)
        sync_cards(database, ann.id)
        run = StudyRun(ann)
        card = begin(database, run, moment).card
        texts = []
        for ok in (True, False):
            assert card is not None
            response = respond(card.question, ok)
            outcome = submit(database, run, card.question_id, response, 1500, moment)
            assert outcome.checked.self_graded or outcome.checked.correct is ok
            texts.append(describe_response(response))
            card = rate(database, run, outcome.answer_id, GOOD if ok else AGAIN, moment).card
        end(database, run, moment)
        assert run.session_id is not None
        return run.session_id, texts
    finally:
        database.close()


def test_history_cli_json_csv_and_refusal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "q.db"
    session_id, texts = _seed_cli_db(db)
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
    assert [a["answer"] for a in answers] == texts and "response" not in answers[0]
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


def test_history_cli_text_shows_local_times_and_durations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The text listing reads like the TUI: times on the learner's clock (their time
    zone, to the minute; answers to the second), kinds by name, durations in words."""
    db = tmp_path / "q.db"
    session_id, _texts = _seed_cli_db(db)
    database = open_database(f"sqlite:///{db}", datetime.now(UTC))
    try:
        ann = get_or_create_profile(database, "ann", datetime.now(UTC))
        update_profile_settings(database, ann.id, time_zone="Asia/Tokyo")
        started = history(database, ann)[0].started_at
        answered = [a.answered_at for a in session_answers(database, ann, session_id)]
    finally:
        database.close()
    tokyo = ZoneInfo("Asia/Tokyo")
    assert main(["--db", str(db), "--profile", "ann", "history"]) == 0
    out = capsys.readouterr().out
    assert out == (
        f"#{session_id} Review    {started.astimezone(tokyo):%Y-%m-%d %H:%M}  "
        "2 answered, 1 right, 0 s\n"
    )
    assert main(["--db", str(db), "--profile", "ann", "history", "--session", str(session_id)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line[:19] for line in lines] == [
        f"{a.astimezone(tokyo):%Y-%m-%d %H:%M:%S}" for a in answered
    ]
    assert "+00:00" not in "".join(lines) and "." not in lines[0][:19]
