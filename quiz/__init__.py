"""quiz: a terminal study app with spaced repetition, drills and mock exams."""

__version__ = "0.1.0"
