"""The database schema as typed SQLAlchemy models. Alembic migrations own the real schema;
`tests/test_migrations.py` proves the two agree."""

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in Python, naive UTC in the database (same on every backend)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[str]: JSON}


class AppState(Base):
    """Small key/value facts about this database (last profile, built-in bank imported)."""

    __tablename__ = "app_state"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Deck(Base):
    """A named set of questions, imported from one bank file."""

    __tablename__ = "decks"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    material: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    questions: Mapped[list["Question"]] = relationship(back_populates="deck")


class Question(Base):
    """One question. `key` is the stable id from the bank file; `data` is the full question."""

    __tablename__ = "questions"
    __table_args__ = (
        Index("ix_questions_deck_active", "deck_id", "retired_at"),
        Index("ix_questions_deck_fact", "deck_id", "fact"),
        Index("ix_questions_retired_at", "retired_at"),  # the few retired, for statistics
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(32))
    topic: Mapped[str] = mapped_column(String(200))
    tags: Mapped[list[str]]
    difficulty: Mapped[int] = mapped_column(Integer)
    prompt: Mapped[str] = mapped_column(Text)
    fact: Mapped[str | None] = mapped_column(String(64))  # shared by questions on one fact
    data: Mapped[dict[str, Any]]
    content_hash: Mapped[str] = mapped_column(String(64))
    retired_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    deck: Mapped[Deck] = relationship(back_populates="questions")


class Profile(Base):
    """A learner (or teacher) with their study settings."""

    __tablename__ = "profiles"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    is_teacher: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    pin_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    pin_locked_until: Mapped[datetime | None]  # no PIN is checked before this time
    desired_retention: Mapped[float] = mapped_column(Float, default=0.9)
    new_per_day: Mapped[int] = mapped_column(Integer, default=20)
    max_reviews_per_day: Mapped[int] = mapped_column(Integer, default=200)
    day_start_hour: Mapped[int] = mapped_column(Integer, default=4)
    learning_steps_minutes: Mapped[list[int]] = mapped_column(JSON, default=lambda: [1, 10])
    theme: Mapped[str | None] = mapped_column(String(64))
    synced_question_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    exam_date: Mapped[date | None] = mapped_column(Date)
    time_zone: Mapped[str | None] = mapped_column(String(64))  # IANA name; None: the machine's
    extra_new_day: Mapped[date | None] = mapped_column(Date)  # the study day extra_new is for
    extra_new: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # FSRS parameters the scheduler uses (None: fsrs's defaults); `fsrs_source` says whose
    # reviews they were fitted on: "own", or "class" (a teacher's fit on pooled reviews)
    fsrs_parameters: Mapped[list[float] | None] = mapped_column(JSON)
    fsrs_fitted_at: Mapped[datetime | None]
    fsrs_fitted_reviews: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    fsrs_source: Mapped[str | None] = mapped_column(String(16))
    # workload limits: spread reviews so no day exceeds max_reviews_per_day; easy weekdays
    # (0 Monday .. 6 Sunday) get half of it
    load_balance: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    easy_days: Mapped[list[int] | None] = mapped_column(JSON)
    created_at: Mapped[datetime]


class CardState(Base):
    """A profile's FSRS scheduling state for one question.

    `state` is 0 for a new card (then `due` orders the new cards), else fsrs.State.
    Rows are created for every active question when a profile is synced, so every queue
    (new, learning, review) is one range of the (profile, suspended, state, due) index.
    `topic` and `retired` copy the question's (kept by database triggers, migration 0014),
    so mastery per topic is one range of the topics index; `deck_id` copies the question's
    deck (migration 0015), so a deck's queue is one range of the decks index.
    """

    __tablename__ = "card_states"
    __table_args__ = (
        Index("ix_card_states_queue", "profile_id", "suspended", "state", "due", "question_id"),
        Index(
            "ix_card_states_decks",
            "profile_id",
            "deck_id",
            "suspended",
            "state",
            "due",
            "question_id",
        ),
        Index(
            "ix_card_states_topics",
            "profile_id",
            "retired",
            "suspended",
            "topic",
            "state",
            "stability",
        ),
    )
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    state: Mapped[int] = mapped_column(Integer)
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime]
    last_review: Mapped[datetime | None]
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    topic: Mapped[str | None] = mapped_column(String(200))  # None only until the trigger fills it
    retired: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    deck_id: Mapped[int | None] = mapped_column(Integer)  # None only until the trigger fills it


class Drill(Base):
    """A teacher-set drill. `spec` is the validated drill definition (see quiz.drills)."""

    __tablename__ = "drills"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("profiles.id", ondelete="SET NULL"))
    spec: Mapped[dict[str, Any]]
    # files for a class without a server (quiz.bank.class_files): the teacher's drill keeps
    # its file id and secret; a drill imported from a file, whose it is and its key
    exchange: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class StudySession(Base):
    """One sitting: a review session, a drill attempt or a mock exam.

    `score` (0..1) and `details` (the questions drawn, time limit, per-topic results...) are
    filled in for drills and exams.
    """

    __tablename__ = "study_sessions"
    __table_args__ = (
        Index("ix_study_sessions_profile_started", "profile_id", "started_at"),
        Index("ix_study_sessions_drill", "drill_id"),
        Index("ix_study_sessions_exchange_id", "exchange_id", unique=True),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    deck_id: Mapped[int | None] = mapped_column(ForeignKey("decks.id", ondelete="SET NULL"))
    drill_id: Mapped[int | None] = mapped_column(ForeignKey("drills.id", ondelete="SET NULL"))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    score: Mapped[float | None] = mapped_column(Float)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # an attempt imported from a results file: "drill uid/student/attempt number", once
    exchange_id: Mapped[str | None] = mapped_column(String(160))


class AnswerRecord(Base):
    """Every answer given: what, when, right or not, how long it took, the rating.

    `state_before` is the card's state when it was asked (0 new, 1 learning, 2 review,
    3 relearning); `previous_state` keeps the whole card state so the answer can be undone.
    `rating` is None until the learner rates the card (the answer is saved before that).
    `overridden`: the grader marked a typed answer wrong and the learner claimed it was
    right ("I was right"); it is then stored correct.
    """

    __tablename__ = "answers"
    __table_args__ = (
        Index("ix_answers_session", "session_id"),
        Index("ix_answers_question", "question_id"),
        # a profile's answers by time; covers the statistics over a period (which then
        # never read the wide rows)
        Index(
            "ix_answers_profile_stats",
            "profile_id",
            "answered_at",
            "question_id",
            "state_before",
            "rating",
            "correct",
            "overridden",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("study_sessions.id", ondelete="CASCADE"))
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    answered_at: Mapped[datetime]
    response: Mapped[dict[str, Any]]
    correct: Mapped[bool] = mapped_column(Boolean)
    duration_ms: Mapped[int] = mapped_column(Integer)
    rating: Mapped[int | None] = mapped_column(Integer)
    state_before: Mapped[int | None] = mapped_column(Integer)
    previous_state: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    overridden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class AnswerBucket(Base):
    """Answers per profile per quarter hour (UTC), kept by database triggers on `answers`
    (inserts and deletes: migration 0004; updates: 0006), so per-day statistics sum a few
    rows instead of counting answers."""

    __tablename__ = "answer_buckets"
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True
    )
    starts_at: Mapped[datetime] = mapped_column(primary_key=True)
    answers: Mapped[int] = mapped_column(Integer)
    correct: Mapped[int] = mapped_column(Integer)
