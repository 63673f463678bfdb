"""Browsing the questions with one profile's card state: search, page, suspend.

Queries read one page at a time (LIMIT/OFFSET); the whole collection is never loaded.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select, update

from quiz.core.scheduling import NEW
from quiz.services.database import Database
from quiz.store.models import CardState, Deck, Question

PAGE_SIZE = 50


@dataclass(frozen=True)
class BrowseRow:
    """One question as listed in the browser, with this profile's card state."""

    question_id: int
    key: str
    deck: str
    prompt: str
    topic: str
    type: str
    state: int | None
    due: datetime | None
    stability: float | None
    lapses: int
    reps: int
    suspended: bool

    @property
    def is_new(self) -> bool:
        return self.state is None or self.state == NEW


@dataclass(frozen=True)
class BrowsePage:
    """One page of matching questions, with the number of all matches."""

    rows: list[BrowseRow]
    total: int
    offset: int
    limit: int

    @property
    def page(self) -> int:
        return self.offset // self.limit + 1 if self.limit else 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit)) if self.limit else 1


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _matches(search: str) -> ColumnElement[bool] | None:
    """Every word of `search` must appear in the prompt, the topic or the key."""
    conditions = []
    for word in search.split():
        pattern = f"%{_escape_like(word.lower())}%"
        conditions.append(
            or_(
                func.lower(Question.prompt).like(pattern, escape="\\"),
                func.lower(Question.topic).like(pattern, escape="\\"),
                func.lower(Question.key).like(pattern, escape="\\"),
            )
        )
    return and_(*conditions) if conditions else None


def browse_questions(
    database: Database,
    profile_id: int,
    search: str = "",
    deck_id: int | None = None,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> BrowsePage:
    """Active questions whose prompt, topic or key contains every word of `search`
    (case-insensitive), ordered by deck and key, one page at a time."""
    where: list[ColumnElement[bool]] = [Question.retired_at.is_(None)]
    if deck_id is not None:
        where.append(Question.deck_id == deck_id)
    matches = _matches(search)
    if matches is not None:
        where.append(matches)
    offset = max(offset, 0)
    with database.sessions() as session:
        total = int(session.scalar(select(func.count()).select_from(Question).where(*where)) or 0)
        if offset >= total > 0:
            offset = (total - 1) // limit * limit
        rows = session.execute(
            select(
                Question.id,
                Question.key,
                Deck.title,
                Question.prompt,
                Question.topic,
                Question.type,
                CardState.state,
                CardState.due,
                CardState.stability,
                CardState.lapses,
                CardState.reps,
                CardState.suspended,
            )
            .join(Deck, Deck.id == Question.deck_id)
            .outerjoin(
                CardState,
                and_(CardState.question_id == Question.id, CardState.profile_id == profile_id),
            )
            .where(*where)
            .order_by(Deck.title, Question.key)
            .limit(limit)
            .offset(offset)
        ).all()
    return BrowsePage(
        [BrowseRow(*row[:9], row.lapses or 0, row.reps or 0, bool(row.suspended)) for row in rows],
        total,
        offset,
        limit,
    )


def set_suspended(
    database: Database, profile_id: int, question_ids: list[int], suspended: bool
) -> int:
    """Suspend (or unsuspend) cards for this profile: suspended cards are never studied.
    Returns how many cards changed. The profile's cards must have been synced."""
    if not question_ids:
        return 0
    with database.sessions.begin() as session:
        result = session.execute(
            update(CardState)
            .where(
                CardState.profile_id == profile_id,
                CardState.question_id.in_(question_ids),
                CardState.suspended.is_not(suspended),
            )
            .values(suspended=suspended)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
