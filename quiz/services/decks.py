"""Deck listings for the home screen and scripts."""

from dataclasses import dataclass

from sqlalchemy import func, select

from quiz.services.database import Database
from quiz.store.models import Deck, Question


@dataclass(frozen=True)
class DeckSummary:
    """A deck with the number of questions it holds (retired ones not counted)."""

    id: int
    name: str
    title: str
    questions: int


def deck_summaries(database: Database) -> list[DeckSummary]:
    """Every deck with its active question count, by title, in one query."""
    query = (
        select(Deck.id, Deck.name, Deck.title, func.count(Question.id))
        .outerjoin(Question, (Question.deck_id == Deck.id) & Question.retired_at.is_(None))
        .group_by(Deck.id, Deck.name, Deck.title)
        .order_by(Deck.title)
    )
    with database.sessions() as session:
        return [DeckSummary(*row) for row in session.execute(query)]
