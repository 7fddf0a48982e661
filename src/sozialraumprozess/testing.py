"""Helpers for testing workflows and code that uses sozialraumprozess.

Workflow authors and application developers use these in their own tests::

    from sozialraumprozess.testing import workflow_from_string

    workflow = workflow_from_string(MY_YAML)

Authors of a store prove it with the store contract, a pytest suite every store
passes (see ``docs/how-to/write-a-store.md``)::

    from sozialraumprozess.testing import StoreContract

    class TestMyStore(StoreContract):
        def make_store(self, tmp_path):
            return MyStore(tmp_path / "store")
        ...

:class:`StoreContract` needs pytest; it is imported only when it is asked for.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.i18n import Lang

if TYPE_CHECKING:
    from sozialraumprozess._store_contract import StoreContract

__all__ = ["StoreContract", "workflow_from_string"]


def __getattr__(name: str) -> Any:
    if name == "StoreContract":  # imports pytest: only when asked for
        from sozialraumprozess._store_contract import StoreContract

        return StoreContract
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _NamedStringIO(io.StringIO):
    def __init__(self, text: str, name: str) -> None:
        super().__init__(text)
        self.name = name


def workflow_from_string(text: str, name: str = "<string>", *, lang: Lang = "de") -> Workflow:
    """Load a workflow from YAML text; errors name ``name`` as the file.

    Raises:
        WorkflowError: With every problem found, as for files.
    """
    return load_workflow(_NamedStringIO(text, name), lang=lang)
