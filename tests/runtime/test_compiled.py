"""The compiled fast paths give exactly what the reference code gives, and caches stay apart.

* :func:`compile_gaps` equals the oracle's :func:`find_gaps` on arbitrary data;
* the per-workflow plan's blockers equal the oracle's :func:`evaluate` at every step of
  the sample run (both cycles), for the phase gate and every transition;
* a check's shortcut while its artifact is absent equals running it;
* plans and phase machines are cached per definition: workflows that differ in
  anything get their own, equal definitions share one;
* cached decision results and shared role tuples keep values apart by type.
"""

from __future__ import annotations

import contextlib
from typing import Any

import attrs
import pytest
from hypothesis import given, settings, strategies as st
from tests.runtime.oracle import evaluate, find_gaps

from sozialraumprozess.definition.fields import compile_gaps
from sozialraumprozess.definition.model import Criterion, FieldSpec, Workflow
from sozialraumprozess.runtime import _machine
from sozialraumprozess.runtime._plan import check_guard, check_names, workflow_plan
from sozialraumprozess.runtime.decisions import compute_result
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.state import ProcessState
from sozialraumprozess.scenario.sample import CYCLE_TWO_STEPS, SCENARIO, start_sample

# --------------------------------------------------------------------------- gaps

_SCALARS = st.one_of(
    st.none(),
    st.sampled_from(["", "  ", "x", 0, 1, 2.5, True, False]),
    st.just([]),
    st.just({}),
)


def _value(spec: FieldSpec) -> st.SearchStrategy[Any]:
    if spec.type == "object":
        return st.one_of(_SCALARS, _data(spec.fields))
    if spec.type == "list":
        item = _value(spec.items) if spec.items is not None else _SCALARS
        return st.one_of(_SCALARS, st.lists(item, max_size=4))
    return _SCALARS


def _data(fields: tuple[FieldSpec, ...]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={f.name: _value(f) for f in fields})


def _nested_fields() -> tuple[FieldSpec, ...]:
    leaf = (
        FieldSpec("text", "name", required=True),
        FieldSpec("number", "wert"),
        FieldSpec("list", "tags", min_items=2),
    )
    return (
        FieldSpec("text", "titel", required=True),
        FieldSpec("list", "punkte", min_items=1, items=FieldSpec("object", fields=leaf)),
        FieldSpec("list", "optional", items=FieldSpec("text")),
        FieldSpec("object", "meta", fields=leaf),
        FieldSpec("list", "matrix", required=True, items=FieldSpec("list", min_items=1)),
        FieldSpec("integer", "anzahl"),
    )


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_compiled_gaps_equal_find_gaps(workflow: Workflow, data: st.DataObject) -> None:
    schemas = [a.fields for a in workflow.artifacts] + [_nested_fields()]
    fields = data.draw(st.sampled_from(schemas))
    value = data.draw(_data(fields))
    assert compile_gaps(fields)(value) == find_gaps(fields, value)


def test_compiled_gaps_fail_like_find_gaps_on_non_mappings() -> None:
    for fields in ((FieldSpec("text", "x"),), (FieldSpec("text", "x", required=True),)):
        with pytest.raises(AttributeError):
            find_gaps(fields, ["not", "a", "mapping"])  # type: ignore[arg-type]
        with pytest.raises(AttributeError):
            compile_gaps(fields)(["not", "a", "mapping"])  # type: ignore[arg-type]
    assert compile_gaps(())(["anything"]) == find_gaps((), ["anything"])  # type: ignore[arg-type]


# --------------------------------------------------------------------------- gates


#: The kinds the oracle knows; the item and steering-chain kinds have tests of their own
#: (tests/runtime/test_items.py, tests/steering/).
ORACLE_KINDS = frozenset(("artifact", "approval", "event", "decision", "check"))


def _known(blockers: Any) -> tuple[Any, ...]:
    return tuple(b for b in blockers if b.kind in ORACLE_KINDS)


def _criteria(criteria: Any) -> tuple[Any, ...]:
    return tuple(c for c in criteria if c.kind in ORACLE_KINDS)


def _all_gates_equal(process: Process) -> None:
    workflow, state = process.workflow, process.state
    phase = workflow.phase(state.phase)
    expected = evaluate(workflow, state, _criteria(phase.exit), phase.responsible)
    assert _known(process.blockers()) == expected
    for transition in workflow.transitions:
        expected = evaluate(workflow, state, _criteria(transition.exit), transition.allowed[0])
        assert _known(process.blockers(transition.id)) == expected


def test_plan_blockers_equal_reference_at_every_step(workflow: Workflow) -> None:
    process = start_sample(workflow)
    _all_gates_equal(process)
    steps = [step for script in SCENARIO for step in script.steps] + list(CYCLE_TWO_STEPS)
    seen_codes = set()
    for step in steps:
        with contextlib.suppress(Exception):
            step.run(process)
        _all_gates_equal(process)
        replayed = Process.replay(workflow, process.log)
        _all_gates_equal(replayed)
        seen_codes.update(b.code for b in process.blockers())
    assert {"missing", "not-approved", "check-error", "stale"} <= seen_codes


def _with_check(workflow: Workflow, expression: str, message: bool = False) -> Workflow:
    phase = workflow.phases[1]
    extra = Criterion("check", expression)
    if message:
        extra = attrs.evolve(extra, message=workflow.phases[0].title)
    changed = attrs.evolve(phase, exit=(*phase.exit, extra))
    return attrs.evolve(workflow, phases=(workflow.phases[0], changed, *workflow.phases[2:]))


@pytest.mark.parametrize(
    "expression",
    [
        "artifacts.analysebericht.staerken | length >= 1",
        "artifacts['analysebericht'].staerken | length >= 1",
        "artifacts.analysebericht is defined",
        "artifacts.analysebericht",
        "true or artifacts.analysebericht.x",
        "false and artifacts.analysebericht.x",
        "artifacts.analysebericht.staerken | default([]) | length > 5",
        "artifacts.items is defined",
        "artifacts.sozialraumprofil.indikatoren | length >= 3 and process.cycle >= 1",
        "events.workshop | default([]) | length >= 0",
    ],
)
def test_check_shortcuts_equal_running_the_check(workflow: Workflow, expression: str) -> None:
    changed = _with_check(workflow, expression, message=True)
    process = run_to_analysis(changed)
    for step in SCENARIO[1].steps[:-1]:
        _all_gates_equal(process)
        step.run(process)
    _all_gates_equal(process)


def run_to_analysis(workflow: Workflow) -> Process:
    process = start_sample(workflow)
    for step in SCENARIO[0].steps:
        step.run(process)
    assert process.phase == "analysieren"
    return process


def test_check_guard_and_names() -> None:
    assert check_guard("artifacts.a.b | length > 1") == "a"
    assert check_guard("artifacts['a'].b") == "a"
    assert check_guard("artifacts.a.b and events.x") is None  # two names
    assert check_guard("artifacts[1].b") is None
    assert check_guard("[1, 2] | random > 1 or artifacts.a.b") is None
    assert check_guard("artifacts.a.b ==") is None
    assert check_names("artifacts.a and process.cycle") == frozenset({"artifacts", "process"})
    assert check_names("(") is None


# --------------------------------------------------------------------------- caches


def test_plans_and_machines_are_per_definition(workflow: Workflow) -> None:
    base = workflow_plan(workflow)
    twin = attrs.evolve(workflow)
    assert twin is not workflow
    assert twin.content_hash == workflow.content_hash
    assert workflow_plan(twin) is base
    assert _machine.phase_machine(twin) is _machine.phase_machine(workflow)

    # Same ids, one field made required: a different definition, its own checker.
    spec = workflow.artifact("sozialraumprofil")
    fields = tuple(
        attrs.evolve(f, required=True) if f.name == "indikatoren" else f for f in spec.fields
    )
    artifacts = tuple(
        attrs.evolve(a, fields=fields) if a.id == spec.id else a for a in workflow.artifacts
    )
    stricter = attrs.evolve(workflow, artifacts=artifacts)
    assert stricter.content_hash != workflow.content_hash
    assert workflow_plan(stricter) is not base
    data: dict[str, Any] = {"stichtag": "2024-12-31"}
    assert base.gaps(spec.id)(data) == []
    assert [g.path for g in workflow_plan(stricter).gaps(spec.id)(data)] == ["indikatoren"]


def test_processes_of_different_definitions_get_their_own_gates(workflow: Workflow) -> None:
    loose = run_to_analysis(workflow)
    strict = run_to_analysis(_with_check(workflow, "artifacts.sozialraumprofil.x is defined"))
    assert loose._plan is not strict._plan
    assert [b.code for b in loose.blockers() if b.kind == "check"] == ["check-error"]
    assert [b.code for b in strict.blockers() if b.kind == "check"] == [
        "check-error",
        "check-error",
    ]
    # Same data, the first definition's gate is unchanged by the second one's.
    assert loose.blockers() == Process.replay(workflow, loose.log).blockers()


def test_cached_decision_results_keep_types_apart(workflow: Workflow) -> None:
    kind = workflow.decision("auftragsbeschluss")
    one = compute_result(kind, yes=1, no=0, abstain=None, consensus=None, present=None)
    same = compute_result(kind, yes=1, no=0, abstain=None, consensus=None, present=None)
    true = compute_result(kind, yes=True, no=0, abstain=None, consensus=None, present=None)
    assert one is same
    assert one.message_de == "angenommen: 1 Ja, 0 Nein"
    assert true.message_de == "angenommen: True Ja, 0 Nein"
    with pytest.raises(TypeError):
        compute_result(kind, yes=[1], no=0, abstain=None, consensus=None, present=None)  # type: ignore[arg-type]


def test_state_is_still_a_plain_fold(workflow: Workflow) -> None:
    process = start_sample(workflow)
    for step in SCENARIO[0].steps:
        step.run(process)
    state = ProcessState()
    for event in process.log:
        from sozialraumprozess.runtime.state import apply

        apply(state, event, workflow)
    assert state == process.state == Process.replay(workflow, process.log).state


# --------------------------------------------------------------------------- fast checks

_FAST_EXPRESSIONS = [
    "artifacts.analysebericht.qualitative_methoden | default([]) | length >= 1",
    "artifacts.zielkatalog.ziele | length >= 3",
    "artifacts.k.vereinbarungen | selectattr('unterzeichnet') | list | length >= 1",
    "artifacts['k'].vereinbarungen | selectattr('unterzeichnet') | length >= 1",
    "artifacts.k.vereinbarungen | selectattr('unterzeichnet') | list",
    "artifacts.k.vereinbarungen | selectattr('unterzeichnet')",
    "artifacts.k.items | length > 0",
    "artifacts.k.name == 'x'",
    "artifacts.k.wert < 10",
    "artifacts.k.liste | list | count != 2",
    "process.cycle >= 2",
    "events.workshop | length >= 2",
    "decisions.zielbeschluss.passed == true",
    "artifacts.k",
]

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 5) | st.sampled_from(["", "x", "ab"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                ["unterzeichnet", "ziele", "vereinbarungen", "name", "wert", "liste", "items"]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=8,
)


@settings(max_examples=400, deadline=None)
@given(
    expression=st.sampled_from(_FAST_EXPRESSIONS),
    artifacts=st.dictionaries(
        st.sampled_from(["k", "zielkatalog", "analysebericht"]), _JSON, max_size=3
    ),
    other=_JSON,
)
def test_fast_checks_equal_jinja_on_the_plain_path(
    expression: str, artifacts: dict[str, Any], other: Any
) -> None:
    from sozialraumprozess.definition.expressions import compile_check
    from sozialraumprozess.definition.kinds._checkfast import Fallback, compile_fast

    context = {
        "artifacts": artifacts,
        "events": {"workshop": other},
        "decisions": {"zielbeschluss": other},
        "process": {"cycle": other, "phase": "x"},
    }
    fast = compile_fast(expression)
    if fast is None:  # a dict attribute name: Jinja would not read the key
        assert ".items" in expression
        return
    try:
        value = fast(context)
    except Fallback:
        return  # Jinja decides
    assert compile_check(expression)(**context) == value


def test_fast_checks_only_for_the_subset() -> None:
    from sozialraumprozess.definition.kinds._checkfast import compile_fast

    for expression in [
        "artifacts.a is defined",
        "artifacts.a.b and artifacts.c",
        "range(3) | length",
        "artifacts.a | selectattr('b', 'equalto', 1) | list",
        "artifacts.a | default(artifacts.b)",
        "artifacts.a.b | length >= 1 >= 0",
        "artifacts.a | selectattr('b.c') | list",
        "artifacts.(",
        "artifacts.a }} {{ artifacts.b",
    ]:
        assert compile_fast(expression) is None, expression


def test_fast_checks_take_the_plain_path() -> None:
    from sozialraumprozess.definition.kinds._checkfast import Fallback, compile_fast

    signed = {"vereinbarungen": [{"unterzeichnet": True}, {"unterzeichnet": False}]}
    context: dict[str, Any] = {"artifacts": {"k": signed, "zielkatalog": {"ziele": [1, 2]}}}
    count = compile_fast(_FAST_EXPRESSIONS[2])
    ziele = compile_fast(_FAST_EXPRESSIONS[1])
    lazy = compile_fast(_FAST_EXPRESSIONS[5])
    assert count is not None
    assert ziele is not None
    assert lazy is not None
    assert count(context) is True
    assert ziele(context) is False
    with pytest.raises(Fallback):  # a generator in Jinja: Jinja decides
        lazy(context)
    with pytest.raises(Fallback):  # missing key: Jinja reports it
        ziele({"artifacts": {}})
