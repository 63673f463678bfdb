"""Database work off the UI thread: one helper runs a service call in a thread worker and
turns a `QuizError` into a notification. Every screen uses it; there is no other error path.

    result = await background(self, next_card, database, profile, now)
    if isinstance(result, Failed):
        return  # the learner has been told what went wrong
"""

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from textual.dom import DOMNode
from textual.widget import Widget
from textual.worker import WorkerCancelled, WorkerFailed

from quiz.errors import QuizError
from quiz.services.format import sentence

T = TypeVar("T")


class Failed:
    """A service call that failed with a `QuizError`, already shown to the learner."""

    def __init__(self, error: QuizError | None) -> None:
        self.error = error


async def background(
    node: DOMNode, call: Callable[..., T], *args: Any, quiet: bool = False, **kwargs: Any
) -> T | Failed:
    """Run `call(*args, **kwargs)` in a thread worker and wait for it without blocking the
    screen. A `QuizError` is shown as a notification (unless `quiet`) and returned as
    `Failed`; so is a result that arrives after `node` has left the screen (the work is done,
    there is nothing to show it on). Any other error propagates, as a bug."""
    worker = node.run_worker(
        partial(call, *args, **kwargs), thread=True, exit_on_error=False, group="database"
    )
    try:
        result = await worker.wait()
    except WorkerCancelled:
        return Failed(None)
    except WorkerFailed as failed:
        if isinstance(failed.error, QuizError):
            if not quiet:
                node.app.notify(sentence(failed.error), severity="error", timeout=6)
            return Failed(failed.error)
        raise failed.error from None
    if isinstance(node, Widget) and not node.is_attached:
        return Failed(None)  # its screen has closed meanwhile: nothing left to show it on
    return result
