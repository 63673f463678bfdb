"""Serialising writers on one row, the same way on SQLite and PostgreSQL.

A check-then-write (is an attempt left? is this question answered yet?) is only right when
no other process can make the same check in between. `lock_row` makes the rest of the
transaction wait for any other transaction holding the row: PostgreSQL locks just that row
(`SELECT ... FOR UPDATE`); SQLite has one writer at a time, so a no-op update takes its
write lock (waiting up to the busy timeout). Call it first in the transaction.
"""

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from quiz.store.models import Profile, StudySession

Lockable = type[Profile] | type[StudySession]


def lock_row(session: Session, model: Lockable, row_id: int) -> None:
    """Hold `model`'s row `row_id` until this transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(model.id).where(model.id == row_id).with_for_update())
    else:
        session.execute(update(model).where(model.id == row_id).values(id=model.id))
