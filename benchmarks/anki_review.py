"""Time Anki's review cycle (its Rust engine, the `anki` wheel) the way quiz.bench times ours.

    python benchmarks/anki_review.py [--notes N] [--cycles C] [--json]

Builds, in a temporary folder, a collection of N Basic notes ("Question i" / "Answer i"),
FSRS on, every card a review card due today with a memory state, daily limits of 9999.
Then, as the desktop reviewer does: fetch the first queued card (untimed, as quiz.bench's
first card: it builds today's queue; `anki_first_fetch_ms`), and C times: show the card
(render its question and answer), answer it with the scheduling states that came with it
(Again one time in five, as quiz.bench answers wrong, else Good), which reschedules it and
records the review log, and fetch the next queued card with today's counts. Each cycle's
wall time (perf_counter) and thread CPU time (thread_time), as `measure_review_cycles` in
quiz/bench.py (whose cycle is likewise: answer the card in hand, fetch the next one).
`python -m quiz.bench --only anki` runs this in a child process.

Timings are printed, never asserted (DESIGN.md). Without the `anki` wheel (an optional
test dependency) the measurement says so and is skipped.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.append(str(Path(__file__).resolve().parents[1]))  # PYTHONPATH wins: compare checkouts

from quiz.bench import cycle_times, table

NOTES = 100_000
CYCLES = 500
LIMIT = 9999  # new and review cards a day: every timed cycle finds a card


def build(collection: Any, notes: int) -> None:
    """Fill an empty Anki collection: `notes` Basic notes in the default deck, each card in
    review, due today, interval 1-30 days (last reviewed that long ago), FSRS stability and
    difficulty set; FSRS on, limits of `LIMIT`."""
    from anki.collection import AddNoteRequest
    from anki.decks import DeckId

    collection.set_config("fsrs", True)
    deck = DeckId(1)
    config = collection.decks.config_dict_for_deck_id(deck)
    config["new"]["perDay"] = LIMIT
    config["rev"]["perDay"] = LIMIT
    collection.decks.update_config(config)
    basic = collection.models.by_name("Basic")
    requests = []
    for i in range(notes):
        note = collection.new_note(basic)
        note["Front"] = f"Question {i}"
        note["Back"] = f"Answer {i}"
        requests.append(AddNoteRequest(note=note, deck_id=deck))
    collection.add_notes(requests)  # one backend call
    # Every card a review card due today, in one statement: the interval varies with the
    # id, the FSRS memory state (card data: s, d, desired retention, last review) with it.
    now = int(time.time())
    collection.db.execute(
        "UPDATE cards SET type = 2, queue = 2, due = ?, ivl = 1 + id % 30, factor = 2500,"
        " reps = 1 + id % 20, lapses = id % 4, data = '{\"s\":' || (1 + id % 30) || '.0,"
        '"d":\' || (1 + id % 9) || \'.0,"dr":0.9,"lrt":\' || (? - 86400 * (1 + id % 30))'
        " || '}'",
        collection.sched.today,
        now,
    )


def measure(notes: int = NOTES, cycles: int = CYCLES) -> dict[str, Any]:
    """Build the collection, then time `cycles` review cycles (see the module's text)."""
    try:
        from anki.collection import Collection  # first: anki.cards alone is a circular import
    except ImportError as error:
        return {"anki_skipped": f"the anki package cannot be imported ({error})"}
    from anki.buildinfo import version
    from anki.cards import Card
    from anki.scheduler.v3 import CardAnswer

    with tempfile.TemporaryDirectory(prefix="anki-bench-") as folder:
        start = time.perf_counter()
        collection = Collection(os.path.join(folder, "collection.anki2"))
        build(collection, notes)
        built = time.perf_counter() - start
        scheduler = collection.sched
        logged = collection.db.scalar("SELECT count(*) FROM revlog")
        start = time.perf_counter()
        queued = scheduler.get_queued_cards()  # builds today's queue: untimed, as our begin()
        first_fetch = time.perf_counter() - start
        timings: list[float] = []
        cpu: list[float] = []
        render: list[float] = []
        for n in range(cycles):
            if not queued.cards:
                break
            start_cpu = time.thread_time()
            start = time.perf_counter()
            top = queued.cards[0]
            card = Card(collection, backend_card=top.card)
            card.start_timer()
            shown = time.perf_counter()
            card.question()
            card.answer()
            render.append((time.perf_counter() - shown) * 1000)
            states = top.states
            states.current.custom_data = top.card.custom_data  # as the desktop's V3CardInfo
            rating = CardAnswer.AGAIN if n % 5 == 0 else CardAnswer.GOOD
            answer = scheduler.build_answer(card=card, states=states, rating=rating)
            scheduler.answer_card(answer)
            scheduler.state_is_leech(answer.new_state)
            queued = scheduler.get_queued_cards()  # the next card, its states, the counts
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
        answered = collection.db.scalar("SELECT count(*) FROM revlog") - logged
        collection.close()
    return {
        "anki_version": version,
        "anki_notes": notes,
        "anki_build_s": round(built, 1),
        "anki_first_fetch_ms": round(first_fetch * 1000, 1),
        "anki_review_cycles": len(timings),
        **cycle_times("anki_review", timings, cpu),
        "anki_render_median_ms": round(statistics.median(render), 3) if render else None,
        "anki_revlog_added": answered,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/anki_review.py", description=__doc__)
    parser.add_argument("--notes", type=int, default=NOTES, help="notes (one card each)")
    parser.add_argument("--cycles", type=int, default=CYCLES, help="review cycles to time")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.notes < 1 or args.cycles < 1:
        parser.error("--notes and --cycles must be at least 1")
    results = measure(args.notes, args.cycles)
    print(json.dumps(results) if args.json else table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
