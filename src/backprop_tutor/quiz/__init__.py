"""The quiz: a step's trace turned into questions, and every typed answer checked.

Plain Python (no Textual, no Rich), so the app's quiz panel, the plain front end and
the self-study mode all use the same checker.

Use::

    from backprop_tutor.quiz import QuizSession, Verdict

    session = QuizSession(lesson)            # or QuizSession(lesson, traces)
    for question in session.questions_for(1):   # steps are 1-based
        question.id        # QuestionId(step=1, kind=Kind.VALUE, node="u"); str() → "1:value:u"
        question.prompt    # "u = ?", "δ = ∂J/∂v = ?", "∂J/∂a = ?", "new a = ?"
        question.label     # the prompt without " = ?"
        question.symbol    # how other messages name it: "δ" where the label is "δ = ∂J/∂v"
        question.stage     # "forward", "backward" or "update"
        question.kind      # Kind.VALUE, Kind.GRADIENT, Kind.UPDATE; where the plan asks
                           # them, Kind.PATHS, Kind.LOCAL and Kind.FORMULA (typed answers)
        question.node      # the graph node it is about
        question.expected  # the engine's value (full precision)
        question.skills    # tags: "evaluate", "local:power", "chain-rule", "branch-merge",
                           #       "regularization", "update" (see quiz.skills)
        question.depends_on  # ids of the earlier questions its formula uses
        QuestionId.parse("1:grad:a")   # only where an id comes in as text (progress files)

    feedback = session.answer(question.id, "0.8346")
    feedback.verdict     # Verdict: CORRECT, CORRECT_ROUNDED, INCOMPLETE_PRECISION,
                         #          METHOD_CORRECT_CARRIED, WRONG, UNREADABLE
    feedback.solved      # True for the first three: move on to the next question
    feedback.counted     # False for UNREADABLE: it was not an answer, say so and wait
    feedback.message     # one or two sentences to show under the input
    feedback.diagnosis   # the named mistake (Mistake.PATH_LEFT_OUT, …) or None
    feedback.expected, feedback.shown   # the right value, and as the lesson prints it
    feedback.value       # the learner's number, when it could be read

    hint = session.hint(question.id)      # next level each call: hint.level 1..3, hint.text,
                                          # hint.last once the third is shown, hint.message
                                          # as every front end shows it
    shown = session.reveal(question.id)   # shown.shown, shown.message; revealed, not solved
    session.status(question.id)           # Status: UNANSWERED, ATTEMPTED, SOLVED, REVEALED
    session.next_open(step)               # first question neither solved nor revealed
    session.summary()                     # Summary: counts, mistakes, per-skill scores
                                          # (the study session returns the same type)

Mistakes (`quiz.diagnosis.Mistake`, a StrEnum whose values files and tests key on):
sign, local_sign, path_left_out, one_branch_only, summed_at_wrong_node, factor_left_out,
power_rule_slip, update_plus, update_no_rate, update_data_only, stale_step,
stale_parameters, stale_inputs.

Answers are read by `quiz.answers.read_answer` (never raises); the tolerance rule is
`quiz.checker.TOLERANCE_RULE`, a sentence front ends can show in their help. What a
learner types for a hint or a reveal, and the stages' titles, are in `quiz.words`. The
front ends live elsewhere: the plain one in `backprop_tutor.plain`, the app in `tui`.
A session asks the lesson's plan (`quiz.plan.lesson_plan(lesson)`, from its `[quiz]`
table; by default the worked example's three moves at step 1, the numbers later);
`QuizSession(lesson, plan=NUMBERS_ONLY)` asks the numbers only.
Modules: plan (which kinds each step asks), path_answer (paths as a set), formula_answer
(formulas by evaluation), typed_kinds (their feedback, hints, reveals), ids (question
ids), answers (reading), questions (a trace → questions), skills (tags), checker
(verdicts), carried (the learner's own numbers), diagnosis (named mistakes), hints,
record (one question's history), summary, session, words.
"""

from __future__ import annotations

from .answers import Reading, Unreadable, read_answer
from .checker import TOLERANCE_RULE, Feedback, Verdict, check
from .diagnosis import Mistake
from .endings import LessonEnd, NextLesson, ParameterMove, StepEnd
from .hints import Hint
from .ids import Kind, QuestionId
from .questions import Question, build_questions
from .record import Attempt, QuestionRecord, Status
from .scaffold import Breakdown, Part
from .session import Known, QuizSession, Reveal
from .summary import SkillScore, Standing, Summary, summarize

__all__ = [
    "TOLERANCE_RULE",
    "Attempt",
    "Breakdown",
    "Feedback",
    "Hint",
    "Kind",
    "Known",
    "LessonEnd",
    "Mistake",
    "NextLesson",
    "ParameterMove",
    "Part",
    "Question",
    "QuestionId",
    "QuestionRecord",
    "QuizSession",
    "Reading",
    "Reveal",
    "SkillScore",
    "Standing",
    "Status",
    "StepEnd",
    "Summary",
    "Unreadable",
    "Verdict",
    "build_questions",
    "check",
    "read_answer",
    "summarize",
]
