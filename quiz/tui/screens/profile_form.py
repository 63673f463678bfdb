"""The shape the profile's small forms share (settings, study more today, exam date): a
modal over the current screen, Enter in a box saves, Esc cancels; dismissed with True when
something changed."""

from textual import on
from textual.widgets import Input

from quiz.tui.context import StudyContext
from quiz.tui.screens.form_modal import FormModal


class ProfileForm(FormModal[bool]):
    """A form that changes the current profile; subclasses compose it (a `Vertical` with a
    `.title`, an `#error` line and `.hint`s) and save it."""

    def __init__(self, context: StudyContext) -> None:
        super().__init__()
        self.context = context

    @on(Input.Submitted)
    async def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        await self.action_save()

    async def action_save(self) -> None:
        """Check and save the form (each form says what)."""
        raise NotImplementedError

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(False)
