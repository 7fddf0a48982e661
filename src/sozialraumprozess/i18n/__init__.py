"""Messages as data: a stable code and parameters in the code, the text in gettext catalogs.

Every text the library shows a person (errors, blockers, CLI output, document
strings) is a :class:`Message`: a code such as ``runtime.no-version`` and its
parameters. Its wording lives in the catalogs under ``i18n/catalogs/<lang>/``
(``.po`` sources kept in the repository, compiled ``.mo`` files shipped in the
wheel) and is looked up only when the message is shown, in the language asked for::

    >>> from sozialraumprozess.i18n import msg
    >>> m = msg("name.did-you-mean", name="zielbeschluss")
    >>> m.text("de"), m.text("en")
    ("Meinten Sie 'zielbeschluss'?", "Did you mean 'zielbeschluss'?")

Rules for the code (``python -m sozialraumprozess.i18n check`` enforces them):

* the code is a string literal at the call (``msg("…")`` or ``plural("…", n)``),
  so extraction finds every message;
* parameters are named and appear as ``{name}`` in the catalog text (a literal
  brace is doubled: ``{{de: …}}``);
* a parameter may itself be a :class:`Message` or anything with ``get(lang)``
  (a workflow :class:`~sozialraumprozess.Label`): it is shown in the same language.

A message (and any parameter) can be kept as JSON and worded later, without the
objects that made it: :func:`to_json` / :func:`from_json` (a store keeps what
``sozialraum status`` shows this way, see :mod:`sozialraumprozess.storage.summary`).

A third language is one more catalog: see ``docs/how-to/add-a-language.md``.
The catalogs are read from the package, or from the folder named by the
environment variable ``SOZIALRAUM_CATALOGS`` (or :func:`use_catalogs`), e.g. to
try a new language without touching the installed package.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, cast, get_args

__all__ = [
    "LANGS",
    "Joined",
    "Lang",
    "Message",
    "Number",
    "Texts",
    "available_languages",
    "catalog_dir",
    "check_lang",
    "from_json",
    "has_text",
    "joined",
    "messages_in",
    "msg",
    "plural",
    "to_json",
    "translate",
    "use_catalogs",
    "word",
]

#: The languages the library's catalogs are complete in.
Lang = Literal["de", "en"]

#: :data:`Lang` as a tuple, German first (the default language).
LANGS: tuple[Lang, ...] = get_args(Lang)

DOMAIN = "sozialraumprozess"
#: The catalogs shipped in the package.
CATALOGS = Path(__file__).resolve().parent / "catalogs"
#: Environment variable naming another catalog folder (same layout as :data:`CATALOGS`).
CATALOGS_ENV = "SOZIALRAUM_CATALOGS"

_TRANSLATIONS: dict[str, gettext.GNUTranslations] = {}
_catalog_dir: Path | None = None


def catalog_dir() -> Path:
    """The folder the catalogs are read from.

    :func:`use_catalogs`, else ``$SOZIALRAUM_CATALOGS``, else the package's own
    (:data:`CATALOGS`). It holds ``<lang>/LC_MESSAGES/sozialraumprozess.{po,mo}``.
    """
    if _catalog_dir is not None:
        return _catalog_dir
    override = os.environ.get(CATALOGS_ENV)
    return Path(override) if override else CATALOGS


def use_catalogs(folder: str | os.PathLike[str] | None) -> None:
    """Read the catalogs from ``folder`` from now on (``None``: back to the default).

    Forgets the catalogs loaded so far, so a language added there is found.
    """
    global _catalog_dir  # one process-wide setting, like gettext's own
    _catalog_dir = Path(folder) if folder is not None else None
    _TRANSLATIONS.clear()


class _Localized(Protocol):
    def get(self, lang: Lang = "de") -> str: ...


def available_languages() -> tuple[str, ...]:
    """Every language with a compiled catalog (``de``, ``en`` and any added one)."""
    found = sorted(
        p.parent.parent.name
        for p in catalog_dir().glob(f"*/LC_MESSAGES/{DOMAIN}.mo")
        if p.is_file()
    )
    return tuple(sorted(found, key=lambda code: (code not in LANGS, code)))


def check_lang(lang: str) -> Lang:
    """``lang`` if there is a catalog for it.

    Raises:
        ValueError: No catalog for ``lang`` (names the languages there are).
    """
    if lang in LANGS:
        return lang
    if isinstance(lang, str) and lang in available_languages():
        return cast("Lang", lang)
    known = ", ".join(available_languages())
    raise ValueError(f"unknown language {lang!r}: catalogs exist for {known}")


def _translations(lang: Lang) -> gettext.GNUTranslations:
    found = _TRANSLATIONS.get(lang)
    if found is None:
        check_lang(lang)
        path = catalog_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        with path.open("rb") as stream:
            found = gettext.GNUTranslations(stream)
        if lang != "en":  # a text a new catalog lacks yet is shown in English
            found.add_fallback(_EnglishWhenAsked())
        _TRANSLATIONS[lang] = found
    return found


class _EnglishWhenAsked(gettext.NullTranslations):
    """The English catalog as a fallback, read only when a text is missing.

    Reading it for every German command cost about 1 ms of start-up
    (``benchmarks/cli_startup.py``, ``--help``), and the German catalog is complete.
    """

    def gettext(self, message: str) -> str:
        return _translations("en").gettext(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return _translations("en").ngettext(msgid1, msgid2, n)


def _render(value: Any, lang: Lang) -> Any:
    if isinstance(value, Message):
        return value.text(lang)
    if hasattr(value, "get") and not isinstance(value, Mapping):
        return value.get(lang)
    return value


def translate(code: str, lang: Lang = "de", count: int | None = None, **params: Any) -> str:
    """The text of message ``code`` in ``lang`` with ``params`` filled in.

    Raises:
        ValueError: ``lang`` has no catalog.
    """
    return _translate(code, lang, count, params)


def _translate(code: str, lang: Lang, count: int | None, params: Mapping[str, Any]) -> str:
    catalog = _translations(lang)
    if count is None:
        text = catalog.gettext(code)
        values = {k: _render(v, lang) for k, v in params.items()}
    else:
        text = catalog.ngettext(code, code, count)
        values = {"count": count, **{k: _render(v, lang) for k, v in params.items()}}
    # Every text is a format string (a literal brace is written twice: ``{{``).
    return text.format_map(values)


# The classes here are dataclasses, not attrs classes: `sozialraum --help` and
# `sozialraum status` import this module, and attrs costs them ~10 ms of start-up
# (benchmarks/cli_startup.py).


@dataclass(frozen=True, slots=True)
class Message:
    """A text for people: a stable code and its parameters; worded when shown.

    Attributes:
        code: The catalog key, e.g. ``runtime.no-version``.
        params: Named values for the text's ``{placeholders}``.
        count: For plural messages: the number that picks the form.
    """

    code: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)
    count: int | None = None

    def text(self, lang: Lang = "de") -> str:
        """The message worded in ``lang``.

        Raises:
            ValueError: ``lang`` has no catalog.
        """
        return _translate(self.code, lang, self.count, self.params)

    def to_dict(self, lang: Lang = "de") -> dict[str, Any]:
        """``code`` and ``message`` (the text in ``lang``), JSON-compatible."""
        return {"code": self.code, "message": self.text(lang)}

    def __str__(self) -> str:
        return self.text("de")


def msg(code: str, /, **params: Any) -> Message:
    """The message ``code`` with ``params`` (the code must be a literal: it is extracted)."""
    return Message(code, params)


def plural(code: str, count: int, /, **params: Any) -> Message:
    """A message whose wording depends on ``count`` (``1 Kriterium`` / ``2 Kriterien``)."""
    return Message(code, params, count)


@dataclass(frozen=True, slots=True)
class Joined:
    """A list shown in the language asked for: ``a oder b`` / ``a or b``.

    A parameter value (see :class:`Message`): each item is worded in the message's
    language, then joined with ``separator`` (a text, or a message such as a
    language's word for "or").
    """

    items: tuple[Any, ...]
    separator: Message | str = ", "

    def get(self, lang: Lang = "de") -> str:
        """The items in ``lang``, joined."""
        separator = _render(self.separator, lang)
        return str(separator).join(str(_render(item, lang)) for item in self.items)


def joined(items: Iterable[Any], separator: Message | str = ", ") -> Joined:
    """``items`` as one parameter, each worded in the message's language (see :class:`Joined`)."""
    return Joined(tuple(items), separator)


@dataclass(frozen=True, slots=True)
class Number:
    """A number as a parameter, written the language's way (``2.097.152`` / ``2,097,152``)."""

    value: int | float

    def get(self, lang: Lang = "de") -> str:
        """The number with the grouping and decimal signs of ``lang``."""
        from babel.numbers import format_decimal  # only when such a message is shown

        return format_decimal(self.value, locale=lang)


@dataclass(frozen=True, slots=True)
class Texts:
    """A text given per language, e.g. a workflow :class:`~sozialraumprozess.Label` read
    back from JSON (see :func:`from_json`): a parameter like the Label it was.

    Attributes:
        texts: The text of each language.
    """

    texts: Mapping[str, str] = field(hash=False)

    def get(self, lang: Lang = "de") -> str:
        """The text in ``lang``.

        Raises:
            ValueError: It was not kept in ``lang``.
        """
        found = self.texts.get(lang)
        if found is None:
            raise ValueError(f"no text in language {lang!r}: kept in {', '.join(self.texts)}")
        return found


_MESSAGE, _TEXTS, _TUPLE = "$msg", "$texts", "$tuple"


def to_json(value: Any) -> Any:
    """``value`` as JSON-compatible data that :func:`from_json` turns back into
    something worded exactly alike (in every language of :data:`LANGS`).

    ``value`` may be a :class:`Message` (kept as code, parameters and count), anything
    worded per language (a :class:`Message` subclass with its own ``text``, a workflow
    Label, :class:`Joined`, :class:`Number` or any object with ``get(lang)``: kept as
    its text in each language, read back as :class:`Texts`), ``None``, a bool, number
    or string, or a list, tuple or mapping (string keys) of these.

    Raises:
        TypeError: ``value`` holds something else (it could not be worded later), or a
            mapping key starting with ``$`` (reserved for the tags above).
    """
    how = _HOW.get(type(value)) or _how(type(value))
    if how == "plain":
        return value
    if how == "list":
        return [to_json(item) for item in value]
    if how == "mapping":
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str) or key.startswith("$"):
                raise TypeError(f"cannot keep the mapping key {key!r} as JSON")
            out[key] = to_json(item)
        return out
    if how == "message":
        data: dict[str, Any] = {_MESSAGE: value.code, "params": to_json(dict(value.params))}
        if value.count is not None:
            data["count"] = value.count
        return data
    if how == "worded":  # a Message subclass with its own wording
        return {_TEXTS: {lang: value.text(lang) for lang in LANGS}}
    if how == "texts":
        return {_TEXTS: {lang: str(value.get(lang)) for lang in LANGS}}
    if how == "tuple":
        return {_TUPLE: [to_json(item) for item in value]}
    raise TypeError(f"cannot keep {type(value).__name__} as JSON: {value!r}")


# How to_json keeps a value of each type, decided once per type: stores call to_json
# on every append (a Label: 0.7 µs instead of 1.3 with a chain of isinstance checks).
_HOW: dict[type, str] = {}


def _how(kind: type) -> str:
    if kind is type(None) or issubclass(kind, str | bool | int | float):
        how = "plain"
    elif kind is Message:
        how = "message"
    elif issubclass(kind, Message):
        how = "worded"
    elif issubclass(kind, Mapping):
        how = "mapping"
    elif issubclass(kind, list):
        how = "list"
    elif issubclass(kind, tuple):
        how = "tuple"
    elif callable(getattr(kind, "get", None)):
        how = "texts"
    else:
        how = "unknown"
    _HOW[kind] = how
    return how


def from_json(data: Any) -> Any:
    """What :func:`to_json` made ``data`` from: :class:`Message` objects, :class:`Texts`
    (for whatever was worded per language), tuples, lists, mappings and plain values.

    Raises:
        ValueError: ``data`` is not what :func:`to_json` makes.
    """
    if data is None or isinstance(data, str | bool | int | float):
        return data
    if isinstance(data, list):
        return [from_json(item) for item in data]
    if not isinstance(data, dict):
        raise ValueError(f"not JSON data: {data!r}")
    if _MESSAGE in data:
        code, params, count = data[_MESSAGE], data.get("params"), data.get("count")
        if (
            not isinstance(code, str)
            or not isinstance(params, dict)
            or not (count is None or (isinstance(count, int) and not isinstance(count, bool)))
        ):
            raise ValueError(f"not a message: {data!r}")
        return Message(code, from_json(params), count)
    if _TEXTS in data:
        texts = data[_TEXTS]
        if not isinstance(texts, dict) or not all(isinstance(t, str) for t in texts.values()):
            raise ValueError(f"not texts per language: {data!r}")
        return Texts(texts)
    if _TUPLE in data:
        items = data[_TUPLE]
        if not isinstance(items, list):
            raise ValueError(f"not a tuple: {data!r}")
        return tuple(from_json(item) for item in items)
    if any(key.startswith("$") for key in data):
        raise ValueError(f"unknown tag in {data!r}")
    return {key: from_json(item) for key, item in data.items()}


def has_text(code: str, lang: Lang = "de") -> bool:
    """True if the catalog of ``lang`` (or its English fallback) words ``code``; a code
    it lacks would be shown as the code itself (e.g. one kept by an older version).

    Raises:
        ValueError: ``lang`` has no catalog.
    """
    return _translations(lang).gettext(code) != code


def messages_in(value: Any) -> Iterable[Message]:
    """Every :class:`Message` in ``value`` (what :func:`from_json` returns), nested ones
    and those in parameters included."""
    if isinstance(value, Message):
        yield value
        value = value.params
    if isinstance(value, Mapping):
        value = value.values()
    elif not isinstance(value, list | tuple):
        return
    for item in value:
        yield from messages_in(item)


def word(value: Any, lang: Lang = "de") -> Any:
    """``value`` as a message parameter is shown in ``lang``: a :class:`Message` or
    anything with ``get(lang)`` as its text, anything else unchanged."""
    return _render(value, lang)
