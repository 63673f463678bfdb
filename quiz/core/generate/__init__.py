"""Draft questions from plain-text material, offline and without a language model.

1. Capitals: kept, or restored for lower-cased material by truecase's model when the
   optional `drafting` extra is installed (:mod:`.casing`), and for the names the text
   builds as names either way (:mod:`.recased`).
2. Sentences, even without full stops: cut where a new clause with its own subject
   begins (:mod:`.sentences`).
3. Answers by importance: names, dates of main events (also written in words,
   :mod:`.written_dates`), years, shares, key phrases; never the deck's title, a section's
   name, an adjective or half a name; give-aways and trivia filtered out
   (:mod:`.candidates`).
4. Drafts: at most two per sentence, each answer once, in turn cloze, multiple choice (with
   distractors of the answer's kind, :mod:`.choices`), short answer and true/false, and a
   chronology when the text dates four events; explanations say what the answer is and
   where the text says it; topics from the text's headings or its most named subjects
   (:mod:`.draft`). Deterministic for a given text.
"""

from quiz.core.generate.draft import draft_bank, draft_questions
from quiz.core.generate.items import detect_items

__all__ = ["detect_items", "draft_bank", "draft_questions"]
