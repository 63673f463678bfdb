"""Teacher-set drills: their definitions (`authoring`), taking them (`attempts`, papers of
kind "drill") the teacher's report (`report`) and the live view of a drill under way (`live`)."""

from quiz.bank.drill import DrillSpec as DrillSpec  # for the TUI
from quiz.bank.drill import drill_json_schema as drill_json_schema  # for the CLI
from quiz.services.drills.attempts import KIND as KIND
from quiz.services.drills.attempts import AttemptDetails as AttemptDetails
from quiz.services.drills.attempts import AttemptResult as AttemptResult
from quiz.services.drills.attempts import AttemptSummary as AttemptSummary
from quiz.services.drills.attempts import QuestionResult as QuestionResult
from quiz.services.drills.attempts import StudentDrill as StudentDrill
from quiz.services.drills.attempts import answer_attempt as answer_attempt
from quiz.services.drills.attempts import attempt_result as attempt_result
from quiz.services.drills.attempts import drills_for_student as drills_for_student
from quiz.services.drills.attempts import finish_attempt as finish_attempt
from quiz.services.drills.attempts import get_attempt as get_attempt
from quiz.services.drills.attempts import my_attempts as my_attempts
from quiz.services.drills.attempts import override_attempt_answer as override_attempt_answer
from quiz.services.drills.attempts import start_attempt as start_attempt
from quiz.services.drills.attempts import student_attempts as student_attempts
from quiz.services.drills.authoring import DrillInfo as DrillInfo
from quiz.services.drills.authoring import DrillPreview as DrillPreview
from quiz.services.drills.authoring import DrillProblems as DrillProblems
from quiz.services.drills.authoring import QuestionChoice as QuestionChoice
from quiz.services.drills.authoring import StoredSpec as StoredSpec
from quiz.services.drills.authoring import bank_topics as bank_topics
from quiz.services.drills.authoring import create_drill as create_drill
from quiz.services.drills.authoring import delete_drill as delete_drill
from quiz.services.drills.authoring import find_drill as find_drill
from quiz.services.drills.authoring import get_drill as get_drill
from quiz.services.drills.authoring import list_drills as list_drills
from quiz.services.drills.authoring import preview_drill as preview_drill
from quiz.services.drills.authoring import question_choices as question_choices
from quiz.services.drills.authoring import save_drill_file as save_drill_file
from quiz.services.drills.authoring import spec_from_dict as spec_from_dict
from quiz.services.drills.authoring import update_drill as update_drill
from quiz.services.drills.items import BASES as BASES
from quiz.services.drills.items import Basis as Basis
from quiz.services.drills.items import DrillAnalysis as DrillAnalysis
from quiz.services.drills.items import ItemRow as ItemRow
from quiz.services.drills.live import AttemptNow as AttemptNow
from quiz.services.drills.live import DrillNow as DrillNow
from quiz.services.drills.live import StudentNow as StudentNow
from quiz.services.drills.live import attempt_now as attempt_now
from quiz.services.drills.live import drill_now as drill_now
from quiz.services.drills.report import REPORT_COLUMNS as REPORT_COLUMNS
from quiz.services.drills.report import DrillReport as DrillReport
from quiz.services.drills.report import QuestionRow as QuestionRow
from quiz.services.drills.report import ReportTable as ReportTable
from quiz.services.drills.report import StudentRow as StudentRow
from quiz.services.drills.report import drill_report as drill_report
from quiz.services.drills.report import write_report_csv as write_report_csv
