"""The benchmark (`python -m quiz.bench`) at a tiny size: it runs end to end and its JSON
keeps the keys scripts read. Times are printed, never asserted."""

import json
import os
import sqlite3
from pathlib import Path

import pytest

from quiz.bench import build_collection, log_bounds, main, per_tenfold, profile_names

# the keys scripts read (issue 13): renaming one breaks them
SCRIPT_KEYS = (
    "review_cycle_median_ms",
    "review_cycle_p99_ms",
    "startup_first_paint_ms",
    "startup_counts_ms",
    "startup_baseline_ms",
    "statistics_ms",
    "import_10k_yaml_s",
    "import_10k_json_s",
    "peak_rss_mb",
    "statements_per_answer",
    "transactions_per_answer",
)
TINY = ["--questions", "60", "--answers", "600", "--profiles", "3", "--cycles", "10"]
TINY += ["--runs", "1", "--students", "4", "--drill-questions", "3", "--import-questions", "20"]
SMALL = ["--questions", "200", "--answers", "2000", "--profiles", "3"]


def _bench(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main([*args, "--json"]) == 0
    return dict(json.loads(capsys.readouterr().out.strip().splitlines()[-1]))


def test_a_tiny_run_reports_every_key_scripts_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    results = _bench(capsys, *TINY, "--keep", str(tmp_path))
    missing = [key for key in SCRIPT_KEYS if key not in results]
    assert not missing
    assert all(isinstance(results[key], int | float) for key in SCRIPT_KEYS)
    assert results["review_cycles"] == 10 and results["transactions_per_answer"] >= 1
    # the drill was taken by every student and the report covers each, item analysis too
    assert results["drill_students"] == 4 and results["drill_item_analysis_attempts"] == 4
    assert results["drill_questions"] == 3 and isinstance(results["drill_report_30_ms"], float)
    assert results["import_questions"] == 20 and results["profiles"] == 3
    # the kept collection is left as built: the drill and the answers were taken on copies
    with sqlite3.connect(tmp_path / "bench.db") as db:
        assert db.execute("SELECT count(*) FROM drills").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM answers").fetchone() == (600,)


def test_the_collection_is_spread_over_the_learners(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    build_collection(path, questions=40, answers=301, profiles=3)
    with sqlite3.connect(path) as db:
        per_learner = db.execute(
            "SELECT p.name, count(a.id) FROM profiles p LEFT JOIN answers a"
            " ON a.profile_id = p.id GROUP BY p.id ORDER BY p.name"
        ).fetchall()
        cards = db.execute("SELECT profile_id, count(*) FROM card_states GROUP BY 1").fetchall()
        buckets = db.execute("SELECT sum(answers) FROM answer_buckets").fetchone()
        found = db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        indexes = {name for (name,) in found}
    assert dict(per_learner) == {"bench": 101, "learner-02": 100, "learner-03": 100}
    assert [count for _, count in cards] == [40, 40, 40]  # every learner synced
    assert buckets == (301,)  # the app's triggers kept the buckets during the load
    assert {"ix_answers_profile_stats", "ix_card_states_queue"} <= indexes  # made again
    assert profile_names(3) == ["bench", "learner-02", "learner-03"]


def test_growth_gives_each_quantity_per_tenfold_step(capsys: pytest.CaptureFixture[str]) -> None:
    results = _bench(capsys, "--growth", "--only", "statistics", *SMALL)
    growth = results["growth"]
    assert isinstance(growth, dict)
    assert growth["questions"] == [2, 20, 200] and growth["answers"] == [20, 200, 2000]
    statistics = growth["quantities"]["statistics_ms"]
    assert len(statistics["values"]) == 3 and len(statistics["ratio_per_10x"]) == 2
    assert isinstance(statistics["log_or_better"], bool) and statistics["judged"]
    assert growth["log_or_better"] == statistics["log_or_better"]
    assert list(growth["quantities"]) == ["statistics_ms"]  # only what was asked


def test_growth_refuses_a_measurement_it_does_not_take(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--growth", "--only", "import"])
    assert "--growth measures startup, statistics, review" in capsys.readouterr().err


def test_growth_is_judged_against_the_logarithmic_bound() -> None:
    steps = [1000, 10_000, 100_000]
    assert log_bounds(steps) == [round(4 / 3, 3), 1.25]  # log(10n) / log(n)
    flat = per_tenfold(steps, [2.0, 2.1, 2.0])
    assert flat["ratio_per_10x"] == [1.05, 0.952] and flat["log_or_better"]
    logarithmic = per_tenfold(steps, [3.0, 4.0, 5.0])  # cost = log10(questions)
    assert logarithmic["log_or_better"]
    linear = per_tenfold(steps, [1.0, 10.0, 100.0])
    assert linear["ratio_per_10x"] == [10.0, 10.0] and not linear["log_or_better"]
    late = per_tenfold(steps, [3.0, 4.0, 8.0])  # log at first, then doubling
    assert not late["log_or_better"]


def test_a_folder_holding_another_file_is_refused_and_left_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    stranger = tmp_path / "bench.db"
    stranger.write_bytes(b"my notes, not a database")
    assert main([*TINY, "--only", "statistics", "--keep", str(tmp_path)]) == 1
    assert "is not a collection the bench built; give --keep a new folder" in (
        capsys.readouterr().err
    )
    assert stranger.read_bytes() == b"my notes, not a database"


def test_anki_is_timed_beside_our_review_cycle(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip("anki.collection", reason="the anki wheel is not installed")
    results = _bench(capsys, *TINY, "--only", "review", "--only", "anki")
    # Anki's engine at as many notes, every timed cycle answered a card into its review log
    assert results["anki_notes"] == 60 and results["anki_review_cycles"] == 10
    assert results["anki_revlog_added"] == 10
    for key in ("anki_review_median_ms", "anki_review_cpu_median_ms", "anki_render_median_ms"):
        assert isinstance(results[key], float) and results[key] > 0
    assert results["anki_review_p99_ms"] <= results["anki_review_max_ms"]
    assert isinstance(results["anki_build_s"], float) and results["anki_version"]
    ratio = results["review_cycle_median_ms"] / results["anki_review_median_ms"]
    assert results["review_vs_anki"] == round(ratio, 2)
    ratio = results["review_cycle_p99_ms"] / results["anki_review_p99_ms"]
    assert results["review_p99_vs_anki"] == round(ratio, 2)


def test_anki_is_skipped_saying_why_when_it_cannot_be_imported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "anki").mkdir()
    (tmp_path / "anki" / "__init__.py").write_text("raise ImportError('no engine here')\n")
    paths = [str(tmp_path), *filter(None, [os.environ.get("PYTHONPATH")])]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))  # the child finds this first
    results = _bench(capsys, *TINY, "--only", "anki")
    assert results["anki_skipped"] == "the anki package cannot be imported (no engine here)"
    assert "review_vs_anki" not in results and "anki_review_median_ms" not in results
