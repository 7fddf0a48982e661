"""Shared options of the commands, and how a command finds its store and run.

A run lives in a store named by ``--store URL`` (env ``SOZIALRAUM_STORE``): a
folder path, ``sqlite:///path/file.db`` or any scheme the application layer
knows (:mod:`sozialraumprozess.app.stores`). The folder-store shorthands keep
working: read commands take the store as an optional argument ``[STORE]``,
state-changing commands take ``--dir/-d`` (env ``SOZIALRAUM_DIR``); both accept
a URL too. What is given on the command line wins over the environment; with
nothing given, the current folder is the store. A store with one run needs no
``--run``; with several, ``--run RUN_ID`` picks one.

Everything a command shows comes from :mod:`sozialraumprozess.app`; this module
only reads options and words the answer.
"""

from __future__ import annotations

import functools
import os
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from sozialraumprozess.cli.completion import complete_role, complete_run, complete_store
from sozialraumprozess.cli.localized import option
from sozialraumprozess.i18n import Lang, Message, msg

if TYPE_CHECKING:
    from sozialraumprozess.app.service import OpenRun, Service
    from sozialraumprozess.definition.model import Workflow

__all__ = [
    "Read",
    "actor_option",
    "actor_option_with",
    "bad_parameter",
    "bundled",
    "dir_argument",
    "dir_option",
    "echo",
    "json_option",
    "lang_option",
    "load_workflow_arg",
    "open_service",
    "read_options",
    "require_actor",
    "run_option",
    "service_at",
    "slug",
    "stacked",
    "store_option",
    "store_url",
    "text",
    "usage_error",
]

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

#: A decorator that adds click parameters to a command function.
Params = Callable[[Callable[..., Any]], Callable[..., Any]]

#: Attempts of a state-changing command that meets conflicts with concurrent writers
#: (env ``SOZIALRAUM_ATTEMPTS``); with waits doubling up to 0.5 s, about a minute.
CLI_ATTEMPTS = 200


def text(message: Message, lang: Lang) -> str:
    """``message`` worded in ``lang``."""
    return message.text(lang)


def echo(message: Message, lang: Lang, *, err: bool = False) -> None:
    """Print ``message`` worded in ``lang``."""
    click.echo(message.text(lang), err=err)


def usage_error(message: Message, lang: Lang) -> click.UsageError:
    """A usage error (exit 2) worded in ``lang`` (shown with the prefix in ``lang``)."""
    from sozialraumprozess.cli.app import LocalizedUsage

    return LocalizedUsage(message.text(lang), lang)


def bad_parameter(message: Message, lang: Lang, param_hint: str) -> click.BadParameter:
    """A ``click.BadParameter`` worded in ``lang``."""
    return click.BadParameter(message.text(lang), param_hint=param_hint)


# --------------------------------------------------------------------------- options


def _remember(key: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """An option callback that keeps the value in ``ctx.meta`` for the error handler."""

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        ctx.meta[key] = value
        return value

    return callback


def lang_option(func: F) -> F:
    """``--lang de|en`` (env ``SOZIALRAUM_LANG``), German by default; applies to errors too."""
    return option(
        "--lang",
        type=click.Choice(["de", "en"]),
        default="de",
        envvar="SOZIALRAUM_LANG",
        show_default=True,
        is_eager=True,
        callback=_remember("sozialraum.lang"),
        show_envvar=True,
        help=msg("cli.help.lang"),
    )(func)


def json_option(func: F) -> F:
    """``--json``: machine-readable output (errors too, on stderr)."""
    return option(
        "--json",
        "as_json",
        is_flag=True,
        is_eager=True,
        callback=_remember("sozialraum.json"),
        help=msg("cli.help.json"),
    )(func)


def store_option(func: F) -> F:
    """``--store URL`` (env ``SOZIALRAUM_STORE``): the store of the run."""
    return option(
        "--store",
        "store",
        default=None,
        envvar="SOZIALRAUM_STORE",
        metavar="URL",
        shell_complete=complete_store,
        show_envvar=True,
        help=msg("cli.help.store"),
    )(func)


def dir_argument(func: F) -> F:
    """``[STORE]``: the store, a folder or URL (default: ``--store``, else the current folder)."""
    return click.argument(
        "directory",
        metavar="[STORE]",
        required=False,
        default=None,
        shell_complete=complete_store,
    )(func)


def dir_option(func: F) -> F:
    """``--dir/-d DIR`` (env ``SOZIALRAUM_DIR``): the folder store (or a URL) of the run."""
    return option(
        "--dir",
        "-d",
        "directory",
        default=None,
        envvar="SOZIALRAUM_DIR",
        metavar="DIR",
        shell_complete=complete_store,
        show_envvar=True,
        help=msg("cli.help.dir"),
    )(func)


def idempotency_option(func: F) -> F:
    """``--idempotency-key KEY``: the key of this command, to retry it safely."""
    return option(
        "--idempotency-key",
        "idempotency_key",
        default=None,
        metavar="KEY",
        help=msg("chain.help.idempotency-key"),
    )(func)


def command_key(given: str | None) -> str:
    """The idempotency key of this invocation: ``given``, else a new random one; noted
    in the click context so that an error that leaves it unknown whether the change
    was stored can name it (see :class:`~sozialraumprozess.cli.app.DomainError`)."""
    import secrets

    key = given if given is not None else secrets.token_hex(16)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta["sozialraum.idempotency-key"] = key
    return key


def run_option(func: F) -> F:
    """``--run RUN_ID``: which run, when the store holds several."""
    return option(
        "--run",
        "run_id",
        default=None,
        metavar="RUN_ID",
        shell_complete=complete_run,
        help=msg("cli.help.run"),
    )(func)


def actor_option_with(help: Message) -> Callable[[F], F]:
    """``--as ROLE_OR_NAME`` (env ``SOZIALRAUM_ROLE``) with the help text ``help``."""
    return option(
        "--as",
        "actor",
        default=None,
        envvar="SOZIALRAUM_ROLE",
        metavar="ROLE_OR_NAME",
        shell_complete=complete_role,
        show_envvar=True,
        help=help,
    )


def actor_option(func: F) -> F:
    """``--as ROLE_OR_NAME`` (env ``SOZIALRAUM_ROLE``): who acts."""
    return actor_option_with(msg("cli.help.as"))(func)


def require_actor(actor: str | None, lang: Lang) -> str:
    """``actor``, or a usage error (exit 2) that says how to name who acts."""
    if actor is None or not actor.strip():
        raise usage_error(msg("cli.who-acts"), lang)
    return actor.strip()


def bundled(
    name: str,
    keys: Sequence[str],
    make: Callable[..., Any],
    *params: Params,
) -> Params:
    """A decorator that adds the click ``params`` (in the order given, as ``--help``
    lists them) and hands the command their values, named ``keys``, as one keyword
    argument ``name``: ``make(**values)``. The command's own parameters come as they are.
    """

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def with_bundle(**values: Any) -> Any:
            shared = {key: values.pop(key) for key in keys}
            return func(**values, **{name: make(**shared)})

        return stacked(*params)(with_bundle)

    return decorate


def stacked(*params: Params) -> Params:
    """One decorator that adds the click ``params`` in the order given (the order
    ``--help`` lists them in), as if they were written one above the other."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        for add in reversed(params):
            func = add(func)
        return func

    return decorate


# --------------------------------------------------------------------------- stores


def _from_command_line(name: str) -> bool:
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return False
    source = ctx.get_parameter_source(name)
    return source is not None and source.name in ("COMMANDLINE", "PROMPT")


def store_url(store: str | None, directory: str | None) -> str:
    """The store a command works on: ``--store`` or the ``DIR`` shorthand given on the
    command line, else ``SOZIALRAUM_STORE``, else ``SOZIALRAUM_DIR``, else ``.``."""
    if store is not None and _from_command_line("store"):
        return store
    if directory is not None and _from_command_line("directory"):
        return directory
    if store is not None:
        return store
    return directory if directory is not None else "."


def open_service(url: str, *, create: bool = False) -> Service:
    """The application layer over the store at ``url``, with the CLI's retry settings.

    Raises:
        NotAStore, UnsupportedFormat: see :func:`sozialraumprozess.app.open_store`.
    """
    from sozialraumprozess.app.service import Service
    from sozialraumprozess.cli.hints import remember

    remember(store=url)
    attempts = os.environ.get("SOZIALRAUM_ATTEMPTS", "")
    return Service.open(
        url,
        create=create,
        attempts=int(attempts) if attempts.isdigit() and int(attempts) > 0 else CLI_ATTEMPTS,
        backoff=0.01,
        max_backoff=0.5,
    )


@contextmanager
def service_at(store: str | None, directory: str | None) -> Iterator[Service]:
    """The application layer over the store the options name (see :func:`store_url`),
    closed when the block ends."""
    service = open_service(store_url(store, directory))
    try:
        yield service
    finally:
        service.close()


@contextmanager
def services_at(
    directories: Sequence[str], store: str | None, lang: Lang
) -> Iterator[list[Service]]:
    """The application layer over each store named (the arguments, else ``--store``),
    all closed when the block ends (the portfolio and programme views of many stores).

    Raises:
        click.UsageError: No store is named.
    """
    urls = list(directories) or ([store] if store else [])
    if not urls:
        raise usage_error(msg("cli.portfolio-needs-store"), lang)
    services: list[Service] = []
    try:
        for url in urls:
            services.append(open_service(url))
        yield services
    finally:
        for service in services:
            service.close()


@dataclass(frozen=True)
class Read:
    """The options every command that reads one run shares, read into one value: the
    store (``[STORE]``, ``--store``), the run (``--run``), ``--lang`` and ``--json``.
    The field names are those of the click parameters."""

    directory: str | None
    store: str | None
    run_id: str | None
    lang: Lang
    as_json: bool

    def fetch(self, query: Callable[[Service, OpenRun], T]) -> T:
        """Open the store and the run, and return ``query(service, opened_run)``."""
        with service_at(self.store, self.directory) as service:
            return query(service, service.open_run(self.run_id))


#: ``[STORE] --store --run --lang --json``, handed to the command as ``read`` (a :class:`Read`).
read_options = bundled(
    "read",
    [field.name for field in fields(Read)],
    Read,
    dir_argument,
    store_option,
    run_option,
    lang_option,
    json_option,
)


# --------------------------------------------------------------------------- helpers


_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})


def slug(name: str) -> str:
    """A run id from a name: ``Schwerte-Ost (Beispiel)`` → ``schwerte-ost-beispiel``."""
    folded = unicodedata.normalize("NFKD", name.translate(_FOLD).lower())
    out: list[str] = []
    for char in folded:
        if char.isascii() and char.isalnum():
            out.append(char)
        elif not unicodedata.combining(char) and (not out or out[-1] != "-"):
            out.append("-")
    return "".join(out).strip("-") or "sozialraum"


def load_workflow_arg(value: str, lang: Lang) -> tuple[Workflow, Path | None]:
    """A workflow named by bundled id or path; the path is ``None`` for bundled ones."""
    from sozialraumprozess.definition.loader import bundled_workflows, load_workflow

    if value in bundled_workflows():
        return load_workflow(value, lang=lang), None
    if os.path.exists(value):
        if os.path.isdir(value):
            raise bad_parameter(msg("cli.workflow-is-folder", path=value), lang, "--workflow")
        return load_workflow(value, lang=lang), Path(value).resolve()
    return load_workflow(value, lang=lang), None  # UnknownNameError with a hint
