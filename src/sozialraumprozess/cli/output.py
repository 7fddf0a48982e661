"""Output helpers: rich tables on a terminal, plain aligned text when piped, JSON."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

__all__ = ["echo_json", "is_terminal", "print_table"]


def is_terminal() -> bool:
    """True when stdout is an interactive terminal."""
    return sys.stdout.isatty()


def echo_json(data: Any) -> None:
    """Print ``data`` as pretty JSON (UTF-8, not ASCII-escaped)."""
    import json  # here, not at the top: `--help` needs no json (benchmarks/cli_startup.py)

    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def print_table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None
) -> None:
    """A table: rich on a terminal, plain columns separated by two spaces otherwise."""
    cells = [[("" if c is None else str(c)) for c in row] for row in rows]
    if is_terminal():
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title, title_justify="left")
        for header in headers:
            table.add_column(header)
        for row in cells:
            table.add_row(*row)
        Console().print(table)
        return
    if title:
        click.echo(title)
    widths = [len(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    line = "  ".join(h.ljust(widths[i]) for i, h in enumerate(headers)).rstrip()
    click.echo(line)
    click.echo("  ".join("-" * w for w in widths))
    for row in cells:
        click.echo("  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip())
