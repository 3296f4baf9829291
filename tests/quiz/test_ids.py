"""Question ids: a value with a text form, read back in one place."""

from __future__ import annotations

import pytest

from backprop_tutor.quiz import Kind, QuestionId, QuizSession


def test_the_text_form_reads_back_as_the_same_id() -> None:
    """str() and parse are inverse, for every kind, and the node keeps any colon."""
    for qid in (
        QuestionId(1, Kind.VALUE, "u"),
        QuestionId(2, Kind.GRADIENT, "w5"),
        QuestionId(12, Kind.UPDATE, "lambda"),
        QuestionId(1, Kind.VALUE, "odd:name"),
    ):
        assert QuestionId.parse(str(qid)) == qid
    assert str(QuestionId(2, Kind.GRADIENT, "a")) == "2:grad:a"


@pytest.mark.parametrize("text", ["", "1", "1:grad", "1:grad:", "x:grad:a", "1:gradient:a"])
def test_text_that_is_not_an_id_is_refused_by_name(text: str) -> None:
    """A ValueError that quotes the text, never a half-read id."""
    with pytest.raises(ValueError, match="is not a question id"):
        QuestionId.parse(text)


def test_a_question_is_its_id(session: QuizSession) -> None:
    """Step, kind, node and stage are read off the id; no second copy to drift."""
    question = session.questions_for(1)[-1]
    assert (question.step, question.kind, question.node) == (
        question.id.step,
        question.id.kind,
        question.id.node,
    )
    assert question.stage == question.id.stage == "update"
    assert session.question(QuestionId(1, Kind.UPDATE, question.node)) is question
