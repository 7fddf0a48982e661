"""Maintain the message catalogs with Babel: ``python -m sozialraumprozess.i18n COMMAND``.

Commands:

``extract``
    Find every ``msg("…")`` and ``plural("…", n)`` in the package and write the
    template ``catalogs/sozialraumprozess.pot``.
``update``
    ``extract``, then add new codes to every ``catalogs/<lang>/LC_MESSAGES/*.po``
    (with empty texts to fill in) and mark codes no longer used as obsolete.
``compile``
    Write the ``.mo`` file beside each ``.po`` (shipped in the wheel).
``check``
    Fail (exit 1, one line per problem) if a code used in the code is missing from
    a catalog or has an empty text, a catalog holds a code nothing uses, the
    placeholders of a text differ from the German one, or a ``.mo`` is not the
    compiled form of its ``.po``. CI runs it.
``init LANG``
    Start the catalog of a new language from the template (then fill it in and
    ``compile``).
``scan [PATH …]``
    List string literals that look like German text for people outside the
    catalogs (a heuristic; docstrings are skipped). Without paths: the parts of
    the package listed in :data:`SCANNED`.
``set FILE``
    Add or change texts from a YAML file ``{code: {de: …, en: …}}`` (a plural
    message gives a list of forms per language: ``{de: [eins, mehrere]}``), then
    ``compile``. The quickest way to add the messages of a change.

The catalogs worked on are the package's, or those in the folder named by
``SOZIALRAUM_CATALOGS`` (see :func:`sozialraumprozess.i18n.catalog_dir`).
"""

from __future__ import annotations

import ast
import io
import re
import string
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from sozialraumprozess.i18n import DOMAIN, catalog_dir

PACKAGE = Path(__file__).resolve().parent.parent
_ME = "sozialraumprozess.i18n"
_FIXED = datetime(2026, 11, 29, tzinfo=UTC)  # a fixed header date: no churn in the files
_FIELD = re.compile(r"[a-z_][a-z_0-9]*")


def _po_files() -> list[Path]:
    return sorted(catalog_dir().glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def _template_path() -> Path:
    return catalog_dir() / f"{DOMAIN}.pot"


def extracted() -> dict[str, tuple[bool, list[tuple[str, int]]]]:
    """Every code used in the package: ``code -> (is_plural, [(file, line), …])``."""
    found: dict[str, tuple[bool, list[tuple[str, int]]]] = {}
    for keyword, is_plural in (("msg", False), ("plural", True)):
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(PACKAGE),
            method_map=[("**.py", "python")],
            keywords={keyword: None},
            comment_tags=(),
            strip_comment_tags=True,
        ):
            if not isinstance(message, str):
                continue
            old = found.get(message)
            places = old[1] if old else []
            places.append((filename, lineno))
            found[message] = (is_plural or bool(old and old[0]), places)
    return found


def _template() -> Catalog:
    catalog = Catalog(project="sozialraumprozess", domain=DOMAIN, fuzzy=False, creation_date=_FIXED)
    for code, (is_plural, places) in sorted(extracted().items()):
        catalog.add((code, code) if is_plural else code, locations=places)
    return catalog


def _write(catalog: Catalog, path: Path) -> None:
    buffer = io.BytesIO()
    # No locations: line numbers would change with every edit and make merges conflict.
    write_po(buffer, catalog, width=100, no_location=True, sort_output=True, ignore_obsolete=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def _read(path: Path) -> Catalog:
    with path.open("rb") as stream:
        return read_po(stream, locale=path.parent.parent.name, domain=DOMAIN)


def extract() -> None:
    """Write the template catalog."""
    _write(_template(), _template_path())


def update() -> None:
    """Extract, then merge the template into every language's catalog."""
    extract()
    template = _template()
    for path in _po_files():
        catalog = _read(path)
        catalog.update(template, no_fuzzy_matching=True)
        _write(catalog, path)


def _mo_bytes(path: Path) -> bytes:
    """The compiled form of one ``.po``; untranslated texts are left out (shown in English)."""
    catalog = _read(path)
    for message in list(catalog):
        if message.id and isinstance(message.string, tuple) and not all(message.string):
            catalog.delete(message.id)  # a plural without all its forms yet
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_all() -> None:
    """Compile every ``.po`` into its ``.mo``."""
    for path in _po_files():
        path.with_suffix(".mo").write_bytes(_mo_bytes(path))


def init(lang: str) -> None:
    """Start ``catalogs/LANG/LC_MESSAGES/sozialraumprozess.po`` from the template."""
    target = catalog_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if target.exists():
        raise SystemExit(f"{target} exists already")
    catalog = Catalog(
        locale=lang,
        domain=DOMAIN,
        project="sozialraumprozess",
        fuzzy=False,
        creation_date=_FIXED,
        revision_date=_FIXED,
    )
    catalog.update(_template(), no_fuzzy_matching=True)
    _write(catalog, target)


def set_texts(source: Path) -> None:
    """Add or replace texts from a YAML file ``{code: {lang: text | [forms]}}``; compile."""
    import yaml

    entries = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    for path in _po_files():
        lang = path.parent.parent.name
        catalog = _read(path)
        for code, texts in entries.items():
            text = texts.get(lang)
            if text is None:
                continue
            if isinstance(text, list):
                catalog.delete(code)
                catalog.add((code, code), string=tuple(text))
            else:
                catalog.delete(code)
                catalog.add(code, string=text)
        _write(catalog, path)
    compile_all()


def _fields(text: str) -> set[str]:
    """The placeholder names of ``text``; a format spec, a conversion or a lone brace is
    returned as it is written, so that the plain-name check reports it (``{de: …}`` is
    written ``{{de: …}}``)."""
    names = set()
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:  # a single '{' or '}'
        return {text}
    for _literal, name, spec, conversion in parsed:
        if name is not None:
            names.add(
                name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            )
    return names


def problems() -> Iterable[str]:
    """Every problem :func:`check` reports."""
    used = extracted()
    files = _po_files()
    if not files:
        yield f"no catalogs under {catalog_dir()}"
    reference: dict[str, set[str]] = {}
    for path in files:
        catalog = _read(path)
        lang = path.parent.parent.name
        ids = set()
        for message in catalog:
            if not message.id:
                continue
            code = message.id[0] if isinstance(message.id, tuple) else message.id
            ids.add(code)
            raw = message.string
            texts: tuple[str, ...] = tuple(raw) if isinstance(raw, (tuple, list)) else (raw or "",)
            if code not in used:
                yield f"{path}: '{code}' is in the catalog but no code uses it"
                continue
            is_plural = used[code][0]
            if is_plural != isinstance(message.id, tuple):
                kind = "a plural" if is_plural else "a singular"
                yield f"{path}: '{code}' is used as {kind} message; make the catalog entry match"
            if isinstance(raw, (tuple, list)) and any(texts) and not all(texts):
                missing = [i for i, text in enumerate(texts) if not text]
                yield (
                    f"{path}: '{code}' lacks plural form(s) {missing}: the language has "
                    f"{catalog.num_plurals} (see Plural-Forms in the catalog's header)"
                )
                continue
            if not all(texts):
                yield f"{path}: '{code}' has no text"
                continue
            for text in texts:
                names = _fields(text)
                bad = [n for n in names if not _FIELD.fullmatch(n)]
                if bad:
                    yield f"{path}: '{code}': placeholders must be plain names, not {bad}"
                if lang == "de":
                    reference.setdefault(code, set()).update(names)
                elif code in reference and names - reference[code] - {"count"}:
                    extra = sorted(names - reference[code])
                    yield f"{path}: '{code}' uses placeholders the German text lacks: {extra}"
        for code, (_plural, places) in sorted(used.items()):
            if code not in ids:
                where = ", ".join(f"{f}:{n}" for f, n in places[:3])
                yield f"{path}: '{code}' (used at {where}) is missing"
        mo = path.with_suffix(".mo")
        if not mo.is_file() or _mo_bytes(path) != mo.read_bytes():
            yield f"{mo}: not compiled from the current .po (run: python -m {_ME} compile)"


#: Parts of the package (relative to it) whose texts for people all live in the
#: catalogs: :func:`scan` (and CI, ``tests/test_catalogs.py``) fails on a German
#: literal there. Widen it as more parts are converted.
SCANNED: tuple[str, ...] = (
    "app",
    "cli",
    "definition",
    "documents",
    "errors",
    "i18n/__init__.py",  # not __main__.py: this tool, whose patterns are German on purpose
    "runtime",
    "scenario",
    "storage",
    "testing.py",
)

#: Files under :data:`SCANNED` still being converted (remove each line once it is).
NOT_YET: frozenset[str] = frozenset()

#: Generated files: their strings are the schema's descriptions (see ``model.py``'s ``_doc``).
GENERATED: frozenset[str] = frozenset({"definition/_validator.py"})

#: Calls whose string arguments are not messages: ``_doc("…")`` documents a model
#: attribute for the schema and the API reference (like a docstring);
#: ``re.compile("…")`` is a pattern.
DOC_CALLS = frozenset({"_doc", "compile"})

#: Literals that look German but are no message: ``(file under the package, text)`` → why.
ALLOWED: dict[tuple[str, str], str] = {
    **{
        (file, letter): "umlauts spelt out to suggest a valid id"
        for file in ("definition/schema_check.py", "cli/common.py")
        for letter in ("ä", "ö", "ü", "ß", "Ä", "Ö", "Ü")
    }
}

#: German-looking text: umlauts or ß, or a common German word.
GERMAN = re.compile(
    r"[äöüÄÖÜß]|\b(?:der|die|das|dem|den|des|nicht|ist|sind|und|oder|für|mit|kein|keine"
    r"|eine?|einen|Unbekannt\w*|Datei|Schlüssel|erwartet|gefunden|Fehler|Vorlage|Schritt"
    r"|Zeile|Zuordnung|Liste|Kennung|Pflichtangabe|gibt|von|bis|auf|Wert|Werte|zu)\b"
)


def _called(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _skipped(tree: ast.AST) -> set[int]:
    """``id`` of every docstring node and string argument of a :data:`DOC_CALLS` call."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skipped.add(id(body[0].value))
        elif isinstance(node, ast.Call) and _called(node) in DOC_CALLS:
            skipped.update(id(arg) for arg in ast.walk(node))
        elif isinstance(node, ast.Call) and _called(node) in ("msg", "plural") and node.args:
            skipped.add(id(node.args[0]))  # the code, not a text
    return skipped


def german_literals(paths: Iterable[Path]) -> Iterable[str]:
    """``FILE:LINE: 'text'`` for each German-looking string literal in ``paths`` (files or
    folders of ``.py`` files), docstrings and :data:`DOC_CALLS` arguments left out."""
    for path in paths:
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            tree = ast.parse(file.read_text(encoding="utf-8"), str(file))
            skipped = _skipped(tree)
            relative = (
                file.resolve().relative_to(PACKAGE).as_posix()
                if file.is_relative_to(PACKAGE)
                else file.as_posix()
            )
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and id(node) not in skipped
                    and (relative, node.value) not in ALLOWED
                    and GERMAN.search(node.value)
                ):
                    yield f"{file}:{node.lineno}: {node.value[:60]!r}"


def scanned_files() -> list[Path]:
    """The files :func:`scan` looks at: :data:`SCANNED` minus :data:`NOT_YET`."""
    files: list[Path] = []
    for part in SCANNED:
        path = PACKAGE / part
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            relative = file.relative_to(PACKAGE).as_posix()
            if relative not in NOT_YET and relative not in GENERATED:
                files.append(file)
    return files


def scan(paths: Iterable[Path] = ()) -> int:
    """Print every German-looking literal (default: in :func:`scanned_files`); 0 if none."""
    found = list(german_literals(list(paths) or scanned_files()))
    for line in found:
        print(line)
    return 1 if found else 0


def check() -> int:
    """Print every problem; 0 when there are none."""
    found = list(problems())
    for line in found:
        print(line)
    if not found:
        print(f"catalogs complete: {len(extracted())} messages, {len(_po_files())} languages")
    return 1 if found else 0


def main(argv: list[str]) -> int:
    """The command line."""
    commands = {"extract", "update", "compile", "check", "init", "set", "scan"}
    if not argv or argv[0] not in commands:
        print(__doc__)
        return 2
    command = argv[0]
    if command == "check":
        return check()
    if command == "scan":
        return scan(Path(p) for p in argv[1:])
    if command == "init":
        if len(argv) != 2:
            print("usage: python -m sozialraumprozess.i18n init LANG")
            return 2
        init(argv[1])
    elif command == "set":
        if len(argv) != 2:
            print("usage: python -m sozialraumprozess.i18n set FILE.yaml")
            return 2
        set_texts(Path(argv[1]))
    elif command == "extract":
        extract()
    elif command == "update":
        update()
    else:
        compile_all()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
