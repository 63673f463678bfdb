"""Files for a class without a server: a drill file (teacher -> one student) and a results
file (student -> teacher), JSON, each signed with HMAC-SHA256.

Keys: the teacher's database keeps a random secret per drill (never written to a file).
Each student's key is derived from it: HMAC-SHA256(secret, "quiz student key" | drill uid |
student name). A drill file carries that student's key, so the student's app can sign the
results; the teacher derives the same key again to check them. So a student can sign
results in their own name for that drill only, never in another student's name or for
another drill; the teacher's import grades the responses again, so a signed file cannot
raise a score. The signature over a drill file (with the same key) catches a damaged or
edited file, nothing more: whoever holds the file holds its key.
"""

import hashlib
import hmac
import json
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from quiz.bank.drill import Feedback

DRILL_FORMAT = "quiz-drill-file"
RESULTS_FORMAT = "quiz-results-file"
VERSION = 1
MAX_CLASS_FILE_BYTES = 4 * 1024 * 1024


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- what the databases keep (Drill.exchange) ---------------------------------------------


class TeacherExchange(_Model):
    """On the teacher's drill: its public id in files and the secret keys derive from."""

    role: Literal["teacher"] = "teacher"
    uid: str
    secret: str  # hex; never leaves the teacher's database


class StudentExchange(_Model):
    """On a drill imported from a file: whose file it is, the key to sign results with,
    whether the answer key was left out, and each local question key's key at the teacher."""

    role: Literal["student"] = "student"
    uid: str
    student: str
    key: str  # hex
    sealed: bool
    keys: dict[str, str]  # local question key -> the teacher's question key


Exchange = TeacherExchange | StudentExchange


def read_exchange(data: dict[str, Any] | None) -> Exchange | None:
    if data is None:
        return None
    if data.get("role") == "student":
        return StudentExchange.model_validate(data)
    return TeacherExchange.model_validate(data)


# -- the files ----------------------------------------------------------------------------


class DrillSettings(_Model):
    shuffle_questions: bool
    shuffle_options: bool
    time_limit_minutes: int | None
    pass_mark: float
    feedback: Feedback
    attempts: int | None
    allow_override: bool
    opens_at: AwareDatetime | None
    closes_at: AwareDatetime | None


class DrillPayload(_Model):
    """A drill for one student. `questions` are whole questions, or (sealed: feedback
    "none") only what is shown: no answers, explanation or source."""

    uid: str
    title: str
    description: str
    student: str
    key: str  # the student's signing key (hex)
    sealed: bool
    settings: DrillSettings
    questions: list[dict[str, Any]] = Field(min_length=1)


class DrillFile(_Model):
    format: Literal["quiz-drill-file"]
    version: Literal[1]
    drill: DrillPayload
    signature: str


class AnswerEntry(_Model):
    """One response as given: nothing in it is a verdict."""

    question: str  # the teacher's question key
    response: dict[str, Any]
    answered_at: AwareDatetime
    duration_ms: int = Field(ge=0)
    claimed_right: bool = False  # "I was right" (only counts where the drill allows it)


class AttemptEntry(_Model):
    attempt: str  # a random id made when the attempt started
    number: int = Field(ge=1)
    started_at: AwareDatetime
    ended_at: AwareDatetime
    questions: list[str] = Field(min_length=1)  # the teacher's keys, in the order asked
    option_orders: dict[str, list[str]] = {}  # teacher key -> options as shown
    answers: list[AnswerEntry]


class ResultsPayload(_Model):
    uid: str
    student: str
    exported_at: AwareDatetime
    attempts: list[AttemptEntry] = Field(min_length=1)


class ResultsFile(_Model):
    format: Literal["quiz-results-file"]
    version: Literal[1]
    results: ResultsPayload
    signature: str


# -- signing -------------------------------------------------------------------------------


def canonical(model: BaseModel) -> bytes:
    """The bytes a signature covers: the payload as sorted, compact JSON."""
    data = model.model_dump(mode="json")
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def student_key(secret_hex: str, uid: str, student: str) -> bytes:
    """A student's key for one drill, derived from the drill's secret."""
    message = b"quiz student key\x00" + uid.encode() + b"\x00" + student.encode()
    return hmac.new(bytes.fromhex(secret_hex), message, hashlib.sha256).digest()


def sign(key: bytes, kind: str, payload: BaseModel) -> str:
    """HMAC-SHA256 of the payload, told apart by `kind` (a drill or a results file)."""
    return hmac.new(key, kind.encode() + b"\x00" + canonical(payload), hashlib.sha256).hexdigest()


def signed_by(key: bytes, kind: str, payload: BaseModel, signature: str) -> bool:
    return hmac.compare_digest(sign(key, kind, payload), signature)


def dump_file(model: BaseModel) -> str:
    return json.dumps(model.model_dump(mode="json"), indent=1, ensure_ascii=False) + "\n"
