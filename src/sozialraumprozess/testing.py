"""Helpers for testing workflows and code that uses sozialraumprozess.

Workflow authors and application developers use these in their own tests::

    from sozialraumprozess.testing import workflow_from_string

    workflow = workflow_from_string(MY_YAML)
"""

from __future__ import annotations

import io

from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.definition.model import Workflow

__all__ = ["workflow_from_string"]


class _NamedStringIO(io.StringIO):
    def __init__(self, text: str, name: str) -> None:
        super().__init__(text)
        self.name = name


def workflow_from_string(text: str, name: str = "<string>", *, lang: str = "de") -> Workflow:
    """Load a workflow from YAML text; errors name ``name`` as the file.

    Raises:
        WorkflowError: With every problem found, as for files.
    """
    return load_workflow(_NamedStringIO(text, name), lang=lang)
