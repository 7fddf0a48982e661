"""User templates: injection payloads refused, errors name file/line/variable, size cap."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.documents import DocumentRenderer
from sozialraumprozess.documents.sandbox import template_search_path
from sozialraumprozess.errors import DocumentError, TemplateRenderError
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.process import Process

from .conftest import GENERATED


def _user(tmp_path: Path, workflow: Workflow, text: str) -> DocumentRenderer:
    """A renderer whose user folder overrides the process report template."""
    (tmp_path / "prozessbericht.md.j2").write_text(text, encoding="utf-8")
    return DocumentRenderer(workflow, template_dirs=[tmp_path], clock=FixedClock(GENERATED))


CANARY = "canary-file"

PAYLOADS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.system('touch canary-file') }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'].system('touch canary-file') }}",
    "{{ '{0.__class__}'.format(sozialraum) }}",
    "{{ '{0.name}'.format(sozialraum) }}",
    "{{ sozialraum|attr('__class__') }}",
    "{{ sozialraum|attr('name') }}",
    "{{ request.application.__globals__.__builtins__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ sozialraum['_private'] }}",
    "{% for x in range(10) %}{{ x }}{% endfor %}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_injection_payloads_are_refused(
    payload: str,
    tmp_path: Path,
    workflow: Workflow,
    sample: Process,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each payload raises our error (code security), and no code runs."""
    monkeypatch.chdir(tmp_path)
    renderer = _user(tmp_path, workflow, f"# Bericht\n\n{payload}\n")
    with pytest.raises(TemplateRenderError) as info:
        renderer.render_process(sample)
    error = info.value
    assert error.code == "security"
    assert error.template == "prozessbericht.md.j2"
    assert error.line == 3
    assert "prozessbericht.md.j2:3" in error.message("en")
    assert "not allowed" in error.message("en")
    assert "Nicht erlaubter Zugriff" in str(error)
    assert not (tmp_path / CANARY).exists()


def test_dynamic_names_are_stopped_by_the_sandbox(
    tmp_path: Path, workflow: Workflow, sample: Process
) -> None:
    """A name built at run time passes the static check; the sandbox refuses it."""
    renderer = _user(
        tmp_path, workflow, '{% set a = "_" ~ "_class_" ~ "_" %}\n{{ sozialraum[a] }}\n'
    )
    with pytest.raises(TemplateRenderError) as info:
        renderer.render_process(sample)
    assert info.value.code == "security"
    assert info.value.line == 2


def test_config_style_names_are_undefined(
    tmp_path: Path, workflow: Workflow, sample: Process
) -> None:
    """``config`` is not in the view: an undefined variable, named in the message."""
    with pytest.raises(TemplateRenderError) as info:
        _user(tmp_path, workflow, "ok\n{{ config.items() }}\n").render_process(sample)
    assert (info.value.code, info.value.variable, info.value.line) == ("undefined", "config", 2)


def test_templates_cannot_mutate_the_view(
    tmp_path: Path, workflow: Workflow, sample: Process
) -> None:
    """The immutable sandbox refuses calls that would change data."""
    renderer = _user(tmp_path, workflow, "{{ participants[0].roles.append(1) }}\n")
    with pytest.raises(TemplateRenderError):
        renderer.render_process(sample)


def test_missing_variable_names_file_line_variable(
    tmp_path: Path, workflow: Workflow, sample: Process
) -> None:
    """A missing variable: file, line and variable in data and message (de/en)."""
    renderer = _user(tmp_path, workflow, "# {{ title }}\n\n{{ sozialraum.name }}\n{{ budget }}\n")
    with pytest.raises(TemplateRenderError) as info:
        renderer.render_process(sample)
    error = info.value
    assert (error.code, error.template, error.line, error.variable) == (
        "undefined",
        "prozessbericht.md.j2",
        4,
        "budget",
    )
    assert str(error).startswith("prozessbericht.md.j2:4: Unbekannte Variable 'budget'")
    assert error.message("en").startswith("prozessbericht.md.j2:4: undefined variable 'budget'")


def test_missing_attribute_is_named(tmp_path: Path, workflow: Workflow, sample: Process) -> None:
    """A missing key of a view mapping is reported with its name and line."""
    renderer = _user(tmp_path, workflow, "x\ny\n{{ sozialraum.flaeche }}\n")
    with pytest.raises(TemplateRenderError) as info:
        renderer.render_process(sample)
    assert (info.value.line, info.value.variable) == (3, "flaeche")


def test_syntax_error_names_file_and_line(
    tmp_path: Path, workflow: Workflow, sample: Process
) -> None:
    """A syntax error: code syntax, file and line."""
    renderer = _user(tmp_path, workflow, "# x\n{% if %}\n{% endif %}\n")
    with pytest.raises(TemplateRenderError) as info:
        renderer.render_process(sample)
    assert (info.value.code, info.value.template, info.value.line) == (
        "syntax",
        "prozessbericht.md.j2",
        2,
    )
    assert "Syntaxfehler" in str(info.value)


def test_errors_in_included_templates_name_that_file(
    tmp_path: Path, workflow: Workflow, sample: Process
) -> None:
    """An undefined variable inside an included user template names the included file."""
    (tmp_path / "teil.md.j2").write_text("a\n{{ fehlt }}\n", encoding="utf-8")
    renderer = _user(tmp_path, workflow, '# x\n{% include "teil.md.j2" %}\n')
    with pytest.raises(TemplateRenderError) as info:
        renderer.render_process(sample)
    assert (info.value.template, info.value.line, info.value.variable) == (
        "teil.md.j2",
        2,
        "fehlt",
    )


def test_output_size_cap(workflow: Workflow, sample: Process) -> None:
    """A document larger than max_chars is refused, not returned."""
    renderer = DocumentRenderer(workflow, clock=FixedClock(GENERATED), max_chars=2_000)
    with pytest.raises(TemplateRenderError) as info:
        renderer.render_process(sample)
    assert info.value.code == "too-large"
    assert "2000" in info.value.message("en")


def test_user_templates_come_first(tmp_path: Path, workflow: Workflow, sample: Process) -> None:
    """User folder, then templates/ beside the workflow file, then bundled."""
    user, beside = tmp_path / "user", tmp_path / "wf"
    (beside / "templates").mkdir(parents=True)
    user.mkdir()
    search = template_search_path([user], beside / "workflow.yaml")
    assert search[:2] == (user, (beside / "templates").resolve())
    (beside / "templates" / "prozessbericht.md.j2").write_text("beside\n", encoding="utf-8")
    renderer = DocumentRenderer(workflow, template_dirs=[user], workflow_path=beside / "w.yaml")
    assert renderer.render_process(sample).text.startswith("beside\n")
    (user / "prozessbericht.md.j2").write_text("user\n", encoding="utf-8")
    renderer = DocumentRenderer(workflow, template_dirs=[user, tmp_path / "x"])
    assert renderer.render_process(sample).text.startswith("user\n")


def test_unknown_template_and_options(workflow: Workflow, sample: Process) -> None:
    """Bad format, language or version raise DocumentError with a code."""
    renderer = DocumentRenderer(workflow)
    for kwargs, code in (({"fmt": "rtf"}, "bad-format"), ({"lang": "fr"}, "bad-language")):
        with pytest.raises(DocumentError) as info:
            renderer.render_process(sample, **kwargs)
        assert info.value.code == code
    with pytest.raises(DocumentError) as info:
        renderer.render_artifact(sample, "zielkatalog", 7)
    assert info.value.code == "no-version"
    assert "has no version 7" in info.value.message("en")


def test_determinism_and_provenance(workflow: Workflow, sample: Process) -> None:
    """Same state and clock: identical bytes; metadata names template, hash, seq, time."""
    first = DocumentRenderer(workflow, clock=FixedClock(GENERATED))
    second = DocumentRenderer(workflow, clock=FixedClock(GENERATED))
    for fmt in ("md", "html"):
        a = first.render_all(sample, formats=(fmt,))
        b = second.render_all(sample, formats=(fmt,))
        assert [d.text.encode() for d in a] == [d.text.encode() for d in b]
    doc = first.render_artifact(sample, "zielkatalog", fmt="html")
    meta = doc.meta
    source = Path(meta.template_file).read_bytes()
    assert meta.template == "zielkatalog.html.j2"
    assert meta.template_sha256 == hashlib.sha256(source).hexdigest()
    assert meta.process_seq == len(sample.log) == sample.log[-1].seq
    assert meta.generated_at == GENERATED
    assert meta.workflow_hash == workflow.content_hash
    assert (meta.kind, meta.subject, meta.version, meta.cycle) == ("artifact", "zielkatalog", 2, 1)
    assert meta.to_dict()["generated_at"] == "2026-12-01T09:30:00+00:00"
    assert f"sha256 {meta.template_sha256}" in doc.text
    assert f"Ereignis {meta.process_seq}" in doc.text
    assert doc.text.index('<footer class="provenance">') < doc.text.index("</body>")


def test_templates_are_compiled_once(workflow: Workflow, sample: Process) -> None:
    """Renderers on the same search path share one compiled template."""
    one, two = DocumentRenderer(workflow), DocumentRenderer(workflow)
    assert one.templates is two.templates
    first = one.templates.get("zielkatalog.md.j2", "md")
    two.render_artifact(sample, "zielkatalog")
    assert two.templates.get("zielkatalog.md.j2", "md") is first


def test_pages_of_your_own_get_the_same_variables_sandbox_and_cap(
    tmp_path: Path, workflow: Workflow, sample: Process
) -> None:
    """render_page: the documents' variables plus your own, sandboxed and size-capped."""
    (tmp_path / "seite.html.j2").write_text(
        "<h1>{{ sozialraum.name }}</h1><p>{{ extra }}</p>{{ generated_at|datum }}", "utf-8"
    )
    renderer = DocumentRenderer(workflow, template_dirs=[tmp_path], clock=FixedClock(GENERATED))
    context = renderer.page_context(sample)
    context["extra"] = "<b>eigener Wert</b>"
    page = renderer.render_page("seite.html.j2", context)
    assert page.startswith(f"<h1>{sample.sozialraum.name}</h1>")
    assert "&lt;b&gt;eigener Wert&lt;/b&gt;" in page  # autoescaped like every HTML document
    small = DocumentRenderer(workflow, template_dirs=[tmp_path], max_chars=10)
    with pytest.raises(TemplateRenderError) as info:
        small.render_page("seite.html.j2", small.page_context(sample))
    assert info.value.code == "too-large"
