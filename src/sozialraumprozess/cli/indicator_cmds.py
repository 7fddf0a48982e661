"""The Sozialraum's monitoring and record on the command line: ``indicators record``,
``indicators show``, ``area set``, ``area show`` and ``area take-over``.

Recording acts ``--as`` someone and exits with 1, storing nothing, when the process
refuses (an undeclared indicator, a value that is no number, invalid GeoJSON: each
named with its path). Every command answers with ``--json`` too.
"""

from __future__ import annotations

from typing import Any

import click

from sozialraumprozess.cli.common import (
    Read,
    bad_parameter,
    read_options,
)
from sozialraumprozess.cli.localized import Group, command, option
from sozialraumprozess.cli.output import echo_json, print_table
from sozialraumprozess.cli.run_cmds import Change, _read_data, change_command, change_options
from sozialraumprozess.i18n import Lang, msg

__all__ = ["COMMANDS"]


def _pairs(given: tuple[str, ...], lang: Lang, option_name: str) -> dict[str, str]:
    """``id=value`` options as a mapping (the values stay text: the library reads numbers)."""
    found: dict[str, str] = {}
    for item in given:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise bad_parameter(msg("indicators.cli-pair", value=item), lang, option_name)
        found[key.strip()] = value.strip()
    return found


@click.group(cls=Group, help_message=msg("indicators.cli-help"))
def indicators() -> None:
    """Indicators of the Sozialraum's monitoring (values per Stichtag)."""


@change_command(name="record", help=msg("indicators.cli-help-record"))
@option("--stichtag", required=True, metavar="TT.MM.JJJJ", help=msg("indicators.cli-stichtag"))
@option("--value", "values", multiple=True, metavar="ID=WERT", help=msg("indicators.cli-value"))
@option("--data", "source_file", default=None, metavar="FILE|-", help=msg("indicators.cli-data"))
@option("--source", default=None, help=msg("indicators.cli-source"))
@change_options
def indicators_record(
    stichtag: str,
    values: tuple[str, ...],
    source_file: str | None,
    source: str | None,
    change: Change,
) -> None:
    """Record values of declared indicators for a reference date (Stichtag)."""
    given: dict[str, Any] = {}
    if source_file is not None:
        given.update(_read_data(source_file, change.lang))
    given.update(_pairs(values, change.lang, "--value"))
    change.apply(
        lambda service, run, stamp: service.record_indicators(
            run, stichtag, given, source=source, **stamp
        )
    )


@command(
    name="show", help=msg("indicators.cli-help-show"), json_keys=msg("indicators.cli-show-json")
)
@read_options
def indicators_show(read: Read) -> None:
    """Show the indicators: current value, change since the last cycle, reference."""
    from sozialraumprozess.steering.indicators import monitoring, monitoring_to_dict

    lang = read.lang
    process = read.fetch(lambda service, run: run.process)
    seen = monitoring(process.workflow, process.state)
    data = monitoring_to_dict(seen, lang)
    if read.as_json:
        echo_json(data)
        return
    print_table(
        [
            msg("indicators.head-indicator").text(lang),
            msg("indicators.head-value").text(lang),
            msg("indicators.head-change").text(lang),
            msg("indicators.head-reference").text(lang),
        ],
        [
            (row["label"], row["value_text"], row["change_text"], row["reference_text"])
            for row in data["rows"]
        ],
    )


indicators.add_command(indicators_record)
indicators.add_command(indicators_show)


@click.group(cls=Group, help_message=msg("sozialraum.cli-help"))
def area() -> None:
    """The Sozialraum record: name, stable id, planning areas, key data, boundary."""


@change_command(name="set", help=msg("sozialraum.cli-help-set"))
@option("--name", default=None, help=msg("sozialraum.cli-name"))
@option("--id", "room_id", default=None, help=msg("sozialraum.cli-id"))
@option("--description", default=None, help=msg("sozialraum.cli-description"))
@option("--area", "areas", multiple=True, help=msg("sozialraum.cli-area"))
@option("--key", "keys", multiple=True, metavar="NAME=WERT", help=msg("sozialraum.cli-key"))
@option("--boundary", default=None, metavar="FILE", help=msg("sozialraum.cli-boundary"))
@change_options
def area_set(
    name: str | None,
    room_id: str | None,
    description: str | None,
    areas: tuple[str, ...],
    keys: tuple[str, ...],
    boundary: str | None,
    change: Change,
) -> None:
    """Record the Sozialraum: what is given replaces, the rest stays."""
    key_data: dict[str, Any] | None = None
    if keys:
        key_data = {}
        for key, value in _pairs(keys, change.lang, "--key").items():
            try:  # a number where it reads as one (German decimal comma too), else text
                number = float(value.replace(",", "."))
                key_data[key] = int(number) if value.lstrip("-").isdigit() else number
            except ValueError:
                key_data[key] = value
    shape = _read_data(boundary, change.lang) if boundary is not None else None
    change.apply(
        lambda service, run, stamp: service.record_sozialraum(
            run,
            name=name,
            description=description,
            id=room_id,
            planning_areas=list(areas) if areas else None,
            key_data=key_data,
            boundary=shape,
            **stamp,
        )
    )


@change_command(name="take-over", help=msg("sozialraum.cli-help-take-over"))
@option("--from", "source_run", required=True, metavar="RUN", help=msg("sozialraum.cli-from"))
@change_options
def area_take_over(source_run: str, change: Change) -> None:
    """Take the Sozialraum record over from an earlier run."""
    change.apply(lambda service, run, stamp: service.take_over_sozialraum(run, source_run, **stamp))


@command(
    name="show", help=msg("sozialraum.cli-help-show"), json_keys=msg("sozialraum.cli-show-json")
)
@read_options
def area_show(read: Read) -> None:
    """Show the Sozialraum record."""
    from sozialraumprozess.steering.sozialraum import record_to_dict, sozialraum_record

    lang = read.lang
    process = read.fetch(lambda service, run: run.process)
    record = sozialraum_record(process.sozialraum)
    data = record_to_dict(record)
    if read.as_json:
        echo_json(data)
        return
    lines = [
        (msg("sozialraum.head-name").text(lang), record.name),
        (msg("sozialraum.head-id").text(lang), record.id),
        (msg("sozialraum.head-areas").text(lang), ", ".join(record.planning_areas) or "–"),
    ]
    lines += [(str(k), str(v)) for k, v in record.key_data.items()]
    has = msg("sozialraum.boundary-yes") if record.boundary else msg("sozialraum.boundary-no")
    lines.append((msg("sozialraum.head-boundary").text(lang), has.text(lang)))
    print_table(["", ""], lines)


area.add_command(area_set)
area.add_command(area_take_over)
area.add_command(area_show)

COMMANDS: list[click.Command] = [indicators, area]
