"""Inputs that are not what they seem (issue 13 §4) and template paths that escape (§5).

Each case is a library error naming the file (and line and column where there is
one), never a traceback, never a hang.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from sozialraumprozess.definition.files import FileTooLarge, NotARegularFile, read_regular_file
from sozialraumprozess.definition.loader import bundled_workflow_path, load_workflow
from sozialraumprozess.errors import WorkflowError

WORKFLOW = "generationengerechte-sozialraumentwicklung"
ROOT = Path(__file__).parents[2]


def _issues(path: Path) -> list[tuple[str, int | None, int | None, str]]:
    with pytest.raises(WorkflowError) as caught:
        load_workflow(path, lang="en")
    return [(i.code, i.line, i.column, i.message("en")) for i in caught.value.issues]


def _sozialraum(
    *args: str, stdin: bytes | None = None, cwd: Path
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "SOZIALRAUM_LANG": "en"}
    return subprocess.run(
        ["sozialraum", *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
        check=False,
    )


class TestRegularFilesOnly:
    def test_fifo_and_device_are_refused_without_reading(self, tmp_path: Path) -> None:
        """A FIFO with no writer and /dev/zero answer at once with a clear error."""
        fifo = tmp_path / "pipe.yaml"
        os.mkfifo(fifo)
        with pytest.raises(NotARegularFile):
            read_regular_file(fifo, 100)
        with pytest.raises(NotARegularFile):
            read_regular_file("/dev/zero", 100)
        assert _issues(fifo)[0][0] == "no-file"
        assert "not a regular file" in _issues(fifo)[0][3]

    def test_size_cap_is_checked_before_reading(self, tmp_path: Path) -> None:
        big = tmp_path / "big.yaml"
        big.write_bytes(b"a" * 101)
        with pytest.raises(FileTooLarge):
            read_regular_file(big, 100)
        assert read_regular_file(big, 101) == b"a" * 101

    def test_cli_data_validate_and_init_refuse_fifo_and_dev_zero(self, tmp_path: Path) -> None:
        """`submit --data`, `validate`, `init --workflow` return at once, no traceback."""
        fifo = tmp_path / "pipe.yaml"
        os.mkfifo(fifo)
        started = _sozialraum("init", "st", "-w", WORKFLOW, "--sozialraum", "Ost", cwd=tmp_path)
        assert started.returncode == 0, started.stderr
        for args in (
            ["submit", "sozialraumabgrenzung", "--data", "/dev/zero", "--store", "st"],
            ["submit", "sozialraumabgrenzung", "--data", "./pipe.yaml", "--store", "st"],
            ["validate", "./pipe.yaml"],
            ["init", "st2", "-w", "./pipe.yaml", "--sozialraum", "X"],
        ):
            done = (
                _sozialraum(*args, "--as", "sozialraumkoordination", cwd=tmp_path)
                if (args[0] == "submit")
                else _sozialraum(*args, cwd=tmp_path)
            )
            assert done.returncode in (1, 2), done
            assert "Traceback" not in done.stderr
            assert "not a regular file" in done.stderr + done.stdout

    def test_cli_data_with_tags_and_huge_numbers_is_positioned(self, tmp_path: Path) -> None:
        """`--data` with !!binary, !!set, a bad !!int, 5,000 digits or 1e25: no traceback."""
        started = _sozialraum("init", "st", "-w", WORKFLOW, "--sozialraum", "Ost", cwd=tmp_path)
        assert started.returncode == 0
        base = "name: a\nbeschreibung: b\nplanungsraeume: [a]\n"
        cases = {
            "!!binary aGVsbG8=": "d.yaml:4:16: tag !!binary is not supported",
            "!!set {a, b}": "d.yaml:4:16: tag !!set is not supported",
            "!!int abc": "d.yaml:4:16: 'abc' is not a number",
            "9" * 5000: "d.yaml:4:16: number of more than 100 digits",
            "10000000000000000000000000": "einwohnerzahl: 10000000000000000000000000 lies outside",
        }
        for value, expected in cases.items():
            (tmp_path / "d.yaml").write_text(f"{base}einwohnerzahl: {value}\n", "utf-8")
            done = _sozialraum(
                "submit", "sozialraumabgrenzung", "--data", "d.yaml", "--store", "st",
                "--as", "sozialraumkoordination", cwd=tmp_path,
            )  # fmt: skip
            assert done.returncode == 1, done
            assert expected in done.stderr
            assert "Traceback" not in done.stderr

    def test_stdin_is_read_up_to_the_cap(self, tmp_path: Path) -> None:
        started = _sozialraum("init", "st", "-w", WORKFLOW, "--sozialraum", "Ost", cwd=tmp_path)
        assert started.returncode == 0
        done = _sozialraum(
            "submit", "sozialraumabgrenzung", "--data", "-", "--store", "st",
            "--as", "sozialraumkoordination", stdin=b"a" * (3 * 1024 * 1024), cwd=tmp_path,
        )  # fmt: skip
        assert done.returncode == 2
        assert "larger than 2,097,152 bytes" in done.stderr
        assert "Traceback" not in done.stderr


def _workflow_with(tmp_path: Path, old: str, new: str) -> Path:
    text = bundled_workflow_path(WORKFLOW).read_text("utf-8")
    assert old in text
    path = tmp_path / "wf.yaml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


class TestYamlValues:
    @pytest.mark.parametrize(
        ("value", "code", "words"),
        [
            ("!!int abc", "bad-number", "'abc' is not a number as the tag !!int demands"),
            ("!!float abc", "bad-number", "'abc' is not a number as the tag !!float demands"),
            ("9" * 4400, "bad-number", "more than 100 digits"),
            ("9" * 310, "bad-number", "more than 100 digits"),
            ("!!binary aGVsbG8=", "unsupported-value", "tag !!binary is not supported"),
            ("!!set {a, b}", "unsupported-value", "tag !!set is not supported"),
            ("!foo bar", "unsupported-value", "tag !foo is not supported"),
        ],
    )
    def test_bad_numbers_and_tags_are_positioned_errors(
        self, tmp_path: Path, value: str, code: str, words: str
    ) -> None:
        path = _workflow_with(
            tmp_path,
            "min: 0, title: {de: Einwohnerzahl, en: Population}",
            f"min: {value}, title: E",
        )
        line = _line_of(path, "title: E}")
        issues = _issues(path)
        assert [(c, ln) for c, ln, _, _ in issues] == [(code, line)]
        assert words in issues[0][3]
        assert issues[0][2] is not None
        assert issues[0][2] > 40  # the value's column

    def test_number_beyond_documents_is_refused_in_a_field(self) -> None:
        """≥ 1e25 in an integer field: refused on submit (documents could not show it)."""
        from sozialraumprozess.definition.fields import validate_fields

        workflow = load_workflow(WORKFLOW)
        spec = workflow.artifact("sozialraumabgrenzung")
        data = {"name": "a", "beschreibung": "b", "planungsraeume": ["a"]}
        for bad in (10**25, 10**16, -(10**16), 1e25):
            problems = validate_fields(spec.fields, {**data, "einwohnerzahl": bad})
            assert [p.code for p in problems] == ["too-large" if isinstance(bad, int) else "type"]
        assert validate_fields(spec.fields, {**data, "einwohnerzahl": 10**15}) == []


class TestNamesAndPaths:
    @pytest.mark.parametrize("name", ["/etc/passwd", "../../../etc/passwd", "a/../../b.j2", "C:x"])
    def test_template_path_outside_is_a_load_error_that_reveals_nothing(
        self, tmp_path: Path, name: str
    ) -> None:
        path = _workflow_with(tmp_path, "template: ", f"template: '{name}' #")
        issues = _issues(path)
        assert [i[0] for i in issues] == ["template-outside"]
        assert "lies outside the template folders" in issues[0][3]
        assert "not found" not in issues[0][3]  # the same words whether it exists or not

    def test_existing_and_missing_outside_files_get_the_same_answer(self, tmp_path: Path) -> None:
        exists = _issues(_workflow_with(tmp_path, "template: ", "template: '/etc/hostname' #"))
        missing = _issues(_workflow_with(tmp_path, "template: ", "template: '/etc/nope-x' #"))
        assert [i[:3] for i in exists] == [i[:3] for i in missing]

    def test_names_over_255_bytes(self, tmp_path: Path) -> None:
        """Over-long template names and ids are load errors, not OSErrors."""
        long = "Ä" * 200
        path = _workflow_with(tmp_path, "template: ", f"template: '{long}.md.j2' #")
        assert [i[0] for i in _issues(path)] == ["template-name-too-long"]
        path = _workflow_with(tmp_path, f"id: {WORKFLOW}", "id: " + "x" * 300)
        assert [i[0] for i in _issues(path)] == ["id-too-long"]
