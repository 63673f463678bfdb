"""What every screen needs: the database, the clock, the current profile, a random source.

Imported before the first frame, so it names the services' types for type checking only
(the database and the services are imported after the first paint; tests/test_startup.py)."""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quiz.services.auth import Teacher
    from quiz.services.database import Database
    from quiz.services.profiles import ProfileInfo


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class StudyContext:
    """Shared by the app and its screens. `seed` fixes option shuffling and scheduler fuzz
    (tests); without it both are random. `teacher` is set while the open profile is a
    teacher unlocked with its PIN. `opened` is None while the app is still opening the
    database after its first frame; `database` is for the screens that come after."""

    opened: "Database | None"
    clock: Callable[[], datetime] = system_clock
    seed: int | None = None
    profile: "ProfileInfo | None" = None
    exit_when_ready: bool = False  # for measuring start-up: quit once home shows its counts
    first_paint_at: float | None = None  # time.time() when home was first painted
    ready_at: float | None = None  # time.time() when home first showed its counts
    teacher: "Teacher | None" = None
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    @property
    def database(self) -> "Database":
        if self.opened is None:
            raise RuntimeError("the database is not open yet")
        return self.opened

    def now(self) -> datetime:
        return self.clock()

    def fuzz_seed(self) -> int | None:
        """A seed for the scheduler's fuzz when the context is seeded, else None."""
        return None if self.seed is None else self.rng.randrange(2**31)

    @property
    def tz(self) -> tzinfo | None:
        """The zone for times people type and read: the open profile's study calendar's
        (None, the machine's zone, when no profile is open)."""
        return None if self.profile is None else self.profile.calendar.tz

    def require_profile(self) -> "ProfileInfo":
        if self.profile is None:
            raise RuntimeError("no profile is open")
        return self.profile
