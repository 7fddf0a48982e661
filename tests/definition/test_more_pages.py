"""The workflow page of the smallest workflow: no description, source, exit gate,
fields, events or decisions — the page leaves those parts out instead of showing
empty sections."""

from __future__ import annotations

from sozialraumprozess.definition.pages import workflow_page
from sozialraumprozess.testing import workflow_from_string

SMALLEST = """\
format: sozialraumprozess/v1
id: kurz
version: "1"
title: Kurz
roles:
  kommune: {title: Kommune}
artifacts:
  notiz: {title: Notiz, owner: kommune}
phases:
  - id: eins
    title: Eins
    responsible: kommune
    artifacts: [notiz]
"""

PAGE = """\
# Kurz

<!-- Generated from kurz.yaml by sozialraumprozess.definition.pages; do not edit. -->

*Kurz* · id `kurz` · version 1

Run its scenario and see the documents it produces:

```sh
sozialraum scenario kurz
```

## Diagram

```mermaid
flowchart TD
    eins["1. Eins"]
    classDef final stroke-width:3px
    class eins final
```

## Phases and gates

### 1. Eins

id `eins` · responsible: Kommune

- **Artifacts:** Notiz
- **Next:** end of the process

## Roles

| Id | Role | Description |
|---|---|---|
| `kommune` | Kommune |  |

## RACI matrix

R responsible · A approves or decides · C consulted (involved) · I informed

| Role | 1 |
|---|---|
| Kommune | R |

## Artifacts

### Notiz (`notiz`)

Submitted by Kommune.
"""


def test_the_page_of_the_smallest_workflow_has_no_empty_sections() -> None:
    assert workflow_page(workflow_from_string(SMALLEST, "kurz.yaml")) == PAGE
