"""Focused revision after a mock exam: a fixed list of cards (the mistakes, then cards of
the weakest topic), each graded and rated as in the daily review, in a session of kind
"revision" (`quiz.services.reviewing.revision_run`)."""

from quiz.services.cards import StudyCard
from quiz.services.reviewing import revision_run
from quiz.tui.context import StudyContext
from quiz.tui.screens.review import ReviewScreen


class RevisionScreen(ReviewScreen):
    """The review screen on a given list of cards, each asked once."""

    DONE_TITLE = "Revision done"

    def __init__(self, context: StudyContext, cards: list[StudyCard], title: str) -> None:
        super().__init__(context, revision_run(context.require_profile(), cards), title)
