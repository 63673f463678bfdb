"""Errors meant for a person: one sentence that says what went wrong and what to do.

Whatever a message echoes (an id, a value from a file) is cut short by `clipped`, so a
1 MB id gives a one-line error, not a megabyte of it."""

import re

LONGEST_WORD = 512  # characters of one unbroken run (an id, a path) shown in a message
LONGEST_LINE = 2000  # characters of one line of a message
KEPT = 60  # characters kept of a word cut short
_HUGE_WORD = re.compile(rf"\S{{{LONGEST_WORD + 1},}}")


def _clip_word(match: re.Match[str]) -> str:
    word = match.group()
    core = word.rstrip(";:,.!?)]}'\"")
    return f"{core[:KEPT]}…({len(core):,} characters){word[len(core) :]}"


def clipped(text: str) -> str:
    """`text` with every unbroken run over LONGEST_WORD characters cut to its start (and
    its length), and every line over LONGEST_LINE cut in the middle (its end, usually
    the next step, is kept)."""
    lines = []
    for line in _HUGE_WORD.sub(_clip_word, text).split("\n"):
        if len(line) > LONGEST_LINE:
            line = f"{line[: LONGEST_LINE - 603]} … {line[-600:]}"
        lines.append(line)
    return "\n".join(lines)


class QuizError(Exception):
    """A failure the user can act on; the CLI prints it without a traceback. Its message
    is `clipped`."""

    def __init__(self, *args: object) -> None:
        if args and isinstance(args[0], str):
            args = (clipped(args[0]), *args[1:])
        super().__init__(*args)
