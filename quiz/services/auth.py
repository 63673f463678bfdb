"""Roles: a profile may be a teacher, protected by a PIN.

The PIN is stored only as a salted scrypt hash, `scrypt$n=...,r=...,p=...$salt$hash`
(base64), and compared in constant time. Teacher-only services take a `Teacher`, which
only `unlock_teacher` (the right PIN) and `make_teacher` hand out.

Guessing is throttled in the database, so restarting the app does not reset it: every
try is counted before the PIN is checked (parallel tries count too), the right PIN clears
the count, and after `FREE_TRIES` wrong PINs in a row each further try must wait, twice
as long each time, up to `LONGEST_WAIT`.
"""

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import Session

from quiz.errors import QuizError
from quiz.services.database import Database
from quiz.services.profiles import find_profile, get_or_create_profile
from quiz.store.models import Profile

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
PIN_MIN, PIN_MAX = 6, 64  # PIN_MIN for a new PIN; older, shorter PINs still unlock
FREE_TRIES = 3
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
_UNLOCKED = object()  # only this module can make a Teacher


@dataclass(frozen=True)
class Teacher:
    """A teacher profile that was unlocked with its PIN."""

    profile_id: int
    name: str
    _key: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._key is not _UNLOCKED:
            raise QuizError("a Teacher comes only from unlock_teacher (the teacher's PIN)")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_pin(pin: str) -> str:
    """A salted scrypt hash of `pin`, with its parameters, for `Profile.pin_hash`."""
    check_pin(pin)
    salt = os.urandom(16)
    digest = hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    return f"scrypt$n={SCRYPT_N},r={SCRYPT_R},p={SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_pin(pin: str, encoded: str | None) -> bool:
    """True when `pin` matches the stored hash (False for a missing or damaged hash)."""
    if not encoded:
        return False
    try:
        scheme, params, salt_text, digest_text = encoded.split("$")
        values = dict(part.split("=") for part in params.split(","))
        n, r, p = int(values["n"]), int(values["r"]), int(values["p"])
        salt, expected = base64.b64decode(salt_text), base64.b64decode(digest_text)
    except (ValueError, KeyError):
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=len(expected), maxmem=2**26
    )
    return hmac.compare_digest(digest, expected)


def check_pin(pin: str) -> None:
    """Refuse a PIN that is too short or too long."""
    if not PIN_MIN <= len(pin) <= PIN_MAX or not pin.strip():
        raise QuizError(f"a PIN needs {PIN_MIN} to {PIN_MAX} characters; choose another PIN")


def any_teacher(database: Database) -> bool:
    """Whether any profile is a teacher yet."""
    with database.sessions() as session:
        return bool(session.scalar(select(exists().where(Profile.is_teacher.is_(True)))))


def require_teacher(session: Session, teacher: Teacher) -> Profile:
    """The teacher's profile, checked again inside the caller's transaction."""
    profile = session.get(Profile, teacher.profile_id)
    if profile is None or not profile.is_teacher:
        raise QuizError(f"{teacher.name} is no longer a teacher; ask a teacher to restore it")
    return profile


def make_teacher(
    database: Database, profile_id: int, pin: str, by: Teacher | None = None
) -> Teacher:
    """Make a profile a teacher with this PIN. The first teacher needs nobody's leave;
    after that only an unlocked teacher (`by`) can make another."""
    check_pin(pin)
    pin_hash = hash_pin(pin)
    with database.sessions.begin() as session:
        if by is not None:
            require_teacher(session, by)
        elif session.scalar(select(exists().where(Profile.is_teacher.is_(True)))):
            raise QuizError(
                "only a teacher can make another teacher; pass --by NAME and that teacher's PIN"
            )
        profile = session.get(Profile, profile_id)
        if profile is None:
            raise QuizError(f"no profile with id {profile_id}; create the profile first")
        if profile.is_teacher:
            raise QuizError(f"{profile.name} is already a teacher; use change_pin to change a PIN")
        profile.is_teacher = True
        profile.pin_hash = pin_hash
        profile.pin_failures, profile.pin_locked_until = 0, None
        return Teacher(profile.id, profile.name, _UNLOCKED)


def create_teacher(
    database: Database, name: str, pin: str, now: datetime, by: Teacher | None = None
) -> Teacher:
    """Create (or promote) the profile `name` as a teacher with this PIN."""
    check_pin(pin)
    if by is not None:
        with database.sessions() as session:
            require_teacher(session, by)
    elif any_teacher(database):
        raise QuizError(
            "only a teacher can make another teacher; pass --by NAME and that teacher's PIN"
        )
    existing = find_profile(database, name)
    if existing is not None and existing.is_teacher:
        raise QuizError(f"{existing.name} is already a teacher; choose another name")
    profile = get_or_create_profile(database, name, now)
    return make_teacher(database, profile.id, pin, by)


def wait_after(failures: int) -> timedelta:
    """How long the next PIN try waits after `failures` wrong PINs in a row."""
    if failures < FREE_TRIES:
        return timedelta(0)
    doublings: int = min(failures - FREE_TRIES, 16)
    return min(FIRST_WAIT * (1 << doublings), LONGEST_WAIT)


def _how_long(wait: timedelta) -> str:
    seconds = max(1, round(wait.total_seconds()))
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minutes"


def _count_try(
    database: Database, profile_id: int, name: str, now: datetime
) -> tuple[str | None, timedelta]:
    """Count one PIN try (refused while the teacher is locked out): the stored hash, and
    how long the next try must wait if this one is wrong."""
    with database.sessions.begin() as session:
        counted = session.execute(
            update(Profile)
            .where(
                Profile.id == profile_id,
                Profile.is_teacher.is_(True),
                or_(Profile.pin_locked_until.is_(None), Profile.pin_locked_until <= now),
            )
            .values(pin_failures=Profile.pin_failures + 1)
            .returning(Profile.pin_failures, Profile.pin_hash)
        ).one_or_none()
        if counted is None:
            row = session.get(Profile, profile_id)
            assert row is not None
            if not row.is_teacher:
                raise QuizError(f"{name} is not a teacher; ask a teacher to make them one")
            assert row.pin_locked_until is not None
            raise QuizError(
                f"too many wrong PINs for {name}; try again in "
                f"{_how_long(row.pin_locked_until - now)}"
            )
        failures, pin_hash = counted
        wait = wait_after(failures)
        session.execute(
            update(Profile)
            .where(Profile.id == profile_id)
            .values(pin_locked_until=now + wait if wait else None)
        )
        return pin_hash, wait


def unlock_teacher(database: Database, name: str, pin: str, now: datetime) -> Teacher:
    """The teacher called `name`, if `pin` is right and the teacher is not locked out.

    The try is recorded first; the right PIN then clears the count of wrong ones."""
    profile = find_profile(database, name)
    if profile is None:
        raise QuizError(f"no profile named {name}; check the name with `quiz profile list`")
    pin_hash, wait = _count_try(database, profile.id, profile.name, now)
    if not verify_pin(pin, pin_hash):
        later = f" in {_how_long(wait)}" if wait else ""
        raise QuizError(f"wrong PIN for {profile.name}; try again{later}")
    with database.sessions.begin() as session:
        session.execute(
            update(Profile)
            .where(Profile.id == profile.id)
            .values(pin_failures=0, pin_locked_until=None)
        )
    return Teacher(profile.id, profile.name, _UNLOCKED)


def change_pin(database: Database, teacher: Teacher, new_pin: str) -> None:
    """Give an unlocked teacher a new PIN."""
    pin_hash = hash_pin(new_pin)
    with database.sessions.begin() as session:
        profile = require_teacher(session, teacher)
        profile.pin_hash = pin_hash
        profile.pin_failures, profile.pin_locked_until = 0, None
