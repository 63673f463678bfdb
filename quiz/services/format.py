"""Small text formats shared by the screens and the command line: percentages, durations,
error sentences, shortened text, local times, and the names shown for stored codes."""

from datetime import datetime, tzinfo

TIME_FORMAT = "%Y-%m-%d %H:%M"  # how times are shown, and typed in forms

# A drill's `feedback` setting, as the drill lists show it.
FEEDBACK_LABELS = {"each": "after each", "end": "at the end", "none": "score only"}
# A study session's `kind`, as the history shows it.
KIND_NAMES = {
    "review": "Review",
    "drill": "Drill",
    "exam": "Mock exam",
    "revision": "Revision",
    "anki_import": "From Anki",
    "cram": "Exam cram",
}


def percent(rate: float | None, none: str = "–") -> str:
    """0.756 -> "76%"; None -> `none` ("–" unless told)."""
    return none if rate is None else f"{round(rate * 100)}%"


def duration_text(seconds: float) -> str:
    """12 s, 1 min 30 s, 25 min, 1 h 05 min."""
    total = round(seconds)
    if total < 60:
        return f"{total} s"
    minutes, rest = divmod(total, 60)
    if minutes < 10:
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def sentence(error: Exception | str) -> str:
    """An error message as a sentence: capitalised, with a full stop ("" stays "")."""
    text = str(error).strip()
    if not text:
        return text
    return f"{text[:1].upper()}{text[1:]}" + ("" if text.endswith((".", "!", "?")) else ".")


def short(text: str, width: int) -> str:
    """`text` on one line, cut to `width` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def local_time(moment: datetime, tz: tzinfo | None = None, fmt: str = TIME_FORMAT) -> str:
    """`moment` on the learner's wall clock (`tz`; None: the machine's zone)."""
    return moment.astimezone(tz).strftime(fmt)


def local_text(moment: datetime | None, tz: tzinfo | None = None) -> str:
    """A stored time as people type it (`YYYY-MM-DD HH:MM`, local); "" for no time."""
    return "" if moment is None else local_time(moment, tz)
