"""The ``sozialraum`` command line.

Commands live in topical modules and are registered on one click group here.
Domain errors (:class:`~sozialraumprozess.errors.SozialraumprozessError`) are
turned into a clear message on stderr and exit code 1 in one place
(:class:`SozialraumGroup`); usage errors exit with 2; no traceback reaches a
user for their own mistakes.
"""

from __future__ import annotations

from sozialraumprozess.cli.app import main, sozialraum

__all__ = ["main", "sozialraum"]
