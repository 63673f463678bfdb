"""Small text formats shared by the screens: percentages, durations, error sentences,
shortened text, local times."""

from datetime import datetime, tzinfo


def percent(rate: float | None) -> str:
    """0.756 -> "76%"; None -> "–"."""
    return "–" if rate is None else f"{round(rate * 100)}%"


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
    """An error message as a sentence: capitalised, with a full stop."""
    text = str(error)
    return f"{text[:1].upper()}{text[1:]}" + ("" if text.endswith((".", "!", "?")) else ".")


def short(text: str, width: int) -> str:
    """`text` on one line, cut to `width` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def local_time(moment: datetime, tz: tzinfo | None = None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """`moment` on the learner's wall clock (`tz`; None: the machine's zone)."""
    return moment.astimezone(tz).strftime(fmt)
