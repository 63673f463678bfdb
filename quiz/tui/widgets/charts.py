"""Charts drawn with text: vertical bars (answers per day, due forecast) with an accuracy
row, a calendar heatmap and horizontal bars (mastery per topic).

Each chart lays itself out for its own width when it renders, so it fits any terminal,
and draws only with block characters and theme colours: the same data always gives the
same picture (deterministic snapshots)."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

VERTICAL = " ▁▂▃▄▅▆▇█"  # eighths, bottom up
HORIZONTAL = " ▏▎▍▌▋▊▉█"  # eighths, left to right
BAR_STYLE = "$primary"
MUTED = "$text-muted"
HEAT_STYLES = ("$foreground 12%", "$success 35%", "$success 55%", "$success 78%", "$success")
WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")

Segment = tuple[str, str]
Line = list[Segment]

# Mastery bars: (glyph, style). Seen and not seen differ in hue and in glyph, so they stay
# apart in any theme and without colour.
MASTERED: Segment = ("█", "$success")
SEEN: Segment = ("▓", "$primary")
NOT_SEEN: Segment = ("░", "$foreground 35%")


def accuracy_style(accuracy: float) -> str:
    """The colour of an accuracy: green from 85%, amber from 60%, else red."""
    if accuracy >= 0.85:
        return "$success"
    if accuracy >= 0.6:
        return "$warning"
    return "$error"


def _lines(lines: Sequence[Line]) -> Content:
    """The lines as one Content. Spaces at either end of a styled segment become unstyled
    segments of their own (some SVG renderers drop leading spaces of a text run)."""
    parts: list[Segment | str] = []
    for n, line in enumerate(lines):
        if n:
            parts.append("\n")
        for text, style in line:
            core = text.strip(" ")
            if not style or not core:
                parts.append((text, "" if not core else style))
                continue
            lead = len(text) - len(text.lstrip(" "))
            trail = len(text) - len(text.rstrip(" "))
            if lead:
                parts.append((" " * lead, ""))
            parts.append((core, style))
            if trail:
                parts.append((" " * trail, ""))
    return Content.assemble(*parts)


def line(*parts: Segment | str) -> Content:
    """One line of text and (text, style) parts, spaced as `_lines` does."""
    return _lines([[(p, "") if isinstance(p, str) else p for p in parts]])


def _place_labels(labels: Sequence[tuple[int, str]], width: int) -> str:
    """Labels at their columns, left to right, skipping any that would come within a
    space of the last."""
    row = [" "] * width
    free = 0
    for column, text in labels:
        if column >= free and column + len(text) <= width:
            row[column : column + len(text)] = text
            free = column + len(text) + 2
    return "".join(row).rstrip()


def short_date(day: date) -> str:
    return f"{day:%b} {day.day}"


@dataclass(frozen=True)
class Bucket:
    """One bar: a day, or a week of days when the days do not fit."""

    first: date
    last: date
    value: int
    correct: int | None = None  # for an accuracy row

    @property
    def accuracy(self) -> float | None:
        if self.correct is None or not self.value:
            return None
        return self.correct / self.value


@dataclass(frozen=True)
class Layout:
    """Bars side by side: `widths[i]` columns for bucket i, `gap` columns between bars."""

    buckets: list[Bucket]
    widths: tuple[int, ...]
    gap: int  # columns between bars
    days_per_bucket: int

    def column(self, index: int) -> int:
        return sum(self.widths[:index]) + index * self.gap

    @property
    def width(self) -> int:
        return sum(self.widths) + max(len(self.widths) - 1, 0) * self.gap


def _group(days: Sequence[Bucket], size: int) -> list[Bucket]:
    """Days in groups of `size`, counted back from the last day (the first may be short)."""
    if size == 1:
        return list(days)
    out = []
    end = len(days)
    while end > 0:
        chunk = days[max(end - size, 0) : end]
        correct = [b.correct for b in chunk]
        out.append(
            Bucket(
                chunk[0].first,
                chunk[-1].last,
                sum(b.value for b in chunk),
                None if None in correct else sum(c or 0 for c in correct),
            )
        )
        end -= size
    return out[::-1]


MAX_BAR = 6  # columns: wider bars would read as blocks, not bars


def spread(count: int, room: int, most: int = MAX_BAR) -> tuple[int, ...]:
    """Widths of `count` bars filling `room` columns (each at most `most`): the columns
    left over after equal shares go one each to bars spaced evenly along the row."""
    if count <= 0:
        return ()
    base = min(room // count, most)
    extra = 0 if base >= most else room - base * count
    return tuple(base + ((i + 1) * extra // count - i * extra // count) for i in range(count))


def layout_bars(days: Sequence[Bucket], width: int) -> Layout:
    """Bars that use the width: days with a gap between them, days without one, then weeks;
    the bars share the width (up to `MAX_BAR` columns each)."""
    for size in (1, 7):
        buckets = _group(days, size)
        n = len(buckets)
        for gap in (1, 0):
            room = width - max(n - 1, 0) * gap
            if n and room >= n:
                return Layout(buckets, spread(n, room), gap, size)
    buckets = _group(days, 7)[-max(width, 1) :]
    return Layout(buckets, (1,) * len(buckets), 0, 7)


def bar_rows(values: Sequence[float], top: float, height: int, layout: Layout) -> list[str]:
    """Rows of a vertical bar chart, top row first, in eighth-block resolution."""
    eighths = []
    for value in values:
        n = round(value / top * height * 8) if top > 0 else 0
        eighths.append(max(n, 1) if value > 0 else 0)
    rows = []
    for level in range(height - 1, -1, -1):
        row = []
        for index, n in enumerate(eighths):
            if index:
                row.append(" " * layout.gap)
            row.append(VERTICAL[min(max(n - level * 8, 0), 8)] * layout.widths[index])
        rows.append("".join(row))
    return rows


def axis_labels(
    layout: Layout, first_label: str | None = None, last_label: str | None = None
) -> list[tuple[int, str]]:
    """Where to write dates under the bars: each Monday (days) or each month (weeks);
    `first_label` under the first bar, `last_label` ending under the last one (labels it
    would meet are left out)."""
    labels: list[tuple[int, str]] = []
    for index, bucket in enumerate(layout.buckets):
        column = layout.column(index)
        if index == 0 and first_label:
            labels.append((column, first_label))
        elif layout.days_per_bucket == 1:
            if bucket.first.weekday() == 0 or index == 0:
                labels.append((column, short_date(bucket.first)))
        else:
            month_start = bucket.last.day <= (bucket.last - bucket.first).days + 1
            if index == 0 or month_start:
                label = f"{bucket.last:%b}"
                if bucket.last.month == 1 or index == 0:
                    label += f" {bucket.last:%Y}"
                labels.append((column, label))
    if last_label and layout.buckets:
        end = max(layout.width - len(last_label), 0)
        labels = [(c, text) for c, text in labels if c + len(text) + 2 <= end]
        labels.append((end, last_label))
    return labels


class ChartBase(Widget):
    """A chart: renders its data for its current width; `empty` is shown without data."""

    DEFAULT_CSS = """
    ChartBase { height: auto; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)

    def render(self) -> Content:
        return _lines(self.draw(max(self.content_size.width, 10)))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.draw(max(width, 10)))

    def draw(self, width: int) -> list[Line]:
        raise NotImplementedError


class DailyChart(ChartBase):
    """Answers per day as bars, the day's accuracy as a coloured row beneath them (one
    eighth-block per day: higher and greener is better), dates along the bottom."""

    BAR_HEIGHT = 5

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.days: list[Bucket] = []

    def set_days(self, days: Sequence[tuple[date, int, int]]) -> None:
        """(day, answers, correct), oldest first."""
        self.days = [Bucket(day, day, answers, correct) for day, answers, correct in days]
        self.refresh(layout=True)

    def layout_for(self, width: int) -> tuple[Layout, int]:
        top = max((b.value for b in self.days), default=0)
        label_width = max(len(str(top)), 4)
        return layout_bars(self.days, width - label_width - 2), label_width

    def draw(self, width: int) -> list[Line]:
        if not any(b.value for b in self.days):
            return [[("No answers in these weeks: study a deck and they appear here.", MUTED)]]
        layout, label_width = self.layout_for(width)
        top = max(b.value for b in layout.buckets)
        lines: list[Line] = []
        rows = bar_rows([b.value for b in layout.buckets], top, self.BAR_HEIGHT, layout)
        for n, row in enumerate(rows):
            label = str(top) if n == 0 else ("0" if n == len(rows) - 1 else "")
            tick = "┤" if label else "│"
            lines.append([(f"{label:>{label_width}} {tick}", MUTED), (row, BAR_STYLE)])
        accuracy: Line = [(f"{'acc':>{label_width}} │", MUTED)]
        for index, bucket in enumerate(layout.buckets):
            if index and layout.gap:
                accuracy.append((" " * layout.gap, ""))
            rate = bucket.accuracy
            bar = layout.widths[index]
            if rate is None:
                accuracy.append((" " * bar, ""))
            else:
                glyph = VERTICAL[max(round(rate * 8), 1)]
                accuracy.append((glyph * bar, accuracy_style(rate)))
        lines.append(accuracy)
        lines.append(
            [
                (" " * (label_width + 2), ""),
                (_place_labels(axis_labels(layout, last_label="today"), layout.width), MUTED),
            ]
        )
        return lines


class ForecastChart(ChartBase):
    """Cards due on each coming day as bars (today includes the overdue ones)."""

    BAR_HEIGHT = 6

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.days: list[Bucket] = []

    def set_forecast(self, forecast: Sequence[tuple[date, int]]) -> None:
        self.days = [Bucket(day, day, due) for day, due in forecast]
        self.refresh(layout=True)

    def draw(self, width: int) -> list[Line]:
        if not self.days:
            return [[("Nothing scheduled.", MUTED)]]
        top = max(b.value for b in self.days)
        label_width = max(len(str(top)), 1)
        layout = layout_bars(self.days, width - label_width - 2)
        top = max(b.value for b in layout.buckets)
        lines: list[Line] = []
        for n, row in enumerate(
            bar_rows([b.value for b in layout.buckets], top, self.BAR_HEIGHT, layout)
        ):
            label = str(top) if n == 0 else ("0" if n == self.BAR_HEIGHT - 1 else "")
            tick = "┤" if label else "│"
            lines.append([(f"{label:>{label_width}} {tick}", MUTED), (row, "$accent")])
        pad = " " * (label_width + 2)
        lines.append(
            [(pad, ""), (_place_labels(axis_labels(layout, "today"), layout.width), MUTED)]
        )
        total = sum(b.value for b in self.days)
        week = sum(b.value for b in self.days[:7])
        lines.append(
            [
                (pad, ""),
                (f"{week}", "bold"),
                (" in the next 7 days, ", MUTED),
                (f"{total}", "bold"),
                (f" in {len(self.days)}", MUTED),
            ]
        )
        return lines


class Heatmap(ChartBase):
    """Answers per day as a calendar: weeks as columns (Monday on top), days shaded by how
    many answers were given, as many weeks as fit, ending with this week."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.counts: dict[date, int] = {}
        self.today: date | None = None

    def set_calendar(self, calendar: Sequence[tuple[date, int]]) -> None:
        """(day, answers), oldest first, ending today."""
        self.counts = dict(calendar)
        self.today = calendar[-1][0] if calendar else None
        self.refresh(layout=True)

    @staticmethod
    def level(count: int, top: int) -> int:
        """0 for no answers, else 1-4 by the share of the busiest day."""
        if count <= 0 or top <= 0:
            return 0
        return max(1, min(4, math.ceil(count / top * 4)))

    def weeks(self, width: int) -> list[date]:
        """The Mondays of the weeks shown."""
        if self.today is None:
            return []
        first_known = min(self.counts)
        monday = self.today - timedelta(days=self.today.weekday())
        fit = max((width - 4) // 2, 1)
        mondays = [monday - timedelta(weeks=n) for n in range(fit)]
        mondays = [m for m in mondays if m + timedelta(days=6) >= first_known]
        return mondays[::-1]

    def draw(self, width: int) -> list[Line]:
        if self.today is None:
            return [[("No answers yet.", MUTED)]]
        mondays = self.weeks(width)
        shown = [self.counts.get(m + timedelta(days=d), 0) for m in mondays for d in range(7)]
        top = max(shown, default=0)
        months: list[tuple[int, str]] = []
        for index, monday in enumerate(mondays):
            sunday = monday + timedelta(days=6)
            if sunday.day <= 7 and index:
                months.append((index * 2, f"{sunday:%b}"))
        lines: list[Line] = [[("    ", ""), (_place_labels(months, len(mondays) * 2), MUTED)]]
        for weekday in range(7):
            line: Line = [(f"{WEEKDAYS[weekday]:<4}", MUTED)]
            for monday in mondays:
                day = monday + timedelta(days=weekday)
                if day > self.today or day not in self.counts:
                    line.append(("  ", ""))
                    continue
                line.append(("■ ", HEAT_STYLES[self.level(self.counts[day], top)]))
            lines.append(line)
        legend: Line = [("    ", ""), ("less ", MUTED)]
        for style in HEAT_STYLES:
            legend.append(("■ ", style))
        legend.append(("more", MUTED))
        legend.append(("   ", ""))
        if top:
            legend.append((f"busiest day: {top}", MUTED))
        lines.append(legend)
        return lines


@dataclass(frozen=True)
class TopicBar:
    topic: str
    cards: int
    seen: int
    mastered: int
    accuracy: float | None


class TopicBars(ChartBase):
    """One row per topic: a bar of its cards, mastered (full) and seen (light), with the
    mastered percentage, the counts and the share right of the reviews of its seen cards
    over the period."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.topics: list[TopicBar] = []

    def set_topics(self, topics: Sequence[TopicBar]) -> None:
        self.topics = list(topics)
        self.refresh(layout=True)

    def draw(self, width: int) -> list[Line]:
        if not self.topics:
            return [[("No topics yet.", MUTED)]]
        name_width = min(max(len(t.topic) for t in self.topics), 18)
        tails = [
            f"  {t.mastered}/{t.cards} mastered, {t.seen} seen"
            + (", " if t.accuracy is not None else "")
            for t in self.topics
        ]
        rights = [
            "" if t.accuracy is None else f"{round(t.accuracy * 100)}% right" for t in self.topics
        ]
        tail_width = max(len(t) + len(r) for t, r in zip(tails, rights, strict=True))
        bar_width = max(width - name_width - 1 - 5 - tail_width, 8)
        lines: list[Line] = []
        for topic, tail, right in zip(self.topics, tails, rights, strict=True):
            name = topic.topic
            if len(name) > name_width:
                name = name[: name_width - 1] + "…"
            cards = max(topic.cards, 1)
            mastered = round(topic.mastered / cards * bar_width)
            seen = max(round(topic.seen / cards * bar_width) - mastered, 0)
            rest = bar_width - mastered - seen
            line: Line = [
                (f"{name:<{name_width}} ", ""),
                (MASTERED[0] * mastered, MASTERED[1]),
                (SEEN[0] * seen, SEEN[1]),
                (NOT_SEEN[0] * rest, NOT_SEEN[1]),
                (f" {round(topic.mastered / cards * 100):>3}%", "bold"),
                (tail, MUTED),
            ]
            if topic.accuracy is not None:
                line.append((right, accuracy_style(topic.accuracy)))
            lines.append(line)
        lines.append(
            [
                (" " * (name_width + 1), ""),
                MASTERED,
                (" mastered (stable for 21+ days)   ", MUTED),
                SEEN,
                (" seen   ", MUTED),
                NOT_SEEN,
                (" not seen yet", MUTED),
            ]
        )
        return lines
