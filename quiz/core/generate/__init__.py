"""Draft questions from plain-text material, with no network and no language model.

The generator finds items of four kinds in the text: dates ("30 march 1856", "March 30, 1856",
"1856-03-30", "march 1856"), years ("1853"), numbers ("12", "3.5", "twelve") and key phrases
(multi-word phrases that recur, such as "the black sea", and capitalised names when the text
has capitals). For each item it takes a passage of about 12-30 words around it, word for word
from the material, and drafts a cloze with the item as the gap and, when the text holds at
least three other items of the same kind, a multiple choice whose distractors are those items.

Sentence ends are found from punctuation and blank lines when the text has them; text without
them (all lower case, no full stops) is cut at clause boundaries (commas, colons, brackets) and
then to a window of words around the item. Output is deterministic.
"""

from quiz.core.generate.draft import draft_bank, draft_questions
from quiz.core.generate.items import detect_items

__all__ = ["detect_items", "draft_bank", "draft_questions"]
