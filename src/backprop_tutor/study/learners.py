"""Learners in a classroom: one checked name, one folder of progress, under one data folder.

`backprop-tutor serve` asks each browser session who is learning; the name picks the
folder that session's progress lives in, `DATA/learners/<name>/`. A name is letters,
digits, `-` and `_` only, at most `NAME_LIMIT` of them, so no name can be a path (`..`,
`/`, a drive, a control character): whatever a learner types, the folder is a direct
child of `DATA/learners/`, and a link placed there that leads elsewhere is refused.
Names are kept apart regardless of case (`Ana` and `ana` are one learner), since a
classroom's file system may not tell them apart. No Textual here.
"""

from __future__ import annotations

import os
import string
from dataclasses import dataclass
from pathlib import Path

LEARNERS_FOLDER = "learners"
NAME_LIMIT = 32
NAME_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-_")
RULE = f"letters, digits, - and _, at most {NAME_LIMIT} of them"


class RefusedName(ValueError):
    """A name that cannot be a learner's; the message is one line for the learner."""


class LearnerFolderError(OSError):
    """A learner's folder that cannot be made or used; the message names the folder."""


@dataclass(frozen=True)
class Learner:
    """A learner: the name as typed, the folder of their progress, and whether it was there."""

    name: str
    folder: Path
    returning: bool


def check_name(text: str) -> str:
    """The name as typed, spaces around it dropped; RefusedName if it cannot be one."""
    name = text.strip()
    if not name:
        raise RefusedName(f"Type your name first: {RULE}.")
    if len(name) > NAME_LIMIT:
        raise RefusedName(f"That name has {len(name)} characters; a name is {RULE}.")
    for character in name:
        if character not in NAME_CHARACTERS:
            raise RefusedName(f"A name cannot contain {_shown(character)}; a name is {RULE}.")
    return name


def _shown(character: str) -> str:
    # A control character or a space is named by its code, never written out.
    if character.isprintable() and not character.isspace():
        return f"'{character}'"
    return f"U+{ord(character):04X}"


def learners_root(data_dir: Path) -> Path:
    """The folder that holds one folder per learner."""
    return data_dir / LEARNERS_FOLDER


def learner_folder(data_dir: Path, text: str) -> Path:
    """The folder of the learner named `text` (checked), not yet made."""
    return learners_root(data_dir) / check_name(text).lower()


def open_learner(data_dir: Path, text: str) -> Learner:
    """Check the name, make the learner's folder if it is new, and return the learner."""
    name = check_name(text)
    root = learners_root(data_dir)
    folder = root / name.lower()
    returning = folder.is_dir()
    try:
        root.mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
        inside = folder.resolve().parent == root.resolve()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise LearnerFolderError(f"{folder}: cannot be used ({reason})") from None
    if not inside or not os.access(folder, os.W_OK):
        raise LearnerFolderError(f"{folder}: not a folder of the data folder that can be written")
    return Learner(name=name, folder=folder, returning=returning)
