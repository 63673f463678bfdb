"""The Textual user interface. It calls services only; it never touches the store directly."""

from quiz.tui.plain import install

install()  # text shown is never parsed as markup (quiz/tui/plain.py)
