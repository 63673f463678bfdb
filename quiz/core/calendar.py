"""The study calendar: when a learner's study day starts and ends.

A study day starts at a local hour (default 4, so 1 a.m. still counts as yesterday) in the
learner's time zone. Built once per profile and passed to whatever needs day boundaries, so
"today", the due queue, the streak and the statistics agree, daylight-saving changes included.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DEFAULT_DAY_START_HOUR = 4


def machine_zone() -> tzinfo:
    """The machine's own time zone, as a real zone (daylight-saving rules included) when it
    can be named, else the fixed offset it has now."""
    try:
        from tzlocal import get_localzone

        return get_localzone()
    except Exception:
        return datetime.now().astimezone().tzinfo or UTC


def zone(name: str | None) -> tzinfo:
    """The zone called `name` (an IANA name such as "Europe/London"); None: the machine's."""
    if name is None:
        return machine_zone()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r}; use a name such as Europe/London or America/New_York"
        ) from None


def zone_names() -> list[str]:
    """Every IANA zone name this machine knows, sorted."""
    return sorted(available_timezones())


@dataclass(frozen=True)
class StudyCalendar:
    """Study days in one time zone, each starting at `day_start_hour` local time."""

    tz: tzinfo
    day_start_hour: int = DEFAULT_DAY_START_HOUR

    def study_date(self, moment: datetime) -> date:
        """The local date of the study day containing `moment`."""
        local = moment.astimezone(self.tz)
        if local.hour >= self.day_start_hour:
            return local.date()
        return local.date() - timedelta(days=1)

    def day_start(self, day: date) -> datetime:
        """The UTC moment the study day `day` starts (a wall-clock hour in the zone)."""
        local = datetime.combine(day, time(self.day_start_hour), tzinfo=self.tz)
        return local.astimezone(UTC)

    def bounds(self, moment: datetime) -> tuple[datetime, datetime]:
        """The UTC start and end of the study day containing `moment`. Around a
        daylight-saving change a study day is 23 or 25 hours long."""
        day = self.study_date(moment)
        return self.day_start(day), self.day_start(day + timedelta(days=1))

    def local(self, moment: datetime) -> datetime:
        """`moment` on the learner's wall clock."""
        return moment.astimezone(self.tz)

    def describe_day(self, moment: datetime) -> str:
        """E.g. "study day Tue 1 Dec, a new day starts at 04:00"."""
        day = self.study_date(moment)
        return (
            f"study day {day.strftime('%a')} {day.day} {day.strftime('%b')}, "
            f"a new day starts at {self.day_start_hour:02d}:00"
        )
