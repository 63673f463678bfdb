"""An Anki review log as a profile's answer history, and each card's schedule from it.

Each review becomes an answer in one study session of kind `anki_import` (so imported
answers are told apart from answers given here), with the rating the learner gave in
Anki and a flashcard-style response (`revealed`, `knew` = not Again). The card's FSRS
state comes from replaying its reviews through the profile's fsrs scheduler; where Anki
kept its own FSRS memory state (stability, difficulty in the card's data), that is used,
and the card is due when Anki had it due, so what was due tomorrow there is due tomorrow
here. A review already imported (same question, same moment) is not imported twice.
"""

import json
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from quiz.core.responses import RecallResponse
from quiz.core.scheduling import NEW, CardSnapshot, make_scheduler, review
from quiz.interop.apkg_read import Card, Collection, Review
from quiz.services.cards import store_card, sync_cards_in
from quiz.services.profiles import ProfileInfo
from quiz.store.models import AnswerRecord, Profile, Question, StudySession

IMPORTED_KIND = "anki_import"
_REVIEW_KINDS = {0, 1, 2, 3}  # learn, review, relearn, filtered; not manual reschedules
ANKI_REVIEW_QUEUES = {2, 3}  # due is a day number from the collection's creation
ANKI_LEARN_QUEUE = 1  # due is a time in seconds


def _moment(milliseconds: int) -> datetime:
    return datetime.fromtimestamp(milliseconds / 1000, UTC)


def anki_due(card: Card, collection: Collection) -> datetime | None:
    """When Anki had the card due, or None for a new, suspended or buried card."""
    if card.queue in ANKI_REVIEW_QUEUES:
        return datetime.fromtimestamp(collection.collection_created, UTC) + timedelta(days=card.due)
    if card.queue == ANKI_LEARN_QUEUE:
        return datetime.fromtimestamp(card.due, UTC)
    return None


def anki_memory(card: Card) -> tuple[float, float] | None:
    """Anki's own FSRS stability and difficulty for the card, when it kept them."""
    try:
        data = json.loads(card.data or "{}")
    except ValueError:
        return None
    if isinstance(data, dict) and isinstance(data.get("s"), int | float) and data.get("d"):
        return float(data["s"]), float(data["d"])
    return None


def import_history(
    session: Session,
    profile_id: int,
    collection: Collection,
    note_questions: dict[int, str],
    now: datetime,
) -> int:
    """Write the reviews of the imported notes as answers; returns how many were new."""
    profile_row = session.get(Profile, profile_id)
    assert profile_row is not None
    profile = ProfileInfo.of(profile_row)
    sync_cards_in(session, profile_id)
    keys = sorted(set(note_questions.values()))
    question_ids: dict[str, int] = {}
    for start in range(0, len(keys), 500):  # keep IN lists short
        chunk = keys[start : start + 500]
        query = select(Question.key, Question.id).where(Question.key.in_(chunk))
        question_ids.update((key, qid) for key, qid in session.execute(query))
    cards = {card.id: card for card in collection.cards}
    by_question: dict[int, list[Review]] = defaultdict(list)
    cards_of: dict[int, list[Card]] = defaultdict(list)
    for card in collection.cards:
        key = note_questions.get(card.note_id)
        if key in question_ids:
            cards_of[question_ids[key]].append(card)
    for entry in collection.reviews:
        reviewed = cards.get(entry.card_id)
        key = note_questions.get(reviewed.note_id) if reviewed else None
        if key in question_ids and 1 <= entry.ease <= 4 and entry.kind in _REVIEW_KINDS:
            by_question[question_ids[key]].append(entry)
    if not by_question:
        return 0
    done: set[tuple[int, datetime]] = set()
    studied = sorted(by_question)
    for start in range(0, len(studied), 500):
        answered = select(AnswerRecord.question_id, AnswerRecord.answered_at).where(
            AnswerRecord.profile_id == profile_id,
            AnswerRecord.question_id.in_(studied[start : start + 500]),
        )
        done.update((qid, moment) for qid, moment in session.execute(answered))
    first = min(entry.id for entries in by_question.values() for entry in entries)
    last = max(entry.id for entries in by_question.values() for entry in entries)
    study = StudySession(
        profile_id=profile_id,
        kind=IMPORTED_KIND,
        started_at=_moment(first),
        ended_at=_moment(last),
        details={"source": "anki", "collection": collection.layout},
    )
    session.add(study)
    session.flush()
    scheduler = make_scheduler(profile.scheduler_settings(), fuzz=False)
    rows = []
    connection = session.connection()
    for question_id, entries in by_question.items():
        snapshot = CardSnapshot()
        for entry in sorted(entries, key=lambda e: e.id):
            moment = _moment(entry.id)
            after = review(scheduler, snapshot, entry.ease, moment)
            if (question_id, moment) not in done:
                rows.append(
                    {
                        "session_id": study.id,
                        "profile_id": profile_id,
                        "question_id": question_id,
                        "answered_at": moment,
                        "response": RecallResponse(knew=entry.ease > 1).model_dump(mode="json"),
                        "correct": entry.ease > 1,
                        "duration_ms": max(0, entry.duration_ms),
                        "rating": entry.ease,
                        "state_before": snapshot.state,
                        "previous_state": snapshot.to_dict(),
                        "overridden": False,
                    }
                )
            snapshot = after
        store_card(
            connection,
            profile_id,
            question_id,
            _with_anki_state(snapshot, cards_of[question_id], collection),
        )
    if rows:
        session.execute(insert(AnswerRecord), rows)
    else:
        session.delete(study)
    return len(rows)


def _with_anki_state(
    snapshot: CardSnapshot, cards: list[Card], collection: Collection
) -> CardSnapshot:
    """The replayed state, with Anki's own memory state and due date where it had them."""
    if snapshot.state == NEW or not cards:
        return snapshot
    dues = [due for card in cards if (due := anki_due(card, collection)) is not None]
    memory = next((m for card in cards if (m := anki_memory(card)) is not None), None)
    if dues:
        snapshot = replace(snapshot, due=min(dues))
    if memory is not None:
        snapshot = replace(snapshot, stability=memory[0], difficulty=memory[1])
    return snapshot
