"""``--help`` in the invocation's language: click classes whose texts are catalog messages.

Every text of a command's help is a :class:`~sozialraumprozess.i18n.Message`
worded when the help is formatted, not when the CLI is imported (importing the
CLI loads no catalog; ``--help`` loads the one it shows):

* :class:`Option` takes ``help=msg("cli.help.<command>.<option>")`` (or a shared
  one such as ``cli.help.lang``); click's notes behind it (``[default: …]``,
  ``[required]``, ``[env var: …]``) are worded from the catalogs too;
* :class:`Command` and :class:`Group` take ``help_message`` (the text above
  ``Options:`` and, shortened, the line in the command list) and ``json_keys``
  (the paragraph naming the keys of the ``--json`` answer); their help option,
  usage line and section headings are worded as well.

The language (:func:`help_lang`) is ``--lang`` once parsed; before that (``--help``
is handled while the options are read) ``--lang`` as written in the arguments,
else ``SOZIALRAUM_LANG``, else German. The function docstrings of the commands
are developer documentation; click shows the catalog texts.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click
from click.formatting import join_options
from click.utils import make_default_short_help

from sozialraumprozess.i18n import LANGS, Lang, Message, msg

__all__ = ["Command", "Group", "Option", "command", "command_help", "help_lang", "option"]

F = TypeVar("F", bound=Callable[..., Any])

#: ``ctx.meta`` key of the language given on the command line (kept while parsing).
ARGS_LANG = "sozialraum.args-lang"


def _lang_in(args: Sequence[str]) -> str | None:
    """The value of the last ``--lang X`` / ``--lang=X`` in ``args`` (up to ``--``)."""
    found = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            found = args[i + 1]
        elif arg.startswith("--lang="):
            found = arg.partition("=")[2]
    return found


def help_lang(ctx: click.Context | None) -> Lang:
    """The language of this invocation: ``--lang`` once parsed, else ``--lang`` as written
    on the command line, else ``SOZIALRAUM_LANG``, else German."""
    meta = ctx.meta if ctx is not None else {}
    for found in (
        meta.get("sozialraum.lang"),
        meta.get(ARGS_LANG),
        os.environ.get("SOZIALRAUM_LANG"),
    ):
        if found in LANGS:
            return found
    return "de"


class Option(click.Option):
    """A ``click.Option`` whose help is a catalog message, worded at help-formatting time."""

    def __init__(self, *args: Any, help: Message | None = None, **attrs: Any) -> None:
        super().__init__(*args, **attrs)
        self.help_message = help

    def help_text(self, lang: Lang) -> str:
        """The option's help in ``lang`` (without click's notes such as ``[required]``)."""
        return "" if self.help_message is None else self.help_message.text(lang)

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        """Names and metavar, and the help with its notes, in :func:`help_lang`."""
        if self.hidden:
            return None
        lang = help_lang(ctx)

        def names(opts: Sequence[str]) -> str:
            written, _slash = join_options(opts)
            if not self.is_flag and not self.count:
                written += f" {self.make_metavar(ctx=ctx)}"
            return written

        written = " / ".join(names(opts) for opts in (self.opts, self.secondary_opts) if opts)
        extra = self.get_help_extra(ctx)
        notes: list[str] = []
        if "envvars" in extra:
            notes.append(msg("cli.help.env-var", var=", ".join(extra["envvars"])).text(lang))
        if "default" in extra:
            notes.append(msg("cli.help.default", default=extra["default"]).text(lang))
        if "range" in extra:
            notes.append(extra["range"])
        if "required" in extra:
            notes.append(msg("cli.help.required").text(lang))
        text = self.help_text(lang)
        if notes:
            joined = "; ".join(notes)
            text = f"{text}  [{joined}]" if text else f"[{joined}]"
        return written, text


def option(*decls: str, help: Message, **attrs: Any) -> Callable[[F], F]:
    """``click.option`` with an :class:`Option` whose help is ``help`` (a catalog message)."""
    return click.option(*decls, cls=Option, help=help, **attrs)


def _show_help(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(ctx.get_help(), color=ctx.color)
        ctx.exit()


class Command(click.Command):
    """A ``click.Command`` whose help texts come from the catalogs (see the module doc).

    Args:
        help_message: What the command does (paragraphs separated by a blank line).
        json_keys: The paragraph naming the keys of its ``--json`` answer.
    """

    def __init__(
        self,
        *args: Any,
        help_message: Message | None = None,
        json_keys: Message | None = None,
        **attrs: Any,
    ) -> None:
        super().__init__(*args, **attrs)
        self.help_message = help_message
        self.json_keys = json_keys
        self._localized_help_option: Option | None = None

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Keep ``--lang`` as written, for help and errors met while parsing."""
        found = _lang_in(args)
        if found is not None:
            ctx.meta[ARGS_LANG] = found
        return super().parse_args(ctx, args)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        """``-h/--help`` with its help worded from the catalogs."""
        names = self.get_help_option_names(ctx)
        if not names or not self.add_help_option:
            return None
        if self._localized_help_option is None:  # one object: click orders params by identity
            self._localized_help_option = Option(
                names,
                is_flag=True,
                is_eager=True,
                expose_value=False,
                callback=_show_help,
                help=msg("cli.help.help"),
            )
        return self._localized_help_option

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """``Aufruf: …`` / ``Usage: …``."""
        prefix = msg("cli.help.usage").text(help_lang(ctx)) + " "
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command's help from the catalogs (click's own for a plain help string)."""
        if self.help_message is None:
            super().format_help_text(ctx, formatter)
            return
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(command_help(self, help_lang(ctx)))

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The options under ``Optionen`` / ``Options``."""
        records = [r for p in self.get_params(ctx) if (r := p.get_help_record(ctx)) is not None]
        if records:
            with formatter.section(msg("cli.help.options").text(help_lang(ctx))):
                formatter.write_dl(records)


class Group(Command, click.Group):
    """A ``click.Group`` like :class:`Command`; its command list shows the short help
    of each command in the same language."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The options, then the commands."""
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands under ``Befehle`` / ``Commands`` with their short help."""
        lang = help_lang(ctx)
        found = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
        commands = [(name, cmd) for name, cmd in found if cmd is not None and not cmd.hidden]
        if not commands:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in commands)
        rows = [(name, short_help(cmd, lang, limit)) for name, cmd in commands]
        with formatter.section(msg("cli.help.commands").text(lang)):
            formatter.write_dl(rows)


def command_help(command: click.Command, lang: Lang) -> str:
    """The full help of ``command`` in ``lang``: its text and the ``--json`` paragraph."""
    if not isinstance(command, Command) or command.help_message is None:
        return (command.help or "").split("\f", 1)[0].strip()
    parts = [command.help_message.text(lang)]
    if command.json_keys is not None:
        parts.append(command.json_keys.text(lang))
    return "\n\n".join(parts)


def short_help(command: click.Command, lang: Lang, limit: int = 45) -> str:
    """The line of ``command`` in a command list: its help's first sentence, in ``lang``."""
    if not isinstance(command, Command) or command.help_message is None:
        return command.get_short_help_str(limit)
    return make_default_short_help(command.help_message.text(lang), limit).strip()


def command(
    name: str | None = None,
    *,
    help: Message,
    json_keys: Message | None = None,
    cls: type[Command] = Command,
) -> Callable[[Callable[..., Any]], Command]:
    """``click.command`` making a :class:`Command` with catalog help."""

    def decorate(func: Callable[..., Any]) -> Command:
        return click.command(name, cls=cls, help_message=help, json_keys=json_keys)(func)

    return decorate
