"""The catalog tool (``python -m sozialraumprozess.i18n``) on a copy of the catalogs:
usage errors, each problem ``check`` reports, and the commands that repair them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sozialraumprozess.i18n import CATALOGS, CATALOGS_ENV, __main__ as tool, msg, use_catalogs
from sozialraumprozess.i18n.__main__ import extracted, main, problems

PO = "LC_MESSAGES/sozialraumprozess.po"


@pytest.fixture
def catalogs(tmp_path: Path) -> Iterator[Path]:
    """A copy of the package's catalogs, used instead of them during the test."""
    folder = tmp_path / "catalogs"
    shutil.copytree(CATALOGS, folder)
    use_catalogs(folder)
    yield folder
    use_catalogs(None)


def short(found: list[str], folder: Path) -> list[str]:
    """The problems with the catalog folder left out of their paths."""
    return [p.replace(f"{folder}/", "") for p in found]


def set_texts(folder: Path, yaml_text: str) -> None:
    source = folder / "texts.yaml"
    source.write_text(yaml_text, encoding="utf-8")
    assert main(["set", str(source)]) == 0


class TestUsage:
    def test_no_or_an_unknown_command_prints_the_help(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main([]) == 2
        assert "Maintain the message catalogs" in capsys.readouterr().out
        assert main(["translate"]) == 2
        assert "``check``" in capsys.readouterr().out

    @pytest.mark.parametrize(
        ("argv", "usage"),
        [
            (["init"], "usage: python -m sozialraumprozess.i18n init LANG"),
            (["init", "fr", "it"], "usage: python -m sozialraumprozess.i18n init LANG"),
            (["set"], "usage: python -m sozialraumprozess.i18n set FILE.yaml"),
        ],
    )
    def test_a_command_missing_its_argument_says_how(
        self, argv: list[str], usage: str, catalogs: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(argv) == 2
        assert capsys.readouterr().out.strip() == usage
        assert not (catalogs / "fr").exists()

    def test_init_refuses_a_language_that_has_a_catalog(self, catalogs: Path) -> None:
        before = (catalogs / "en" / PO).read_bytes()
        with pytest.raises(SystemExit, match="exists already"):
            main(["init", "en"])
        assert (catalogs / "en" / PO).read_bytes() == before


class TestCheck:
    @pytest.mark.slow
    def test_the_copy_is_complete(self, catalogs: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["check"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("catalogs complete: ")
        assert out.strip().endswith(f"{len(extracted())} messages, 2 languages")

    def test_a_folder_without_catalogs(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        use_catalogs(tmp_path)
        try:
            assert main(["check"]) == 1
        finally:
            use_catalogs(None)
        assert capsys.readouterr().out == f"no catalogs under {tmp_path}\n"

    def test_a_po_edited_but_not_compiled_until_compile(self, catalogs: Path) -> None:
        po = catalogs / "en" / PO
        text = po.read_text(encoding="utf-8")
        old = 'msgstr "submitted: {title}, version {version}"'
        assert text.count(old) == 1
        po.write_text(text.replace(old, 'msgstr "handed in: {title}, v{version}"'), "utf-8")
        assert short(list(problems()), catalogs) == [
            "en/LC_MESSAGES/sozialraumprozess.mo: not compiled from the current .po "
            "(run: python -m sozialraumprozess.i18n compile)"
        ]
        assert main(["compile"]) == 0
        assert list(problems()) == []
        use_catalogs(catalogs)  # forget the texts read so far
        assert msg("app.submitted", title="T", version=2).text("en") == "handed in: T, v2"

    def test_singular_and_plural_entries_must_match_the_code(self, catalogs: Path) -> None:
        set_texts(
            catalogs,
            'app.submitted: {en: ["one {title} {version}", "many {title} {version}"]}\n'
            'process.transition-blocked: {en: "blocked {phase} {target}"}\n',
        )
        assert short(list(problems()), catalogs) == [
            "en/LC_MESSAGES/sozialraumprozess.po: 'app.submitted' is used as a singular "
            "message; make the catalog entry match",
            "en/LC_MESSAGES/sozialraumprozess.po: 'process.transition-blocked' is used as a "
            "plural message; make the catalog entry match",
        ]

    def test_placeholders_the_german_text_lacks(self, catalogs: Path) -> None:
        set_texts(catalogs, 'app.submitted: {en: "submitted: {titel}, version {version}"}\n')
        assert short(list(problems()), catalogs) == [
            "en/LC_MESSAGES/sozialraumprozess.po: 'app.submitted' uses placeholders the "
            "German text lacks: ['titel']"
        ]

    def test_a_code_nothing_uses_and_a_code_missing(self, catalogs: Path) -> None:
        po = catalogs / "en" / PO
        text = po.read_text(encoding="utf-8")
        block = 'msgid "app.submitted"\nmsgstr "submitted: {title}, version {version}"\n\n'
        assert text.count(block) == 1
        po.write_text(text.replace(block, ""), "utf-8")
        set_texts(catalogs, 'zz.unused: {de: "unbenutzt", en: "unused"}\n')
        found = short(list(problems()), catalogs)
        assert found[0] == (
            "de/LC_MESSAGES/sozialraumprozess.po: 'zz.unused' is in the catalog but no code uses it"
        )
        assert found[1] == found[0].replace("de/", "en/", 1)
        assert found[2].startswith(
            "en/LC_MESSAGES/sozialraumprozess.po: 'app.submitted' (used at app/service.py:"
        )
        assert found[2].endswith(") is missing")
        assert len(found) == 3

    @pytest.mark.slow
    def test_update_adds_missing_codes_and_drops_unused_ones(self, catalogs: Path) -> None:
        po = catalogs / "en" / PO
        text = po.read_text(encoding="utf-8")
        block = 'msgid "app.submitted"\nmsgstr "submitted: {title}, version {version}"\n\n'
        po.write_text(text.replace(block, ""), "utf-8")
        set_texts(catalogs, 'zz.unused: {de: "unbenutzt", en: "unused"}\n')
        assert main(["update"]) == 0
        assert 'msgid "zz.unused"' not in po.read_text(encoding="utf-8")
        assert 'msgid "app.submitted"\nmsgstr ""\n' in po.read_text(encoding="utf-8")
        assert (catalogs / "sozialraumprozess.pot").is_file()
        stale = (
            "LC_MESSAGES/sozialraumprozess.mo: not compiled from the current .po "
            "(run: python -m sozialraumprozess.i18n compile)"
        )
        assert short(list(problems()), catalogs) == [
            f"de/{stale}",
            "en/LC_MESSAGES/sozialraumprozess.po: 'app.submitted' has no text",
            f"en/{stale}",
        ]
        set_texts(catalogs, 'app.submitted: {en: "submitted: {title}, version {version}"}\n')
        assert list(problems()) == []


class TestExtract:
    def test_extract_writes_the_template(self, catalogs: Path) -> None:
        template = catalogs / "sozialraumprozess.pot"
        template.unlink()
        assert main(["extract"]) == 0
        text = template.read_text(encoding="utf-8")
        assert 'msgid "app.submitted"\nmsgstr ""' in text
        assert 'msgid_plural "process.transition-blocked"' in text

    def test_a_code_that_is_not_a_literal_is_not_extracted(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        package = tmp_path / "package"
        package.mkdir()
        (package / "mod.py").write_text(
            "from sozialraumprozess.i18n import msg, plural\n"
            "CODE = 'x.computed'\n"
            "A = msg(CODE)\n"
            "B = msg('x.literal', n=1)\n"
            "C = plural('x.counted', 2)\n"
            "D = msg('x.counted')\n",
            encoding="utf-8",
        )
        monkeypatch.setattr(tool, "PACKAGE", package)
        found = extracted()
        assert sorted(found) == ["x.counted", "x.literal"]
        plural_flag, places = found["x.counted"]
        assert plural_flag is True  # used once as a plural: a plural entry
        assert sorted(line for _file, line in places) == [5, 6]
        assert found["x.literal"] == (False, [("mod.py", 4)])


def test_the_module_runs_as_a_command_on_the_folder_the_environment_names(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "catalogs"
    shutil.copytree(CATALOGS, folder)
    (folder / "en" / "LC_MESSAGES" / "sozialraumprozess.mo").unlink()
    env = {**os.environ, CATALOGS_ENV: str(folder)}
    command = [sys.executable, "-m", "sozialraumprozess.i18n"]
    done = subprocess.run([*command, "check"], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stdout == (
        f"{folder}/en/LC_MESSAGES/sozialraumprozess.mo: not compiled from the current .po "
        "(run: python -m sozialraumprozess.i18n compile)\n"
    )
    done = subprocess.run(
        [*command, "compile"], env=env, capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout) == (0, "")
    assert (folder / "en" / "LC_MESSAGES" / "sozialraumprozess.mo").read_bytes() == (
        CATALOGS / "en" / "LC_MESSAGES" / "sozialraumprozess.mo"
    ).read_bytes()
