"""A small valid workflow whose line numbers the error tests rely on."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sozialraumprozess.errors import Issue, WorkflowError
from sozialraumprozess.testing import workflow_from_string

MINI = """\
format: sozialraumprozess/v1
id: mini
version: "1"
title: Mini
roles:
  kommune:
    title: Kommune
  vg:
    title: Verantwortungsgemeinschaft
events:
  konferenz:
    title: Sozialraumkonferenz
    organizer: vg
artifacts:
  zielkatalog:
    title: Zielkatalog
    owner: vg
    approved_by: vg
    fields:
      ziele: {type: list, min_items: 1, items: {type: text}}
decisions:
  zielbeschluss:
    title: Beschluss
    body: vg
phases:
  - id: analysieren
    title: Analyse
    responsible: kommune
    artifacts: [zielkatalog]
  - id: ziele
    title: Ziele
    responsible: vg
    events: [konferenz]
    exit:
      - artifact: zielkatalog
      - decision: zielbeschluss
      - event: konferenz
      - check: "artifacts.zielkatalog.ziele | length >= 3"
        message: Mindestens drei Ziele
"""


def variant(old: str, new: str, text: str = MINI) -> str:
    """``MINI`` with exactly one occurrence of ``old`` replaced by ``new``."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def issues_of(text: str, lang: str = "de") -> list[Issue]:
    """The issues of loading ``text`` (named ``w.yaml``); fails if it loads."""
    with pytest.raises(WorkflowError) as info:
        workflow_from_string(text, "w.yaml", lang=lang)
    return list(info.value.issues)


@pytest.fixture
def issues() -> Callable[..., list[Issue]]:
    """``issues(text, lang="de")``: the issues of loading ``text``."""
    return issues_of


@pytest.fixture
def edit() -> Callable[..., str]:
    """``edit(old, new)``: ``MINI`` with one occurrence of ``old`` replaced."""
    return variant
