"""Focused revision after a mock exam: a fixed list of cards (the mistakes, then cards of
the weakest topic), each graded and rated as in the daily review, in a session of kind
"revision"."""

from datetime import datetime

from textual.content import Content
from textual.widgets import Static

from quiz.services.study import StudyCard
from quiz.tui.context import StudyContext
from quiz.tui.screens.review import ReviewScreen


class RevisionScreen(ReviewScreen):
    """The review screen on a given list of cards, each asked once."""

    KIND = "revision"
    DONE_TITLE = "Revision done"

    def __init__(self, context: StudyContext, cards: list[StudyCard], title: str) -> None:
        super().__init__(context, None, title)
        self.queue = list(cards)
        self.total = len(cards)

    async def show_next(self) -> None:
        if self.queue:
            await self.show_card(self.queue.pop(0))
        else:
            await self.show_summary()

    async def action_undo(self) -> None:
        """Undo the last answer of this session and show its card again."""
        if self.given and self.card is not None:
            self.queue.insert(0, self.card)  # the card showing comes back after the undone one
        await super().action_undo()

    def _update_progress(self) -> None:
        left = len(self.queue) + (1 if self.card is not None else 0)
        self.query_one("#progress", Static).update(
            Content.assemble(
                (self.deck_title, "bold"),
                "   cards left: ",
                (str(left), "bold $text-primary"),
                f" of {self.total}",
                "   done this session: ",
                (str(self.done), "bold"),
            )
        )

    def _left_later(self, now: datetime) -> int:
        return 0
