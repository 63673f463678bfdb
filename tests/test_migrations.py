"""Alembic owns the schema: models and migrations agree, and upgrades keep the data."""

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from quiz.errors import QuizError
from quiz.store.engine import make_engine
from quiz.store.migrate import SCHEMA_HEAD, alembic_config, current_revision, upgrade
from quiz.store.models import Base
from tests.conftest import NOW


def _revisions_oldest_first(url: str) -> list[str]:
    engine = make_engine(url)
    script = ScriptDirectory.from_config(alembic_config(engine))
    engine.dispose()
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def test_schema_head_constant_is_alembic_head(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    script = ScriptDirectory.from_config(alembic_config(engine))
    assert script.get_heads() == [SCHEMA_HEAD]


def test_models_and_migrations_agree(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, NOW)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


# Data written at each revision, and how to check it survived to head. Add an entry with
# every new revision so that upgrading from each earlier one is proven to keep the data.
def _seed_0001(connection: Connection) -> None:
    connection.execute(
        text(
            "INSERT INTO decks (id, name, title, description, material, fingerprint, created_at,"
            " updated_at) VALUES (1, 'd', 'Deck', '', 'm.txt', 'f', '2026-01-01 00:00:00',"
            " '2026-01-01 00:00:00')"
        )
    )
    connection.execute(
        text(
            "INSERT INTO questions (id, key, deck_id, type, topic, tags, difficulty, prompt, data,"
            " content_hash, created_at, updated_at) VALUES (1, 'q1', 1, 'flashcard', 't', '[]', 1,"
            " 'front?', '{\"type\": \"flashcard\"}', 'h', '2026-01-01 00:00:00',"
            " '2026-01-01 00:00:00')"
        )
    )
    connection.execute(
        text(
            "INSERT INTO profiles (id, name, is_teacher, desired_retention, new_per_day,"
            " max_reviews_per_day, day_start_hour, learning_steps_minutes, created_at)"
            " VALUES (1, 'ann', false, 0.9, 20, 200, 4, '[1, 10]', '2026-01-01 00:00:00')"
        )
    )
    connection.execute(
        text(
            "INSERT INTO card_states (profile_id, question_id, state, step, stability, difficulty,"
            " due, last_review, reps, lapses, suspended) VALUES (1, 1, 2, NULL, 3.5, 5.0,"
            " '2026-01-05 00:00:00', '2026-01-01 00:00:00', 1, 0, false)"
        )
    )
    connection.execute(
        text(
            "INSERT INTO study_sessions (id, profile_id, kind, deck_id, started_at)"
            " VALUES (1, 1, 'review', 1, '2026-01-01 00:00:00')"
        )
    )
    connection.execute(
        text(
            "INSERT INTO answers (id, session_id, profile_id, question_id, answered_at, response,"
            " correct, duration_ms, rating) VALUES (1, 1, 1, 1, '2026-01-01 00:00:00',"
            " '{\"revealed\": true}', true, 1234, 3)"
        )
    )


def _check_0001(connection: Connection) -> None:
    assert connection.execute(text("SELECT key, prompt FROM questions")).all() == [("q1", "front?")]
    assert connection.execute(text("SELECT name FROM profiles")).scalar() == "ann"
    assert connection.execute(text("SELECT stability FROM card_states")).scalar() == 3.5
    assert connection.execute(text("SELECT duration_ms, rating FROM answers")).one() == (1234, 3)


def _check_0002(connection: Connection) -> None:
    _check_0001(connection)
    assert connection.execute(text("SELECT synced_question_id FROM profiles")).scalar() == 0


def _check_0003(connection: Connection) -> None:
    _check_0002(connection)
    assert connection.execute(text("SELECT exam_date FROM profiles")).scalar() is None
    assert connection.execute(text("SELECT drill_id, score FROM study_sessions")).one() == (
        None,
        None,
    )


def _check_0004(connection: Connection) -> None:
    _check_0003(connection)
    buckets = connection.execute(
        text("SELECT profile_id, starts_at, answers, correct FROM answer_buckets")
    ).all()
    assert [(p, str(s)[:19], a, c) for p, s, a, c in buckets] == [(1, "2026-01-01 00:00:00", 1, 1)]


def _check_0010(connection: Connection) -> None:
    _check_0004(connection)
    throttle = connection.execute(text("SELECT pin_failures, pin_locked_until FROM profiles"))
    assert throttle.one() == (0, None)


def _check_0014(connection: Connection) -> None:
    _check_0010(connection)
    copied = connection.execute(text("SELECT topic, retired FROM card_states")).one()
    assert (copied[0], bool(copied[1])) == ("t", False)  # filled in from the question


def _check_0015(connection: Connection) -> None:
    _check_0014(connection)
    assert connection.execute(text("SELECT deck_id FROM card_states")).scalar() == 1


SEEDS = {
    "0001_initial": (_seed_0001, _check_0015),
    "0002_study_queue": (_seed_0001, _check_0015),
    "0003_drills_and_exams": (_seed_0001, _check_0015),
    "0004_answer_buckets": (_seed_0001, _check_0015),
    "0005_profile_time_zone": (_seed_0001, _check_0015),
    "0006_answer_bucket_updates": (_seed_0001, _check_0015),
    "0007_question_fact": (_seed_0001, _check_0015),
    "0008_answer_override": (_seed_0001, _check_0015),
    "0009_extra_new_today": (_seed_0001, _check_0015),
    "0010_pin_throttle": (_seed_0001, _check_0015),
    "0011_class_files": (_seed_0001, _check_0015),
    "0012_fsrs_parameters": (_seed_0001, _check_0015),
    "0013_statistics_indexes": (_seed_0001, _check_0015),
    "0014_card_topics": (_seed_0001, _check_0015),
    "0015_card_decks": (_seed_0001, _check_0015),
}


def test_every_revision_has_seed_data(sqlite_url: str) -> None:
    assert set(_revisions_oldest_first(sqlite_url)) == set(SEEDS)


@pytest.mark.parametrize("start", list(SEEDS))
def test_upgrade_from_each_revision_keeps_data(db_url: str, start: str) -> None:
    engine = make_engine(db_url)
    config = alembic_config(engine)
    command.upgrade(config, start)
    seed, check = SEEDS[start]
    with engine.begin() as connection:
        seed(connection)
    upgrade(engine, NOW)
    assert current_revision(engine) == SCHEMA_HEAD
    with engine.connect() as connection:
        check(connection)
    engine.dispose()


def test_0014_card_rows_follow_their_question(db_url: str) -> None:
    """The triggers keep the copy: a new topic, a retirement and a restoration of the
    question reach its card rows, whatever statement made them."""
    engine = make_engine(db_url)
    command.upgrade(alembic_config(engine), "0013_statistics_indexes")
    with engine.begin() as connection:
        _seed_0001(connection)
    upgrade(engine, NOW)

    def card() -> tuple[str, bool]:
        with engine.connect() as connection:
            topic, retired = connection.execute(
                text("SELECT topic, retired FROM card_states")
            ).one()
        return topic, bool(retired)

    with engine.begin() as connection:
        connection.execute(text("UPDATE questions SET topic = 'u'"))
    assert card() == ("u", False)
    with engine.begin() as connection:
        connection.execute(text("UPDATE questions SET retired_at = '2026-02-01 00:00:00'"))
    assert card() == ("u", True)
    with engine.begin() as connection:
        connection.execute(text("UPDATE questions SET retired_at = NULL, topic = 'v'"))
    assert card() == ("v", False)
    engine.dispose()


def _seed_0014_two_decks(connection: Connection) -> None:
    """Two decks, two learners synced as the app at 0014 writes card rows (with topic and
    retired, from an INSERT ... SELECT of the questions)."""
    _seed_0001(connection)
    connection.execute(
        text(
            "INSERT INTO decks (id, name, title, description, material, fingerprint, created_at,"
            " updated_at) VALUES (2, 'e', 'Other', '', 'm.txt', 'f', '2026-01-01 00:00:00',"
            " '2026-01-01 00:00:00')"
        )
    )
    for number, deck in ((2, 1), (3, 2), (4, 2)):
        connection.execute(
            text(
                "INSERT INTO questions (id, key, deck_id, type, topic, tags, difficulty, prompt,"
                " data, content_hash, created_at, updated_at) VALUES (:id, :key, :deck,"
                " 'flashcard', 't', '[]', 1, 'front?', '{}', 'h', '2026-01-01 00:00:00',"
                " '2026-01-01 00:00:00')"
            ),
            {"id": number, "key": f"q{number}", "deck": deck},
        )
    connection.execute(
        text(
            "INSERT INTO profiles (id, name, is_teacher, desired_retention, new_per_day,"
            " max_reviews_per_day, day_start_hour, learning_steps_minutes, created_at)"
            " VALUES (2, 'bob', false, 0.9, 20, 200, 4, '[1, 10]', '2026-01-01 00:00:00')"
        )
    )
    for profile, after in ((1, 1), (2, 0)):
        connection.execute(
            text(
                "INSERT INTO card_states (profile_id, question_id, state, due, reps, lapses,"
                " suspended, topic, retired) SELECT :profile, id, 0, created_at, 0, 0, false,"
                " topic, retired_at IS NOT NULL FROM questions WHERE id > :after"
            ),
            {"profile": profile, "after": after},
        )


def _card_decks(engine: Engine) -> dict[tuple[int, int], int]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT profile_id, question_id, deck_id FROM card_states"))
        return {(profile, question): deck for profile, question, deck in rows}


def test_0015_card_rows_get_and_follow_their_deck(db_url: str) -> None:
    """The upgrade fills in every card row's deck from its question; a question moved to
    another deck (by any statement: the imports never move one) takes its cards along; a
    card row inserted without its deck gets it."""
    engine = make_engine(db_url)
    command.upgrade(alembic_config(engine), "0014_card_topics")
    with engine.begin() as connection:
        _seed_0014_two_decks(connection)
    upgrade(engine, NOW)
    decks = {1: 1, 2: 1, 3: 2, 4: 2}
    assert _card_decks(engine) == {(p, q): decks[q] for p in (1, 2) for q in decks}

    with engine.begin() as connection:
        connection.execute(text("UPDATE questions SET deck_id = 2 WHERE id = 2"))
        connection.execute(text("UPDATE questions SET topic = 'u' WHERE id = 3"))  # stays
    decks[2] = 2
    assert _card_decks(engine) == {(p, q): decks[q] for p in (1, 2) for q in decks}

    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO profiles (id, name, is_teacher, desired_retention, new_per_day,"
                " max_reviews_per_day, day_start_hour, learning_steps_minutes, created_at)"
                " VALUES (3, 'cy', false, 0.9, 20, 200, 4, '[1, 10]', '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO card_states (profile_id, question_id, state, due, reps, lapses,"
                " suspended) SELECT 3, id, 0, created_at, 0, 0, false FROM questions"
            )
        )
    assert {q: d for (p, q), d in _card_decks(engine).items() if p == 3} == decks
    engine.dispose()


def test_0006_recounts_buckets_an_in_place_answer_change_left_off(db_url: str) -> None:
    """Before 0006 a replaced exam answer moved no bucket; upgrading recounts them, and from
    then on an update moves the counts."""
    engine = make_engine(db_url)
    command.upgrade(alembic_config(engine), "0005_profile_time_zone")
    with engine.begin() as connection:
        _seed_0001(connection)
        connection.execute(text("UPDATE answers SET correct = false"))  # no trigger yet
    upgrade(engine, NOW)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT answers, correct FROM answer_buckets")).one() == (
            1,
            0,
        )
        connection.execute(
            text("UPDATE answers SET correct = true, answered_at = '2026-01-01 00:20:00'")
        )
        buckets = connection.execute(
            text("SELECT starts_at, answers, correct FROM answer_buckets ORDER BY starts_at")
        ).all()
    assert [(str(s)[:19], a, c) for s, a, c in buckets] == [
        ("2026-01-01 00:00:00", 0, 0),
        ("2026-01-01 00:15:00", 1, 1),
    ]
    engine.dispose()


def test_upgrade_backs_up_an_existing_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{path}")
    config = alembic_config(engine)
    command.upgrade(config, "head")
    command.downgrade(config, "-1")  # an existing file behind head
    backup = upgrade(engine, NOW)
    engine.dispose()
    assert backup == tmp_path / "old.db.backup-20260330T090000Z"
    with sqlite3.connect(backup) as copy:
        tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
    assert "alembic_version" in tables


def test_a_new_database_is_not_backed_up(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    assert upgrade(engine, NOW) is None
    engine.dispose()
    assert [p.name for p in tmp_path.iterdir() if "backup" in p.name] == []


def test_database_newer_than_the_code_is_refused(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, NOW)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(QuizError, match="newer quiz"):
        upgrade(engine, NOW)
    assert current_revision(engine) == "9999_future"
    engine.dispose()


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    before = path.read_bytes()
    engine = make_engine(f"sqlite:///{path}")
    with pytest.raises(QuizError, match="is not a SQLite database"):
        upgrade(engine, NOW)
    engine.dispose()
    assert path.read_bytes() == before


def test_a_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE invoices (id INTEGER)")
    engine = make_engine(f"sqlite:///{path}")
    with pytest.raises(QuizError, match="not a quiz database"):
        upgrade(engine, NOW)
    engine.dispose()


def test_sqlite_connections_get_wal_foreign_keys_and_busy_timeout(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    engine.dispose()


def test_an_emptied_revision_table_is_one_sentence_and_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "quiz.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, NOW)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM alembic_version"))
    with pytest.raises(QuizError, match="no schema revision; there is no backup"):
        upgrade(engine, NOW)
    engine.dispose()
    assert [p.name for p in tmp_path.iterdir() if "backup" in p.name] == []
