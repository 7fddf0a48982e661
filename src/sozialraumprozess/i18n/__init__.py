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
* parameters are named and appear as ``{name}`` in the catalog text;
* a parameter may itself be a :class:`Message` or anything with ``get(lang)``
  (a workflow :class:`~sozialraumprozess.Label`): it is shown in the same language.

A third language is one more catalog: see ``docs/how-to/add-a-language.md``.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, Protocol, cast, get_args

from attrs import field, frozen

__all__ = [
    "LANGS",
    "Lang",
    "Message",
    "available_languages",
    "check_lang",
    "msg",
    "plural",
    "translate",
]

#: The languages the library's catalogs are complete in.
Lang = Literal["de", "en"]

#: :data:`Lang` as a tuple, German first (the default language).
LANGS: tuple[Lang, ...] = get_args(Lang)

DOMAIN = "sozialraumprozess"
CATALOGS = Path(__file__).resolve().parent / "catalogs"

_TRANSLATIONS: dict[str, gettext.GNUTranslations] = {}


class _Localized(Protocol):
    def get(self, lang: str = "de") -> str: ...


def available_languages() -> tuple[str, ...]:
    """Every language with a compiled catalog (``de``, ``en`` and any added one)."""
    found = sorted(
        p.parent.parent.name for p in CATALOGS.glob(f"*/LC_MESSAGES/{DOMAIN}.mo") if p.is_file()
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


def _translations(lang: str) -> gettext.GNUTranslations:
    found = _TRANSLATIONS.get(lang)
    if found is None:
        check_lang(lang)
        path = CATALOGS / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        with path.open("rb") as stream:
            found = _TRANSLATIONS[lang] = gettext.GNUTranslations(stream)
    return found


def _render(value: Any, lang: str) -> Any:
    if isinstance(value, Message):
        return value.text(lang)
    if hasattr(value, "get") and not isinstance(value, Mapping):
        return value.get(lang)
    return value


def translate(code: str, lang: str = "de", count: int | None = None, **params: Any) -> str:
    """The text of message ``code`` in ``lang`` with ``params`` filled in.

    Raises:
        ValueError: ``lang`` has no catalog.
    """
    catalog = _translations(lang)
    text = catalog.gettext(code) if count is None else catalog.ngettext(code, code, count)
    if count is not None:
        params.setdefault("count", count)
    if not params:
        return text
    return text.format_map({k: _render(v, lang) for k, v in params.items()})


@frozen
class Message:
    """A text for people: a stable code and its parameters; worded when shown.

    Attributes:
        code: The catalog key, e.g. ``runtime.no-version``.
        params: Named values for the text's ``{placeholders}``.
        count: For plural messages: the number that picks the form.
    """

    code: str
    params: Mapping[str, Any] = field(factory=dict, hash=False)
    count: int | None = None

    def text(self, lang: str = "de") -> str:
        """The message worded in ``lang``.

        Raises:
            ValueError: ``lang`` has no catalog.
        """
        return translate(self.code, lang, self.count, **self.params)

    def to_dict(self, lang: str = "de") -> dict[str, Any]:
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
