"""What the lesson-text panel says at a stage, in the project's own words; no Textual."""

from __future__ import annotations

from backprop_tutor.engine import Lesson, StepTrace
from backprop_tutor.engine.numbers import format_number

# The general notes; {J} stands for the lesson's objective.
STAGE_TEXT = {
    "forward": (
        "Forward pass: compute every node from its operands, left to right. "
        "A node needs only the values of the nodes that point into it."
    ),
    "backward": (
        "Backward pass: start from ∂{J}/∂{J} = 1 and walk right to left. Each edge sends "
        "back ∂{J}/∂node × ∂node/∂operand; where a value feeds several nodes, "
        "what they send back adds up."
    ),
    "update": (
        "Update: move every parameter a small step against its gradient, θ ← θ − η·∂{J}/∂θ."
    ),
}
# The update note's last sentence: whether the lesson has a next step to start from them.
AFTER_UPDATE = (
    "These are the values a next step would start from.",  # a lesson of one step
    "The next step starts from these values.",
)


def stage_text(lesson: Lesson, stage: str) -> str:
    """The lesson's own note for a stage, or the general one."""
    general = STAGE_TEXT[stage].replace("{J}", lesson.graph.objective_label)
    if stage == "update":
        general += " " + AFTER_UPDATE[len(lesson.steps) > 1]
    return lesson.text.stage_text(stage) or general


def zero_input_note(lesson: Lesson, trace: StepTrace) -> str | None:
    """A note for inputs fed 0: which parameters then get gradient only off the data paths."""
    graph = lesson.graph
    zeros = [name for name, value in trace.inputs.items() if value == 0]
    if not zeros:
        return None
    sentences: list[str] = []
    for param in lesson.parameters:
        paths = list(trace.paths(param, limit=64))
        dead = [p for p in paths if any(f.local == 0 for f in p.factors)]
        alive = [p for p in paths if p not in dead]
        if not dead or not alive:
            continue
        label = graph.label(param)
        routes = ", ".join(" → ".join(graph.label(n) for n in p.nodes) for p in alive)
        sentences.append(
            f"Every path from {graph.objective_label} to {label} through the data has a "
            f"factor 0 now, so the data says nothing about {label}. Yet "
            f"{graph.derivative_symbol(param)} = "
            f"{format_number(trace.grads[param])}, all of it from {routes}: "
            f"that path still pulls {label} toward zero."
        )
    if not sentences:
        return None
    fed = ", ".join(f"{graph.label(z)} = 0" for z in zeros)
    return f"This step feeds {fed}. " + " ".join(sentences)


def note(lesson: Lesson, trace: StepTrace, stage: str) -> str | None:
    """The note for this step and stage: the lesson's, else one drawn from the numbers."""
    written = lesson.text.note_for(trace.step, stage)
    if written:
        return written
    if stage in ("backward", "update"):
        return zero_input_note(lesson, trace)
    return None
