"""The click group and the one place where domain errors become exit codes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # imported when an error happens: `status` and `--help` start faster
    from sozialraumprozess.errors import SozialraumprozessError

__all__ = ["DomainError", "SozialraumGroup", "main", "sozialraum"]


class DomainError(click.ClickException):
    """A refusal by the library (invalid file, blocked, not permitted): exit code 1."""

    exit_code = 1

    def __init__(self, error: SozialraumprozessError, lang: str = "de") -> None:
        from sozialraumprozess.errors import TransitionBlocked

        self.error = error
        self.lang = lang
        if isinstance(error, TransitionBlocked):
            message = error.message(lang, roles=True)
        else:  # every library error has message(lang); a WorkflowError's is its format(lang)
            message = error.message(lang)
        super().__init__(message)

    def show(self, file: Any = None) -> None:
        prefix = "Error" if self.lang == "en" else "Fehler"
        click.echo(f"{prefix}: {self.format_message()}", err=True)


def _lang() -> str:
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        lang = ctx.params.get("lang")
        if lang:
            return str(lang)
        ctx = ctx.parent
    return "de"


class SozialraumGroup(click.Group):
    """A click group that turns :class:`SozialraumprozessError` into exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as error:
            # Only the library's own errors become exit code 1; everything else
            # (click's exits and usage errors, real bugs) passes through untouched.
            from sozialraumprozess.errors import SozialraumprozessError

            if isinstance(error, SozialraumprozessError):
                raise DomainError(error, _lang()) from error
            raise


@click.group(cls=SozialraumGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sozialraumprozess", prog_name="sozialraum")
def sozialraum() -> None:
    """Sozialraum-Prozesse als nachvollziehbare Workflows ausführen.

    Run Sozialraum (social-space) development processes as auditable,
    document-producing workflows.
    """


def _register() -> None:
    from sozialraumprozess.cli import (
        definition_cmds,
        demo_cmds,
        portfolio_cmds,
        read_cmds,
        report_cmds,
        run_cmds,
        step_cmds,
    )

    modules = (
        definition_cmds,
        run_cmds,
        step_cmds,
        read_cmds,
        report_cmds,
        portfolio_cmds,
        demo_cmds,
    )
    for module in modules:
        for command in module.COMMANDS:
            sozialraum.add_command(command)


_register()


def main() -> None:
    """Entry point of the ``sozialraum`` console script."""
    sozialraum(prog_name="sozialraum")
