"""Exam cram: the studied cards most likely forgotten by the exam day, those first, each
graded and rated as in review; the answers leave the long-term schedule alone
(`quiz.services.cram`)."""

from quiz.services.cards import StudyCard
from quiz.services.cram import cram_run
from quiz.tui.context import StudyContext
from quiz.tui.screens.review import ReviewScreen

CRAM_CARDS = 50  # cards in one cram sitting


class CramScreen(ReviewScreen):
    """The review screen on the cram cards, each asked once."""

    DONE_TITLE = "Cramming done"

    def __init__(self, context: StudyContext, cards: list[StudyCard]) -> None:
        super().__init__(context, cram_run(context.require_profile(), cards), "Exam cram")
