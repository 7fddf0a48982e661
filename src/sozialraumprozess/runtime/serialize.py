"""Plain data out and in: a process as JSON-compatible dicts, with a format version.

The stored form is the pinned definition plus the event log; the state is always
rebuilt by replaying the log, never stored. Times are ISO 8601 strings in UTC
(``2024-03-01T09:00:00Z``). No pickles.

::

    {"format": "sozialraumprozess-process/1",
     "workflow": {"id": …, "version": …, "content_hash": …},
     "events": [{"seq": 1, "time": "…Z", "actor": {"role": …, "participant": …},
                 "type": "process_started", "payload": {…}}, …]}
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

import cattrs

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import DefinitionMismatch, ReplayError
from sozialraumprozess.runtime.clock import Clock, format_time, parse_time
from sozialraumprozess.runtime.records import ProcessEvent

if TYPE_CHECKING:
    from sozialraumprozess.runtime.process import Process

__all__ = [
    "PROCESS_FORMAT",
    "event_from_dict",
    "event_to_dict",
    "process_from_dict",
    "process_to_dict",
]

#: The format identifier of stored processes; bump on incompatible changes.
PROCESS_FORMAT = "sozialraumprozess-process/1"

P = TypeVar("P", bound="Process")


_converter = cattrs.Converter(forbid_extra_keys=True)
_converter.register_unstructure_hook(datetime, format_time)
_converter.register_structure_hook(datetime, lambda text, _: parse_time(text))
_converter.register_structure_hook_func(
    lambda kind: kind == dict[str, Any], lambda value, _: _payload(value)
)


def _payload(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"expected an object, got {type(value).__name__}")
    return value


def event_to_dict(event: ProcessEvent) -> dict[str, Any]:
    """One log event as JSON-compatible data."""
    data: dict[str, Any] = _converter.unstructure(event)
    return data


def event_from_dict(data: Mapping[str, Any]) -> ProcessEvent:
    """One log event from :func:`event_to_dict` data.

    Raises:
        ReplayError: The data is not a valid event.
    """
    try:
        return _converter.structure(dict(data), ProcessEvent)
    except (cattrs.BaseValidationError, ValueError, TypeError) as exc:
        seq = data.get("seq") if isinstance(data.get("seq"), int) else None
        detail = (
            "; ".join(cattrs.transform_error(exc))
            if isinstance(exc, cattrs.BaseValidationError)
            else str(exc)
        )
        raise ReplayError(
            seq, f"Ereignis nicht lesbar: {detail}", f"event cannot be read: {detail}"
        ) from exc


def process_to_dict(process: Process) -> dict[str, Any]:
    """The process as JSON-compatible data: format, pinned workflow, events."""
    pinned = process.pinned
    return {
        "format": PROCESS_FORMAT,
        "workflow": {
            "id": pinned.id,
            "version": pinned.version,
            "content_hash": pinned.content_hash,
        },
        "events": [event_to_dict(event) for event in process.log],
    }


def process_from_dict(
    cls: type[P], data: Mapping[str, Any], workflow: Workflow, clock: Clock | None
) -> P:
    """Rebuild a process of class ``cls`` from :func:`process_to_dict` data.

    Raises:
        ReplayError: Unknown format, malformed data, or a log that does not replay.
        DefinitionMismatch: The data is pinned to another definition than ``workflow``.
    """
    if not isinstance(data, Mapping) or data.get("format") != PROCESS_FORMAT:
        found = data.get("format") if isinstance(data, Mapping) else type(data).__name__
        raise ReplayError(
            None,
            f"Unbekanntes Prozessformat {found!r}; erwartet {PROCESS_FORMAT!r}",
            f"unknown process format {found!r}; expected {PROCESS_FORMAT!r}",
        )
    ref = data.get("workflow")
    events = data.get("events")
    if not isinstance(ref, Mapping) or not isinstance(events, list):
        raise ReplayError(
            None,
            "Prozessdaten brauchen 'workflow' (Objekt) und 'events' (Liste)",
            "process data needs 'workflow' (object) and 'events' (list)",
        )
    pinned = (str(ref.get("id")), str(ref.get("version")), str(ref.get("content_hash")))
    actual = (workflow.id, workflow.version, workflow.content_hash)
    if pinned != actual:
        raise DefinitionMismatch(pinned, actual)
    return cls.replay(workflow, [event_from_dict(item) for item in events], clock=clock)
