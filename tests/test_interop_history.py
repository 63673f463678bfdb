"""--with-history: an Anki review log (made by the real Anki scheduler) becomes the
profile's answers, marked as imported, and each card is due when Anki had it due."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from quiz.cli import main
from quiz.interop.apkg_read import open_package
from quiz.services.anki_history import IMPORTED_KIND, anki_due
from quiz.services.database import Database, open_database
from quiz.services.interop import ImportOptions, import_file
from quiz.services.profiles import get_or_create_profile
from quiz.store.models import AnswerRecord, CardState, Question, StudySession
from tests.anki_packages import current_package

NOW = datetime.now(UTC)  # the Anki engine answers cards at the real time


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return current_package(tmp_path / "studied.apkg", notes=3, reviews=8, fsrs=True)


@pytest.fixture
def empty(tmp_path: Path) -> Database:
    return open_database(f"sqlite:///{tmp_path / 'h.db'}", NOW, import_builtin=False)


def test_review_log_becomes_imported_answers_with_anki_due_dates(
    empty: Database, package: Path
) -> None:
    profile = get_or_create_profile(empty, "learner", NOW)
    summary = import_file(empty, package, NOW, options=ImportOptions(history_profile_id=profile.id))
    with open_package(package) as collection:
        reviews = [r for r in collection.reviews if 1 <= r.ease <= 4]
        note_of = {card.id: card.note_id for card in collection.cards}
        dues = {card.note_id: anki_due(card, collection) for card in collection.cards}
        guid_of = {note.id: note.guid for note in collection.notes}
    assert summary.history == len(reviews) == 8
    with empty.sessions() as session:
        sessions = session.scalars(select(StudySession)).all()
        assert [s.kind for s in sessions] == [IMPORTED_KIND]
        answers = session.execute(
            select(
                Question.key, AnswerRecord.rating, AnswerRecord.answered_at, AnswerRecord.correct
            )
            .join(Question)
            .order_by(AnswerRecord.answered_at)
        ).all()
        assert [a.rating for a in answers] == [r.ease for r in reviews]
        assert [a.answered_at for a in answers] == [
            datetime.fromtimestamp(r.id / 1000, UTC) for r in reviews
        ]
        states = {
            key: (state, due, stability)
            for key, state, due, stability in session.execute(
                select(Question.key, CardState.state, CardState.due, CardState.stability).join(
                    Question
                )
            )
        }
    # a single-card note: due exactly when Anki had it due, with Anki's own FSRS memory
    for note_id, guid in guid_of.items():
        cards = [c for c, n in note_of.items() if n == note_id]
        key = "anki-" + guid.encode().hex()
        if len(cards) == 1 and dues[note_id] is not None:
            state, due, stability = states[key]
            assert state != 0 and due == dues[note_id]
            assert stability == pytest.approx(2.3065, abs=0.5)


def test_history_is_not_imported_twice_and_dry_run_writes_none(
    empty: Database, package: Path
) -> None:
    profile = get_or_create_profile(empty, "learner", NOW)
    options = ImportOptions(history_profile_id=profile.id)
    dry = import_file(empty, package, NOW, options=options, dry_run=True)
    assert dry.history == 8
    with empty.sessions() as session:
        assert session.scalars(select(AnswerRecord)).all() == []
    import_file(empty, package, NOW, options=options)
    again = import_file(empty, package, NOW, options=options)
    assert again.history == 0
    with empty.sessions() as session:
        assert len(session.scalars(select(AnswerRecord)).all()) == 8


def test_cli_with_history(
    tmp_path: Path, package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "cli.db")
    args = ["--db", db, "--profile", "me", "bank", "import", str(package), "--with-history"]
    assert main(args) == 0
    assert "8 past answers imported" in capsys.readouterr().out
    assert main(["--db", db, "--profile", "me", "history", "--json"]) == 0
    assert '"kind": "anki_import"' in capsys.readouterr().out
    due_soon = NOW + timedelta(days=3)
    database = open_database(f"sqlite:///{db}", NOW, import_builtin=False)
    with database.sessions() as session:
        dues = session.scalars(select(CardState.due).where(CardState.state != 0)).all()
    database.close()
    assert dues and all(due < due_soon for due in dues)
