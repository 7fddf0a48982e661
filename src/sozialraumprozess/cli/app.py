"""The click group and the one place where domain errors become exit codes.

Errors are worded in the command's language (``--lang`` / ``SOZIALRAUM_LANG``),
prefixed ``Fehler:`` / ``Error:`` and followed by the full commands that help
(what settles the blockers of a refused move, the role that may act, the runs
of a store; see :mod:`sozialraumprozess.cli.hints`); with ``--json`` they are a
JSON object on stderr instead: ``{"error": {"code", "message", "position",
"blockers", "problems", "issues", "next_steps"}}``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import click

from sozialraumprozess.cli.localized import Group, Option, help_lang
from sozialraumprozess.i18n import Lang, msg

if TYPE_CHECKING:  # imported when an error happens: `status` and `--help` start faster
    from sozialraumprozess.errors import SozialraumprozessError

__all__ = ["DomainError", "LazyGroup", "SozialraumGroup", "error_data", "main", "sozialraum"]


def _meta(key: str, default: Any) -> Any:
    ctx = click.get_current_context(silent=True)
    return default if ctx is None else ctx.meta.get(key, default)


def _lang() -> str:
    return str(_meta("sozialraum.lang", None) or "de")


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def error_data(error: SozialraumprozessError, lang: Lang) -> dict[str, Any]:
    """A library error as JSON-compatible data: ``code``, ``message`` (in ``lang``),
    ``position`` (``file``, ``line``, ``column``, ``path``; or ``None``), ``blockers``
    (for a blocked move), ``problems`` (invalid fields: ``path``, ``code``,
    ``message``) and ``issues`` (problems of a workflow or scenario file)."""
    from sozialraumprozess.errors import (
        CorruptRunError,
        InvalidData,
        TransitionBlocked,
        WorkflowError,
    )

    code = error.code if error.code != "error" else _kebab(type(error).__name__)
    position: dict[str, Any] | None = None
    blockers: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []
    issues: list[dict[str, Any]] = []
    if isinstance(error, TransitionBlocked):
        message = error.message(lang, roles=True)
        blockers = [
            b.to_dict(lang) if hasattr(b, "to_dict") else {"message": b.message(lang)}
            for b in error.blockers
        ]
    else:
        message = error.message(lang)
    if isinstance(error, WorkflowError):
        issues = [issue.to_dict(lang) for issue in error.issues]
        if error.issues:
            first = error.issues[0]
            position = {
                "file": first.file,
                "line": first.line,
                "column": first.column,
                "path": first.path,
            }
    elif isinstance(error, CorruptRunError):
        position = {"file": error.path, "line": error.line, "column": None, "path": None}
    elif isinstance(error, InvalidData):
        problems = [
            {"path": p.path, "code": p.code, "message": p.message(lang)} for p in error.problems
        ]
        if error.problems:
            position = {
                "file": None,
                "line": None,
                "column": None,
                "path": error.problems[0].path,
            }
    return {
        "code": code,
        "message": message,
        "position": position,
        "blockers": blockers,
        "problems": problems,
        "issues": issues,
    }


def _echo_error(message: str, lang: Lang, code: str, as_json: bool) -> None:
    if as_json:
        data: dict[str, Any] = {
            "error": {"code": code, "message": message, "position": None, "blockers": []}
        }
        import json  # here, not at the top: `--help` needs no json (benchmarks/cli_startup.py)

        click.echo(json.dumps(data, ensure_ascii=False, indent=2), err=True)
        return
    click.echo(msg("cli.error", message=message).text(lang), err=True)


def show_usage_error(error: click.UsageError, lang: Lang, as_json: bool) -> None:
    """A usage error (exit 2): usage line and hint, then ``Fehler: …`` / ``Error: …``
    (or the error as JSON)."""
    ctx = error.ctx
    if ctx is not None and not as_json:
        click.echo(ctx.get_usage(), err=True)
        if ctx.command.get_help_option(ctx) is not None:
            hint = msg("cli.usage-hint", command=ctx.command_path).text(lang)
            click.echo(hint, err=True)
        click.echo(err=True)
    _echo_error(error.format_message(), lang, "usage", as_json)


class DomainError(click.ClickException):
    """A refusal by the library (invalid file, blocked, not permitted): exit code 1."""

    exit_code = 1

    def __init__(self, error: SozialraumprozessError, lang: Lang = "de", as_json: bool = False):
        self.error = error
        self.lang = lang
        self.as_json = as_json
        self.data = error_data(error, lang)
        from sozialraumprozess.cli.hints import error_steps

        self.data["next_steps"] = error_steps(error)
        self.key = _retry_key(error)
        if self.key is not None:
            self.data["idempotency_key"] = self.key
        super().__init__(self.data["message"])

    def show(self, file: Any = None) -> None:
        """``Fehler: …`` / ``Error: …`` on stderr, then the commands that help (``Weiter
        mit:`` / ``Next:``, one full command a line), or the error as JSON under ``--json``."""
        if self.as_json:
            import json

            text = json.dumps({"error": self.data}, ensure_ascii=False, indent=2)
            click.echo(text, err=True)
            return
        click.echo(msg("cli.error", message=self.format_message()).text(self.lang), err=True)
        if self.key is not None:
            click.echo(msg("chain.retry-with-key", key=self.key).text(self.lang), err=True)
        if self.data["next_steps"]:
            click.echo(msg("cli.next-commands").text(self.lang), err=True)
            for step in self.data["next_steps"]:
                click.echo("  " + step["command_line"]["shell"], err=True)


def _retry_key(error: SozialraumprozessError) -> str | None:
    """The invocation's idempotency key if ``error`` leaves the change's fate open to the
    user (the store could not be written: retry with the key once it can), else ``None``."""
    from sozialraumprozess.errors import StoreUnwritable

    key = _meta("sozialraum.idempotency-key", None)
    return key if isinstance(error, StoreUnwritable) and isinstance(key, str) else None


class CliError(click.ClickException):
    """A refusal of the CLI itself (exit 1), worded in the command's language."""

    exit_code = 1

    def __init__(
        self, message: str, lang: Lang, code: str = "cli", as_json: bool | None = None
    ) -> None:
        self.lang = lang
        self.code = code
        self.as_json = bool(_meta("sozialraum.json", False)) if as_json is None else as_json
        super().__init__(message)

    def show(self, file: Any = None) -> None:
        """Like :meth:`DomainError.show`."""
        _echo_error(self.format_message(), self.lang, self.code, self.as_json)


class SozialraumGroup(Group):
    """A click group that turns :class:`SozialraumprozessError` into exit code 1; its
    help is worded from the catalogs (:class:`~sozialraumprozess.cli.localized.Group`)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.exceptions.Exit:  # --help, --version: no need to import the errors
            raise
        except Exception as error:
            # Only the library's own errors become exit code 1; everything else
            # (click's exits and usage errors, real bugs) passes through untouched.
            from sozialraumprozess.errors import SozialraumprozessError

            lang = _invocation_lang(ctx)
            as_json = bool(ctx.meta.get("sozialraum.json"))
            if isinstance(error, SozialraumprozessError):
                raise DomainError(error, lang, as_json) from error
            if isinstance(error, click.UsageError) and not isinstance(error, LocalizedUsage):
                raise LocalizedUsage(error.format_message(), lang, error.ctx, as_json) from error
            if type(error) is click.ClickException:
                raise CliError(error.format_message(), lang, as_json=as_json) from error
            raise


def _invocation_lang(ctx: click.Context) -> Lang:
    """The language of this invocation: ``--lang`` once parsed; before that (an error
    while parsing) ``--lang`` as written on the command line, else ``SOZIALRAUM_LANG``
    (:func:`~sozialraumprozess.cli.localized.help_lang`)."""
    return help_lang(ctx)


class LocalizedUsage(click.UsageError):
    """A usage error (exit 2) shown with usage line, hint and prefix in the command's language."""

    def __init__(
        self,
        message: str,
        lang: Lang,
        ctx: click.Context | None = None,
        as_json: bool | None = None,
    ) -> None:
        self.lang = lang
        self.as_json = bool(_meta("sozialraum.json", False)) if as_json is None else as_json
        super().__init__(message, ctx or click.get_current_context(silent=True))

    def show(self, file: Any = None) -> None:
        """See :func:`show_usage_error`."""
        show_usage_error(self, self.lang, self.as_json)


#: The modules that define the commands (each lists them in ``COMMANDS``), in the
#: order they are registered. A new module of commands: one line here, one in
#: :data:`_COMMAND_MODULES` per command.
_MODULES = (
    "definition_cmds",
    "run_cmds",
    "step_cmds",
    "item_cmds",
    "chain_cmds",
    "indicator_cmds",
    "programme_cmds",
    "participation_cmds",
    "read_cmds",
    "report_cmds",
    "portfolio_cmds",
    "verify_cmds",
    "store_cmds",
    "people_cmds",
    "demo_cmds",
)

#: Which module defines each command: running one command imports its own module
#: only (``status``: 20-25 ms less at every start; ``benchmarks/cli_startup.py``). A
#: command missing here still works (every module is then imported);
#: ``tests/cli/test_lazy_commands.py`` checks that the index is complete.
_COMMAND_MODULES = {
    "validate": "definition_cmds",
    "workflows": "definition_cmds",
    "show": "definition_cmds",
    "diff": "definition_cmds",
    "schema": "definition_cmds",
    "init": "run_cmds",
    "submit": "run_cmds",
    "approve": "run_cmds",
    "confirm": "run_cmds",
    "participant": "run_cmds",
    "event": "step_cmds",
    "decide": "step_cmds",
    "advance": "step_cmds",
    "transition": "step_cmds",
    "skip": "step_cmds",
    "migrate": "step_cmds",
    "plan": "step_cmds",
    "reschedule": "step_cmds",
    "cancel": "step_cmds",
    "item": "item_cmds",
    "chain": "chain_cmds",
    "measure": "chain_cmds",
    "indicators": "indicator_cmds",
    "area": "indicator_cmds",
    "budget": "programme_cmds",
    "programme": "programme_cmds",
    "programme-demo": "programme_cmds",
    "participation": "participation_cmds",
    "status": "read_cmds",
    "history": "read_cmds",
    "render": "report_cmds",
    "report": "report_cmds",
    "portfolio": "portfolio_cmds",
    "verify": "verify_cmds",
    "follow": "store_cmds",
    "store": "store_cmds",
    "person": "people_cmds",
    "purge": "people_cmds",
    "demo": "demo_cmds",
    "scenario": "demo_cmds",
    "diagram": "demo_cmds",
}


class LazyGroup(SozialraumGroup):
    """The top-level group: a command's module is imported when the command is looked
    up (click's lazy group pattern), not when the CLI is.

    ``commands`` still holds every command (reading it imports every module), so
    help, shell completion and the reference generator see the whole tree.
    """

    def __init__(self, *args: Any, **attrs: Any) -> None:
        self._loaded: dict[str, click.Command] = {}
        self._complete = False
        super().__init__(*args, **attrs)

    @property  # type: ignore[override]
    def commands(self) -> dict[str, click.Command]:
        """Every command by name (imports every module of commands once)."""
        if not self._complete:
            for module in _MODULES:
                self._load(module)
            self._complete = True
        return self._loaded

    @commands.setter
    def commands(self, value: dict[str, click.Command]) -> None:
        self._loaded.update(value)  # click's __init__: the commands given (none here)

    def _load(self, module: str) -> None:
        from importlib import import_module

        found = import_module(f"sozialraumprozess.cli.{module}")
        for command in found.COMMANDS:
            self._loaded.setdefault(command.name or "", command)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        """Register a command beside the lazily loaded ones."""
        self._loaded[name or cmd.name or ""] = cmd

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command ``cmd_name``, importing only its module if it is in the index."""
        found = self._loaded.get(cmd_name)
        if found is None and not self._complete:
            module = _COMMAND_MODULES.get(cmd_name)
            if module is not None:
                self._load(module)
                found = self._loaded.get(cmd_name)
        return found if found is not None else self.commands.get(cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, sorted."""
        return sorted(self.commands)


@click.group(
    cls=LazyGroup,
    help_message=msg("cli.help.sozialraum"),
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(
    package_name="sozialraumprozess",
    prog_name="sozialraum",
    cls=Option,
    help=msg("cli.help.version"),
)
def sozialraum() -> None:
    """The ``sozialraum`` command group (its help: ``cli.help.sozialraum``)."""


def main() -> None:
    """Entry point of the ``sozialraum`` console script."""
    sozialraum(prog_name="sozialraum")
