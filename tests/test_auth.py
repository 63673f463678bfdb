"""Teacher roles and PINs: hashed with scrypt, checked in constant time, wrong PINs change
nothing, and teacher-only services refuse anyone else."""

import base64
import hashlib
import os
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quiz.bank.drill import DrillSpec
from quiz.errors import QuizError
from quiz.services.auth import (
    Teacher,
    change_pin,
    create_teacher,
    hash_pin,
    make_teacher,
    unlock_teacher,
    verify_pin,
    wait_after,
)
from quiz.services.database import Database, open_database
from quiz.services.drills import create_drill, drill_report
from quiz.services.profiles import get_or_create_profile
from quiz.store.models import Drill, Profile
from tests.conftest import NOW

SPEC = DrillSpec(title="Dates", questions=["tp-signed-date", "tp-russia-side"])


def _profile_row(database: Database, name: str) -> tuple[bool, str | None]:
    with database.sessions() as session:
        row = session.scalar(select(Profile).where(Profile.name == name))
        assert row is not None
        return row.is_teacher, row.pin_hash


def _drill_count(database: Database) -> int:
    with database.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Drill)) or 0)


def test_pin_is_stored_as_a_salted_scrypt_hash() -> None:
    first, second = hash_pin("654321"), hash_pin("654321")
    assert first.startswith("scrypt$n=16384,r=8,p=1$")
    assert "654321" not in first
    assert first != second  # a fresh salt each time
    assert verify_pin("654321", first) and verify_pin("654321", second)
    assert not verify_pin("1234", first)
    assert not verify_pin("654321", None)
    assert not verify_pin("654321", "garbage")


def test_short_pin_is_refused() -> None:
    with pytest.raises(QuizError, match="6 to 64 characters"):
        hash_pin("12")


def test_teacher_unlocks_with_the_right_pin_only(database: Database) -> None:
    teacher = create_teacher(database, "ann", "654321", NOW)
    is_teacher, stored = _profile_row(database, "ann")
    assert is_teacher and stored is not None and verify_pin("654321", stored)
    assert unlock_teacher(database, "ann", "654321", NOW) == teacher
    with pytest.raises(QuizError, match=r"^wrong PIN for ann; try again$"):
        unlock_teacher(database, "ann", "1234", NOW)
    assert _profile_row(database, "ann") == (True, stored)  # nothing changed


def test_a_student_cannot_unlock_or_use_teacher_functions(database: Database) -> None:
    create_teacher(database, "ann", "654321", NOW)
    get_or_create_profile(database, "bob", NOW)
    with pytest.raises(QuizError, match="bob is not a teacher"):
        unlock_teacher(database, "bob", "654321", NOW)
    with pytest.raises(QuizError, match="wrong PIN for ann"):
        unlock_teacher(database, "ann", "0000", NOW)
    with pytest.raises(QuizError, match="comes only from unlock_teacher"):
        Teacher(2, "bob")  # cannot be forged
    assert _drill_count(database) == 0
    assert _profile_row(database, "bob") == (False, None)


def test_only_a_teacher_can_make_another_teacher(database: Database) -> None:
    ann = create_teacher(database, "ann", "654321", NOW)  # the first needs nobody's leave
    bob = get_or_create_profile(database, "bob", NOW)
    with pytest.raises(QuizError, match="only a teacher can make another teacher"):
        make_teacher(database, bob.id, "999999")
    with pytest.raises(QuizError, match="only a teacher can make another teacher"):
        create_teacher(database, "cat", "999999", NOW)
    assert _profile_row(database, "bob") == (False, None)
    with database.sessions() as session:
        assert session.scalar(select(Profile).where(Profile.name == "cat")) is None
    bob_teacher = make_teacher(database, bob.id, "999999", by=ann)
    assert unlock_teacher(database, "bob", "999999", NOW) == bob_teacher


def test_a_demoted_teacher_is_refused_even_when_unlocked_before(database: Database) -> None:
    ann = create_teacher(database, "ann", "654321", NOW)
    created = create_drill(database, ann, SPEC, NOW)
    with database.sessions.begin() as session:
        row = session.scalar(select(Profile).where(Profile.name == "ann"))
        assert row is not None
        row.is_teacher = False
    with pytest.raises(QuizError, match="no longer a teacher"):
        create_drill(database, ann, SPEC.model_copy(update={"title": "Other"}), NOW)
    with pytest.raises(QuizError, match="no longer a teacher"):
        drill_report(database, ann, created.id, NOW)
    assert _drill_count(database) == 1


def test_change_pin(database: Database) -> None:
    ann = create_teacher(database, "ann", "654321", NOW)
    change_pin(database, ann, "555555")
    assert unlock_teacher(database, "ann", "555555", NOW) == ann
    with pytest.raises(QuizError, match="wrong PIN"):
        unlock_teacher(database, "ann", "654321", NOW)


def test_wrong_pins_in_a_row_make_the_next_try_wait_longer(database: Database) -> None:
    create_teacher(database, "ann", "654321", NOW)
    for _ in range(2):  # the first tries are free
        with pytest.raises(QuizError, match=r"^wrong PIN for ann; try again$"):
            unlock_teacher(database, "ann", "000000", NOW)
    with pytest.raises(QuizError, match=r"^wrong PIN for ann; try again in 30 seconds$"):
        unlock_teacher(database, "ann", "000000", NOW)
    # while locked out even the right PIN is refused, and not counted
    with pytest.raises(QuizError, match=r"^too many wrong PINs for ann; try again in 20 seconds$"):
        unlock_teacher(database, "ann", "654321", NOW + timedelta(seconds=10))
    later = NOW + timedelta(seconds=30)
    with pytest.raises(QuizError, match=r"try again in 60 seconds$"):
        unlock_teacher(database, "ann", "000000", later)
    with pytest.raises(QuizError, match="too many wrong PINs"):
        unlock_teacher(database, "ann", "654321", later + timedelta(seconds=59))
    assert unlock_teacher(database, "ann", "654321", later + timedelta(seconds=60)).name == "ann"
    # the right PIN clears the count: the next wrong one is free again
    with pytest.raises(QuizError, match=r"^wrong PIN for ann; try again$"):
        unlock_teacher(database, "ann", "000000", later + timedelta(seconds=61))


def test_the_wait_doubles_up_to_an_hour() -> None:
    assert [wait_after(n).total_seconds() for n in range(7)] == [0, 0, 0, 30, 60, 120, 240]
    assert wait_after(10_000) == timedelta(hours=1)


def test_the_lockout_survives_a_restart(sqlite_url: str) -> None:
    first = open_database(sqlite_url, NOW, import_builtin=False)
    create_teacher(first, "ann", "654321", NOW)
    for _ in range(3):
        with pytest.raises(QuizError, match="wrong PIN"):
            unlock_teacher(first, "ann", "000000", NOW)
    first.close()
    again = open_database(sqlite_url, NOW, import_builtin=False)  # a new process, in effect
    try:
        with pytest.raises(QuizError, match="too many wrong PINs for ann"):
            unlock_teacher(again, "ann", "654321", NOW + timedelta(seconds=1))
    finally:
        again.close()


def test_a_new_pin_needs_six_characters_but_an_old_short_one_still_unlocks(
    database: Database,
) -> None:
    with pytest.raises(QuizError, match="a PIN needs 6 to 64 characters"):
        create_teacher(database, "ann", "4321", NOW)
    ann = create_teacher(database, "ann", "654321", NOW)
    with pytest.raises(QuizError, match="a PIN needs 6 to 64 characters"):
        change_pin(database, ann, "1234")
    with database.sessions.begin() as session:  # a 4-digit PIN set before the rule
        row = session.scalar(select(Profile).where(Profile.name == "ann"))
        assert row is not None
        row.pin_hash = _hash_without_the_rule("4321")
    assert unlock_teacher(database, "ann", "4321", NOW) == ann


def _hash_without_the_rule(pin: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    salt_text, digest_text = base64.b64encode(salt).decode(), base64.b64encode(digest).decode()
    return f"scrypt$n=16384,r=8,p=1${salt_text}${digest_text}"
