"""A sealed drill file (feedback "none": no answer key) taken in the app: the answer is
saved ungraded, the result says the teacher grades it, and the teacher's import does."""

from contextlib import closing
from pathlib import Path

from textual.widgets import Static

from quiz.services.auth import create_teacher
from quiz.services.database import open_database
from quiz.services.drills import create_drill, spec_from_dict
from quiz.services.drills.drill_files import (
    drill_file_text,
    export_drill_file,
    import_drill_file,
    write_text_file,
)
from quiz.services.drills.result_files import export_results, import_results
from quiz.services.profiles import get_or_create_profile
from quiz.tui.app import make_app
from quiz.tui.screens.drills import DrillResultScreen
from tests.test_tui_study import SIZE, STUDY_BANK, Clock, type_text

from .conftest import NOW
from .drill_steps import start_first_drill


async def test_a_sealed_drill_is_submitted_ungraded_and_graded_by_the_teacher(
    tmp_path: Path,
) -> None:
    from quiz.services.bank import import_banks

    teacher_db = open_database(f"sqlite:///{tmp_path / 'teacher.db'}", NOW, import_builtin=False)
    import_banks(teacher_db, [STUDY_BANK], NOW)
    teacher = create_teacher(teacher_db, "teach", "654321", NOW)
    get_or_create_profile(teacher_db, "ann", NOW)
    spec = spec_from_dict({"title": "Dates", "questions": ["st-signed"], "feedback": "none"})
    drill = create_drill(teacher_db, teacher, spec, NOW)
    path = tmp_path / "dates-ann.quizdrill"
    write_text_file(
        path, drill_file_text(export_drill_file(teacher_db, teacher, drill.id, "ann", NOW))
    )
    assert "30 March 1856" not in path.read_text()

    with closing(open_database(f"sqlite:///{tmp_path / 'ann.db'}", NOW, False)) as home:
        import_drill_file(home, path, NOW)
        app = make_app(home, profile_name="ann", clock=Clock(NOW), seed=3)
        async with app.run_test(size=SIZE) as pilot:
            await start_first_drill(pilot)
            await type_text(pilot, "30 March 1856")
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("ctrl+s")
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
            await pilot.pause()
            assert isinstance(app.screen, DrillResultScreen)
            shown = "\n".join(str(w.render()) for w in app.screen.query(Static).results(Static))
            assert "SUBMITTED" in shown and "Your teacher grades this drill" in shown
            assert "score only" not in shown
            assert "right" not in shown.split("SUBMITTED")[1].split("Your teacher")[0]
        ann = get_or_create_profile(home, "ann", NOW)
        results = tmp_path / "ann.results"
        export_results(home, ann, NOW, results.write_text)
    [imported] = import_results(teacher_db, teacher, [results], NOW)
    assert (imported.correct, imported.total, imported.passed) == (1, 1, True)
    teacher_db.close()
