"""Mock exams in the TUI: taking one is the attempt screen with the exam's `PaperActions`;
the setup, the report and the exam date have modules of their own (re-exported here)."""

from textual.screen import Screen

from quiz.services.mock_exam import ExamReport, answer_exam, finish_exam
from quiz.services.paper import PaperView
from quiz.tui.context import StudyContext
from quiz.tui.screens.attempt import PaperActions
from quiz.tui.screens.exam_date import ExamDateScreen as ExamDateScreen
from quiz.tui.screens.exam_report import ExamReportScreen as ExamReportScreen
from quiz.tui.screens.exam_setup import ExamSetup as ExamSetup
from quiz.tui.screens.exam_setup import ExamSetupScreen as ExamSetupScreen


def _report_screen(context: StudyContext, paper: PaperView, report: ExamReport) -> Screen[None]:
    questions = {q.question_id: q.question for q in paper.questions}
    return ExamReportScreen(context, report, questions)


EXAM = PaperActions(
    label="Mock exam",
    answer=answer_exam,
    finish=finish_exam,
    result=_report_screen,
    leave_keeps_it_open=False,
)
