"""Format versions: which keys a ``sozialraumprozess/v1`` file may not use.

Every v1 file is a valid v2 file and is read as one. A key introduced in v2 is
marked ``x-since: 2`` in the schema (``_doc(..., since=2)`` in the model, or in a
gate kind's or field type's schema part); a v1 file that uses one gets a
positioned error with the hint to declare ``format: sozialraumprozess/v2``, so a
file never silently means something an older library would read differently.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sozialraumprozess.definition.issues import IssueCollector
from sozialraumprozess.definition.model import FORMAT, FORMAT_V1
from sozialraumprozess.i18n import msg

__all__ = ["check_format_keys", "newer_keys"]


def check_format_keys(data: dict[str, Any], schema: dict[str, Any], out: IssueCollector) -> None:
    """Report every key of a v1 file that needs a newer format."""
    if data.get("format") != FORMAT_V1:
        return
    for path, since in newer_keys(data, schema, schema):
        out.add(
            path,
            "needs-newer-format",
            msg(
                "definition.needs-newer-format",
                key=str(path[-1]),
                format="sozialraumprozess/v" + str(since),
            ),
            hint=msg("definition.needs-newer-format-hint", format=FORMAT),
            key=True,
        )


def newer_keys(
    value: Any, node: dict[str, Any], root: dict[str, Any], path: list[str | int] | None = None
) -> Iterator[tuple[list[str | int], int]]:
    """Yield (path, version) for each key in ``value`` marked ``x-since`` > 1 in ``node``."""
    path = path or []
    node = _resolve(node, root)
    if isinstance(value, dict):
        properties = node.get("properties", {})
        extra = node.get("additionalProperties")
        for key, item in value.items():
            prop = properties.get(key)
            if prop is None:
                if isinstance(extra, dict):
                    yield from newer_keys(item, extra, root, [*path, key])
                continue
            since = int(prop.get("x-since", 1))
            if since > 1:
                yield [*path, key], since
            else:
                yield from newer_keys(item, prop, root, [*path, key])
    elif isinstance(value, list) and isinstance(node.get("items"), dict):
        for index, item in enumerate(value):
            yield from newer_keys(item, node["items"], root, [*path, index])


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = root["definitions"][name]
    return node
