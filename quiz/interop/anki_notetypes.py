"""The Anki note types `quiz` writes, one per question type, with fixed ids.

The ids never change: Anki matches a note type by id when a package is imported again, so
a second export updates the notes instead of adding a renamed copy of the note type.
Every note type ends with Explanation, Source and Id (our question id), which is how an
import recognises a note that `quiz` wrote and brings the question back whole.
"""

from dataclasses import dataclass

CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: left; }
.extra { font-size: 16px; color: #555; margin-top: 1em; }
.choices { margin: .5em 0; }"""
BACK_EXTRA = (
    '<div class="extra">{{Explanation}}</div>'
    '{{#Source}}<div class="extra">Source: “{{Source}}”</div>{{/Source}}'
)
COMMON_FIELDS = ("Explanation", "Source", "Id")


@dataclass(frozen=True)
class NoteType:
    """One of our note types: its fixed id, name, fields and card template."""

    id: int
    kind: str  # our question type
    name: str
    fields: tuple[str, ...]
    front: str
    back: str
    cloze: bool = False


NOTE_TYPES = (
    NoteType(
        1_718_235_101,
        "flashcard",
        "quiz: basic",
        ("Front", "Back", *COMMON_FIELDS),
        "{{Front}}",
        '{{FrontSide}}<hr id="answer">{{Back}}' + BACK_EXTRA,
    ),
    NoteType(
        1_718_235_102,
        "short_answer",
        "quiz: type in the answer",
        ("Prompt", "Answer", "Accept", *COMMON_FIELDS),
        "{{Prompt}}<br><br>{{type:Answer}}",
        "{{Prompt}}<br><br>{{type:Answer}}"
        '{{#Accept}}<div class="extra">Also accepted: {{Accept}}</div>{{/Accept}}' + BACK_EXTRA,
    ),
    NoteType(
        1_718_235_103,
        "cloze",
        "quiz: cloze",
        ("Text", "Accept", *COMMON_FIELDS),
        "{{cloze:Text}}",
        "{{cloze:Text}}"
        '{{#Accept}}<div class="extra">Also accepted: {{Accept}}</div>{{/Accept}}' + BACK_EXTRA,
        cloze=True,
    ),
    NoteType(
        1_718_235_104,
        "multiple_choice",
        "quiz: multiple choice",
        ("Prompt", "Choices", "Answers", *COMMON_FIELDS),
        '{{Prompt}}<div class="choices">{{Choices}}</div>',
        '{{FrontSide}}<hr id="answer">{{Answers}}' + BACK_EXTRA,
    ),
    NoteType(
        1_718_235_105,
        "true_false",
        "quiz: true or false",
        ("Statement", "Answer", *COMMON_FIELDS),
        "True or false?<br><br>{{Statement}}",
        '{{FrontSide}}<hr id="answer">{{Answer}}' + BACK_EXTRA,
    ),
    NoteType(
        1_718_235_106,
        "ordering",
        "quiz: put in order",
        ("Prompt", "Items", "Shuffled", *COMMON_FIELDS),
        '{{Prompt}}<div class="choices">{{Shuffled}}</div>',
        '{{FrontSide}}<hr id="answer">{{Items}}' + BACK_EXTRA,
    ),
)
BY_KIND = {note_type.kind: note_type for note_type in NOTE_TYPES}
BY_ID = {note_type.id: note_type for note_type in NOTE_TYPES}
BY_NAME = {note_type.name: note_type for note_type in NOTE_TYPES}
