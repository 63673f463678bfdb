"""Teacher roles and PINs: hashed with scrypt, checked in constant time, wrong PINs change
nothing, and teacher-only services refuse anyone else."""

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
)
from quiz.services.database import Database
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
    first, second = hash_pin("4321"), hash_pin("4321")
    assert first.startswith("scrypt$n=16384,r=8,p=1$")
    assert "4321" not in first
    assert first != second  # a fresh salt each time
    assert verify_pin("4321", first) and verify_pin("4321", second)
    assert not verify_pin("1234", first)
    assert not verify_pin("4321", None)
    assert not verify_pin("4321", "garbage")


def test_short_pin_is_refused() -> None:
    with pytest.raises(QuizError, match="4 to 64 characters"):
        hash_pin("12")


def test_teacher_unlocks_with_the_right_pin_only(database: Database) -> None:
    teacher = create_teacher(database, "ann", "4321", NOW)
    is_teacher, stored = _profile_row(database, "ann")
    assert is_teacher and stored is not None and verify_pin("4321", stored)
    assert unlock_teacher(database, "ann", "4321") == teacher
    with pytest.raises(QuizError, match=r"^wrong PIN for ann; try again$"):
        unlock_teacher(database, "ann", "1234")
    assert _profile_row(database, "ann") == (True, stored)  # nothing changed


def test_a_student_cannot_unlock_or_use_teacher_functions(database: Database) -> None:
    create_teacher(database, "ann", "4321", NOW)
    get_or_create_profile(database, "bob", NOW)
    with pytest.raises(QuizError, match="bob is not a teacher"):
        unlock_teacher(database, "bob", "4321")
    with pytest.raises(QuizError, match="wrong PIN for ann"):
        unlock_teacher(database, "ann", "0000")
    with pytest.raises(QuizError, match="comes only from unlock_teacher"):
        Teacher(2, "bob")  # cannot be forged
    assert _drill_count(database) == 0
    assert _profile_row(database, "bob") == (False, None)


def test_only_a_teacher_can_make_another_teacher(database: Database) -> None:
    ann = create_teacher(database, "ann", "4321", NOW)  # the first needs nobody's leave
    bob = get_or_create_profile(database, "bob", NOW)
    with pytest.raises(QuizError, match="only a teacher can make another teacher"):
        make_teacher(database, bob.id, "9999")
    with pytest.raises(QuizError, match="only a teacher can make another teacher"):
        create_teacher(database, "cat", "9999", NOW)
    assert _profile_row(database, "bob") == (False, None)
    with database.sessions() as session:
        assert session.scalar(select(Profile).where(Profile.name == "cat")) is None
    bob_teacher = make_teacher(database, bob.id, "9999", by=ann)
    assert unlock_teacher(database, "bob", "9999") == bob_teacher


def test_a_demoted_teacher_is_refused_even_when_unlocked_before(database: Database) -> None:
    ann = create_teacher(database, "ann", "4321", NOW)
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
    ann = create_teacher(database, "ann", "4321", NOW)
    change_pin(database, ann, "5555")
    assert unlock_teacher(database, "ann", "5555") == ann
    with pytest.raises(QuizError, match="wrong PIN"):
        unlock_teacher(database, "ann", "4321")
