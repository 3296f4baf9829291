"""Learners' names and folders: what a name may be, and that no name leaves the data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from backprop_tutor.study.learners import (
    NAME_LIMIT,
    LearnerFolderError,
    RefusedName,
    check_name,
    learner_folder,
    open_learner,
)


class TestNames:
    """check_name: letters, digits, - and _, at most NAME_LIMIT of them."""

    @pytest.mark.parametrize("name", ["ana", "Ben_2", "li-wei", "x" * NAME_LIMIT, "0"])
    def test_accepted(self, name: str) -> None:
        """Names of the allowed characters, up to the cap, are kept as typed."""
        assert check_name(name) == name

    def test_spaces_around_are_dropped(self) -> None:
        """Spaces typed before or after a name are not part of it."""
        assert check_name("  ana \t") == "ana"

    @pytest.mark.parametrize(
        ("text", "said"),
        [
            ("../x", "cannot contain '.'"),
            ("a/b", "cannot contain '/'"),
            ("..", "cannot contain '.'"),
            ("C:x", "cannot contain ':'"),
            ("a b", "cannot contain U+0020"),
            ("ana\x1b[31m", "cannot contain U+001B"),
            ("a\x00b", "cannot contain U+0000"),
            ("a\nb", "cannot contain U+000A"),
            ("josé", "cannot contain 'é'"),
            ("", "Type your name first"),
            ("   ", "Type your name first"),
            ("x" * 1000, "That name has 1000 characters"),
            ("x" * (NAME_LIMIT + 1), f"has {NAME_LIMIT + 1} characters"),
        ],
    )
    def test_refused_with_a_reason(self, text: str, said: str) -> None:
        """Each refused name gets one line saying what is wrong and what a name is."""
        with pytest.raises(RefusedName) as refused:
            check_name(text)
        message = str(refused.value)
        assert said in message
        assert "letters, digits, - and _" in message
        assert "\n" not in message and "\x1b" not in message


class TestFolders:
    """open_learner: one folder per learner, always a direct child of DATA/learners."""

    def test_new_then_returning(self, tmp_path: Path) -> None:
        """The first visit makes the folder; the same name again finds it, whatever its case."""
        first = open_learner(tmp_path, "Ana")
        assert first.folder == tmp_path / "learners" / "ana"
        assert first.folder.is_dir()
        assert (first.name, first.returning) == ("Ana", False)
        again = open_learner(tmp_path, "ana")
        assert (again.folder, again.returning) == (first.folder, True)

    def test_two_learners_two_folders(self, tmp_path: Path) -> None:
        """Different names never share a folder."""
        assert open_learner(tmp_path, "ana").folder != open_learner(tmp_path, "ben").folder

    @pytest.mark.parametrize("text", ["../x", "..", "/etc", "a/../../b", "", "x" * 1000])
    def test_refused_name_makes_nothing(self, tmp_path: Path, text: str) -> None:
        """A refused name creates no folder anywhere: the data folder stays empty."""
        data = tmp_path / "data"
        data.mkdir()
        with pytest.raises(RefusedName):
            open_learner(data, text)
        assert list(tmp_path.rglob("*")) == [data]

    def test_folder_is_checked_before_use(self, tmp_path: Path) -> None:
        """learner_folder checks the name too: no path can be built from a refused one."""
        assert learner_folder(tmp_path, "Ben") == tmp_path / "learners" / "ben"
        with pytest.raises(RefusedName):
            learner_folder(tmp_path, "../ben")

    def test_a_link_out_of_the_data_folder_is_refused(self, tmp_path: Path) -> None:
        """A learner folder that is a link to elsewhere is not used."""
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        (tmp_path / "data" / "learners").mkdir(parents=True)
        (tmp_path / "data" / "learners" / "eve").symlink_to(elsewhere)
        with pytest.raises(LearnerFolderError, match="eve: not a folder of the data folder"):
            open_learner(tmp_path / "data", "eve")

    def test_a_file_in_the_way_is_named(self, tmp_path: Path) -> None:
        """A file where the folder should be is one line naming it."""
        (tmp_path / "learners").mkdir()
        (tmp_path / "learners" / "ana").write_text("not a folder")
        with pytest.raises(LearnerFolderError, match=r"learners/ana: cannot be used"):
            open_learner(tmp_path, "ana")

    def test_a_data_folder_that_cannot_hold_folders_is_named(self, tmp_path: Path) -> None:
        """A data folder whose learners/ is a file (so nothing can be made in it) is named."""
        (tmp_path / "learners").write_text("in the way")
        with pytest.raises(LearnerFolderError, match=r"learners/ana: cannot be used"):
            open_learner(tmp_path, "ana")
