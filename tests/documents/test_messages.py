"""Document texts and document errors are worded from the message catalogs."""

from __future__ import annotations

import pytest

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.documents import DocumentRenderer
from sozialraumprozess.documents.strings import (
    CHOICES,
    OUTCOMES,
    TEXTS,
    choice_label,
    outcome_label,
    texts,
)
from sozialraumprozess.errors import DocumentError, TemplateRenderError
from sozialraumprozess.runtime.process import Process


def test_template_texts_are_catalog_messages_in_both_languages() -> None:
    """``t`` in templates: every key worded from a ``doc.`` message, German and English."""
    assert all(m.code.startswith("doc.") for m in (*TEXTS.values(), *CHOICES.values()))
    assert all(m.code.startswith("doc.outcome-") for m in OUTCOMES.values())
    german, english = texts("de"), texts("en")
    assert set(german) == set(english) == set(TEXTS)
    assert (german["agenda"], english["agenda"]) == ("Tagesordnung", "Agenda")
    assert (german["salutation"], english["salutation"]) == (
        "Sehr geehrte Damen und Herren,",
        "Dear Sir or Madam,",
    )
    assert (choice_label("nicht_erreicht", "de"), choice_label("nicht_erreicht", "en")) == (
        "nicht erreicht",
        "not achieved",
    )
    assert choice_label("eigene_auswahl", "en") == "eigene auswahl"  # unknown: words
    assert outcome_label("passed", 7, 0, "en") == "carried unanimously"
    assert outcome_label("passed", 7, 2, "de") == "mehrheitlich angenommen"
    assert outcome_label("passed", None, None, "de") == "im Konsens angenommen"
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        texts("fr")


def test_document_errors_have_their_code_and_both_languages(
    workflow: Workflow, sample: Process
) -> None:
    renderer = DocumentRenderer(workflow)
    with pytest.raises(DocumentError) as info:
        renderer.render_process(sample, fmt="rtf")
    assert info.value.code == "bad-format"
    assert info.value.message("de") == (
        "Unbekanntes Format 'rtf' (möglich: md, html, docx, odt, pdf)"
    )
    assert info.value.message_en == "unknown format 'rtf' (possible: md, html, docx, odt, pdf)"
    with pytest.raises(DocumentError) as info:
        renderer.render_process(sample, lang="fr")
    assert info.value.message_de == "Unbekannte Sprache 'fr' (möglich: de, en)"
    with pytest.raises(DocumentError) as info:
        renderer.render_artifact(sample, "zielkatalog", 7)
    assert (info.value.code, str(info.value)) == (
        "no-version",
        "Von 'Zielkatalog' gibt es keine Version 7",
    )
    with pytest.raises(DocumentError) as info:
        renderer.render_event(sample, 99)
    assert info.value.code == "no-event"
    assert info.value.message("en").startswith("no held event number 99 (there are ")
    with pytest.raises(ValueError, match="'fr'"):
        info.value.message("fr")


def test_template_errors_word_their_kind() -> None:
    """Each template error kind has its own text; the detail stays as Jinja wrote it."""
    cases = {
        ("syntax", None): ("Syntaxfehler in der Vorlage", "syntax error in the template"),
        ("undefined", "x"): ("Unbekannte Variable 'x'", "undefined variable 'x'"),
        ("undefined", None): ("Unbekannte Variable", "undefined variable"),
        ("security", "mro"): (
            "Nicht erlaubter Zugriff 'mro' in der Vorlage",
            "access 'mro' not allowed in templates",
        ),
        ("security", None): (
            "Nicht erlaubter Zugriff in der Vorlage",
            "access not allowed in templates",
        ),
        ("too-large", None): ("Das Dokument ist zu groß", "the document is too large"),
        ("template-too-large", None): ("Die Vorlage ist zu groß", "the template is too large"),
        ("error", None): (
            "Fehler beim Ausfüllen der Vorlage",
            "error while rendering the template",
        ),
        ("other", None): (
            "Fehler beim Ausfüllen der Vorlage",
            "error while rendering the template",
        ),
    }
    for (code, variable), (de, en) in cases.items():
        error = TemplateRenderError(code, "t.md.j2", 3, "detail", variable)
        assert error.code == code
        assert error.message("de") == f"t.md.j2:3: {de} (detail)"
        assert error.message("en") == f"t.md.j2:3: {en} (detail)"
    assert TemplateRenderError("syntax", "t.md.j2", None, "d").message("en").startswith("t.md.j2: ")
