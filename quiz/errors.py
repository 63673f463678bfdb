"""Errors meant for a person: one sentence that says what went wrong and what to do."""


class QuizError(Exception):
    """A failure the user can act on; the CLI prints it without a traceback."""
