"""The item commands and ``--attach`` on the command line (format v2)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sozialraumprozess.cli import sozialraum as cli_group
from sozialraumprozess.storage import FolderStore

WORKFLOW = """\
format: sozialraumprozess/v2
id: anhang
version: "1"
title: Anhang
roles:
  kommune: {title: Kommune}
  team: {title: Team}
artifacts:
  bericht:
    title: Bericht
    owner: team
    items:
      states:
        offen: {title: {de: Offen, en: Open}}
        fertig: {title: {de: Fertig, en: Done}}
    fields:
      anlage: {type: file, accept: [pdf], title: Anlage}
phases:
  - id: eins
    title: Eins
    responsible: kommune
    artifacts: [bericht]
    exit: [{all_items: bericht, state: fertig}]
  - id: zwei
    title: Zwei
    responsible: kommune
"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli_group, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_items_with_attachments_from_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "wf.yaml").write_text(WORKFLOW, "utf-8")
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4 Bericht")
    (tmp_path / "b.pdf").write_bytes(b"kein pdf")
    store = str(tmp_path / "st")
    code, out = run("init", store, "--workflow", str(tmp_path / "wf.yaml"), "--sozialraum", "N")
    assert code == 0, out
    where = ["--store", store, "--as", "team"]
    code, out = run("item", "create", "bericht", "Nord", "--attach", f"anlage={tmp_path}/a.pdf",
                    *where, "--json")  # fmt: skip
    assert code == 0, out
    answer = json.loads(out)
    assert answer["event"]["type"] == "item_created"
    reference = answer["event"]["payload"]["data"]["anlage"]
    assert reference["name"] == "a.pdf"
    assert FolderStore(store).get_attachment(reference["sha256"]) == b"%PDF-1.4 Bericht"
    assert answer["blockers"][0]["code"] == "items-not-in-state"
    (tmp_path / "d.yaml").write_text("{}\n", "utf-8")
    code, out = run("item", "change", "bericht", "Nord", "--data", f"{tmp_path}/d.yaml", "--attach",
                    f"anlage={tmp_path}/b.pdf", *where, "--lang", "en")  # fmt: skip
    assert code == 1
    assert "file 'b.pdf' is no pdf file" in out
    code, out = run("item", "move", "bericht", "Nord", "fertig", *where, "--lang", "en")
    assert code == 0, out
    assert "item 'Nord' of 'Bericht' is now: Done" in out
    code, out = run("item", "move", "bericht", "Nord", "offen", *where, "--lang", "en")
    assert code == 1
    assert "cannot move from 'Done' to 'Open'; allowed: –" in out
    code, out = run("status", "--store", store, "--json")
    assert json.loads(out)["can_advance"] is True
