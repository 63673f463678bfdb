"""Other tools' formats (Anki packages, CSV/TSV, Moodle GIFT) to and from bank questions."""
