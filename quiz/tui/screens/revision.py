"""Focused revision after a mock exam: a fixed list of cards (the mistakes, then cards of
the weakest topic), each graded and rated as in the daily review, in a session of kind
"revision" that remembers its exam (`quiz.services.reviewing.revision_run`), so a revision
left half-way resumes where it was."""

from collections.abc import Iterable

from quiz.services.cards import StudyCard
from quiz.services.reviewing import revision_run
from quiz.tui.context import StudyContext
from quiz.tui.screens.review import ReviewScreen


class RevisionScreen(ReviewScreen):
    """The review screen on a given list of cards, each asked once, leaving out those
    `done` earlier; it goes back to the exam report it came from."""

    DONE_TITLE = "Revision done"
    BACK_TEXT = "back to the exam report"

    def __init__(
        self,
        context: StudyContext,
        cards: list[StudyCard],
        title: str,
        exam_id: int | None = None,
        done: Iterable[int] = (),
    ) -> None:
        run = revision_run(context.require_profile(), cards, exam_id=exam_id, done=done)
        super().__init__(context, run, title)
