"""German (and English) formatting of dates, money, percentages and numbers, with Babel.

The functions take a value and a language (``de`` default, ``en``) and return
text; ``None`` (an empty optional field) becomes an en dash ``–``. They are the
Jinja filters of every document (see :data:`FILTERS`):

=================  =============  ======================================  =========================
German name        English alias  ``de``                                  ``en``
=================  =============  ======================================  =========================
``datum``          ``date``       ``08.11.2017``                          ``08/11/2017``
``datum_lang``     ``date_long``  ``8. November 2017``                    ``8 November 2017``
``zeitpunkt``      ``timestamp``  ``13.01.2025, 08:00 UTC``               ``13/01/2025, 08:00 UTC``
``geld``           ``money``      ``15.400 €``, ``15.400,50 €``           ``€15,400.50``
``prozent``        ``percent``    ``10 %``, ``27,4 %``                    ``10%``, ``27.4%``
``prozentpunkte``  ``points``     ``+4,3 Prozentpunkte``                  ``+4.3 percentage points``
``zahl``           ``number``     ``6.180``, ``2,4``                      ``6,180``, ``2.4``
``vorzeichen``     ``signed``     ``+1.200``                              ``+1,200``
``jahr``           ``year``       ``2007``                                ``2007``
``ja_nein``        ``yes_no``     ``ja`` / ``nein``                       ``yes`` / ``no``
``wahl``           ``choice``     ``Handlungsziel``                       ``Operational goal``
``zelle``          ``cell``       one line, for a Markdown table cell
``feld(f)``        ``field(f)``   by the field's type (``f``: the field)
=================  =============  ======================================  =========================

Money and numbers use a plain space before ``€`` and ``%`` so that the text is
the same in every viewer; numbers are rounded to at most three decimals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from babel.dates import format_date
from jinja2 import pass_context
from jinja2.runtime import Context

from sozialraumprozess.definition.fields import field_type
from sozialraumprozess.definition.fields._format import (
    EMPTY,
    as_date,
    format_date_short,
    format_money,
    format_number,
    locale,
    yes_no,
)
from sozialraumprozess.definition.model import FieldSpec
from sozialraumprozess.documents.strings import choice_label
from sozialraumprozess.i18n import Lang, msg

__all__ = [
    "EMPTY",
    "FILTERS",
    "as_date",
    "cell",
    "format_date_long",
    "format_date_short",
    "format_field",
    "format_money",
    "format_number",
    "format_percent",
    "format_points",
    "format_signed",
    "format_timestamp",
    "format_year",
    "yes_no",
]

_LOCALES = {"de": "de_DE", "en": "en_GB"}
_DATE_LONG = {"de": "d. MMMM yyyy", "en": "d MMMM yyyy"}


def format_date_long(value: Any, lang: Lang = "de") -> str:
    """``8. November 2017`` (``de``) / ``8 November 2017`` (``en``); ``–`` for ``None``."""
    day = as_date(value)
    if day is None:
        return EMPTY
    return format_date(day, _DATE_LONG.get(lang, _DATE_LONG["de"]), locale=locale(lang))


def format_timestamp(value: Any, lang: Lang = "de") -> str:
    """``13.01.2025, 08:00 UTC``: a datetime in UTC, short date and time."""
    if value is None:
        return EMPTY
    if not isinstance(value, datetime):
        value = datetime.fromisoformat(str(value))
    moment = value.astimezone(UTC) if value.tzinfo is not None else value
    return f"{format_date_short(moment, lang)}, {moment:%H:%M} UTC"


def format_percent(value: Any, lang: Lang = "de") -> str:
    """A value in percent points: ``10`` → ``10 %`` (``en``: ``10%``)."""
    if value is None:
        return EMPTY
    text = format_number(value, lang, digits=1)
    return f"{text}%" if lang == "en" else f"{text} %"


def format_year(value: Any, lang: Lang = "de") -> str:
    """A year (or any whole number meant as a label) without grouping: ``2007``, never ``2.007``."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def format_points(value: Any, lang: Lang = "de", signed: bool = True) -> str:
    """A difference of percentages in percentage points: ``+4,3 Prozentpunkte``
    (``en``: ``+4.3 percentage points``)."""
    if value is None:
        return EMPTY
    text = format_number(value, lang, digits=1)
    if signed and float(value) > 0:
        text = "+" + text
    unit = msg("doc.percentage-points").text(lang)
    return f"{text} {unit}"


def format_signed(value: Any, lang: Lang = "de") -> str:
    """A number with its sign: ``+1.200``, ``-3,5``, ``0``."""
    if value is None:
        return EMPTY
    text = format_number(value, lang)
    return "+" + text if float(value) > 0 else text


def cell(value: Any) -> str:
    """Text fit for one Markdown table cell: whitespace (newlines) collapsed; ``–`` if empty."""
    if value is None or value == "":
        return EMPTY
    return " ".join(str(value).split())


def _lang(context: Context) -> str:
    lang = context.get("lang", "de")
    return lang if lang in _LOCALES else "de"


def _filter(func: Callable[..., str]) -> Callable[..., str]:
    @pass_context
    def apply(context: Context, value: Any, *args: Any) -> str:
        return func(value, _lang(context), *args)

    apply.__name__ = func.__name__
    apply.__doc__ = func.__doc__
    return apply


def _choice(value: Any, lang: Lang, field: Any = None) -> str:
    """A choice's display text: the field's own label (``wahl(f)``), else the display name."""
    if value is None or value == "":
        return EMPTY
    labels = _labels(field)
    if labels is not None and str(value) in labels:
        return str(labels[str(value)])
    return choice_label(str(value), lang)


def _labels(field: Any) -> Mapping[str, Any] | None:
    """The labels of a labelled choice field (a document view's ``labels``), if any."""
    if isinstance(field, Mapping):
        labels = field.get("labels")
        return labels if labels else None
    return None


def format_field(
    value: Any,
    field: Any,
    lang: Lang = "de",
    title_of: Callable[[str, str], str | None] | None = None,
) -> str:
    """``value`` formatted by its field's type (:meth:`FieldType.display
    <sozialraumprozess.definition.fields.FieldType.display>`); choices by display name.

    Args:
        value: The field's value.
        field: The field: a ``FieldSpec`` or a document view of one (with ``type``).
        lang: ``de`` or ``en``.
        title_of: What an id the value refers to is called in the run
            (``title_of(kind, id)``; documents have it as ``title_of``).
    """
    kind = field["type"] if isinstance(field, Mapping) else field.type
    spec = field if isinstance(field, FieldSpec) else None
    value = _thawed(value)
    if kind == "choice" and value is not None and value != "":
        label = spec.choice_label(str(value)) if spec is not None else None
        if label is not None:
            return label.get(lang)
        return _choice(value, lang, field)
    return field_type(kind).display(value, lang, spec, title_of)


def _thawed(value: Any) -> Any:
    """JSON-like data as field types read it: a document view's read-only copies
    (mappings, tuples) as dicts and lists again."""
    if isinstance(value, Mapping):
        return {key: _thawed(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_thawed(item) for item in value]
    return value


def _is_structured(field: Any) -> bool:
    inner = field["items"] if field["items"] is not None else None
    return bool(field["type"] == "object" or (inner is not None and inner["type"] == "object"))


def _is_scalar_list(field: Any) -> bool:
    return bool(field["type"] == "list" and not _is_structured(field))


def structured_fields(fields: Any) -> list[Any]:
    """The fields (document views) that get a section of their own: objects, lists of objects."""
    return [f for f in fields if _is_structured(f)]


def list_fields(fields: Any, obj: Any) -> list[Any]:
    """The lists of plain values that ``obj`` fills: shown as lists, never in one cell."""
    return [f for f in fields if _is_scalar_list(f) and obj.get(f["name"])]


def table_fields(fields: Any, obj: Any) -> list[Any]:
    """The fields of ``obj`` that fit one table row each (not structured, no filled list)."""
    shown = {f["name"] for f in list_fields(fields, obj)}
    return [f for f in fields if not _is_structured(f) and f["name"] not in shown]


def without(fields: Any, placed: Any, obj: Any = None) -> list[Any]:
    """What a template did not place itself: the fields ``placed`` does not name.

    ``placed`` names fields (``"tagesordnung"``) or the sub-fields a template shows
    of a list of objects (``"tagesordnung.titel"``: the list is placed with those).
    With ``obj``, such a list comes back too if its entries fill sub-fields the
    template does not show: as a list of the first sub-field ``placed`` names (what
    names each entry) and those sub-fields, so nothing an author adds is lost.
    """
    names = set(placed)
    shown: dict[str, list[str]] = {}
    for name in placed:
        head, dot, sub = str(name).partition(".")
        if dot:
            shown.setdefault(head, []).append(sub)
    rest = []
    for f in fields:
        name = f["name"]
        if name not in names and name not in shown:
            rest.append(f)
        elif name in shown and name not in names and obj is not None:
            partial = _unshown(f, shown[name], obj.get(name))
            if partial is not None:
                rest.append(partial)
    return rest


def _unshown(field: Any, shown: list[str], entries: Any) -> Any:
    """``field`` (a list of objects) reduced to its naming sub-field and the sub-fields
    not in ``shown`` that some entry fills; ``None`` if there are none."""
    items = field["items"]
    if items is None or items["type"] != "object" or not isinstance(entries, list | tuple):
        return None
    rows = [e for e in entries if isinstance(e, Mapping)]
    extra = [
        sub
        for sub in items["fields"]
        if sub["name"] not in shown
        and any(row.get(sub["name"]) not in (None, "", (), []) for row in rows)
    ]
    if not extra:
        return None
    key = items["by_name"].get(shown[0])
    kept = ((key,) if key is not None else ()) + tuple(extra)
    inner = MappingProxyType(
        {**items, "fields": kept, "by_name": MappingProxyType({f["name"]: f for f in kept})}
    )
    return MappingProxyType({**field, "items": inner})


def filled(fields: Any, obj: Any) -> list[Any]:
    """The fields that ``obj`` fills (not ``None``, not empty)."""
    return [f for f in fields if obj.get(f["name"]) not in (None, "", (), [])]


_DATUM = _filter(format_date_short)
_DATUM_LANG = _filter(format_date_long)
_ZEITPUNKT = _filter(format_timestamp)
_GELD = _filter(format_money)
_PROZENT = _filter(format_percent)
_ZAHL = _filter(format_number)
_JA_NEIN = _filter(yes_no)
_JAHR = _filter(format_year)
_PUNKTE = _filter(format_points)
_VORZEICHEN = _filter(format_signed)
_WAHL = _filter(_choice)


@pass_context
def _feld(context: Context, value: Any, field: Any) -> str:
    """``value`` by its field's type, references by what the run calls them."""
    lang: Lang = "en" if _lang(context) == "en" else "de"
    return format_field(value, field, lang, context.get("title_of"))


_FELD = _feld

#: The filters every document environment has, German names and English aliases.
FILTERS: dict[str, Callable[..., Any]] = {
    "datum": _DATUM,
    "date": _DATUM,
    "datum_lang": _DATUM_LANG,
    "date_long": _DATUM_LANG,
    "zeitpunkt": _ZEITPUNKT,
    "timestamp": _ZEITPUNKT,
    "geld": _GELD,
    "money": _GELD,
    "prozent": _PROZENT,
    "percent": _PROZENT,
    "zahl": _ZAHL,
    "number": _ZAHL,
    "jahr": _JAHR,
    "year": _JAHR,
    "prozentpunkte": _PUNKTE,
    "points": _PUNKTE,
    "vorzeichen": _VORZEICHEN,
    "signed": _VORZEICHEN,
    "ja_nein": _JA_NEIN,
    "yes_no": _JA_NEIN,
    "wahl": _WAHL,
    "choice": _WAHL,
    "zelle": cell,
    "cell": cell,
    "feld": _FELD,
    "field": _FELD,
    # field lists (document views of fields), for templates that show every field
    "strukturiert": structured_fields,
    "structured": structured_fields,
    "listenfelder": list_fields,
    "list_fields": list_fields,
    "tabellenfelder": table_fields,
    "table_fields": table_fields,
    "ohne": without,
    "without": without,
    "gefuellt": filled,
    "filled": filled,
}
