"""The bounded Jinja sandbox shared by ``check`` expressions and document templates.

Jinja's :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment` keeps templates
away from Python's internals, but not from the machine's time and memory.
:class:`BoundedSandbox` adds what a workflow author's (or an attacker's) text
needs to stay harmless:

* **no constant folding**: expressions are compiled with ``optimized=False``, so
  ``'a' * (2 * 10**9)`` is not computed while a workflow is merely loaded;
* **intercepted operators** (``*``, ``**``, ``+``, ``%``) and a bounded ``~``:
  results larger than :data:`MAX_VALUE_ITEMS` characters or items, integers of
  more than :data:`MAX_INT_BITS` bits and printf widths over :data:`MAX_WIDTH`
  are refused *before* they are computed;
* **bounded filters and string methods**: every filter is wrapped; the ones
  that multiply their input (``center``, ``indent``, ``format``, ``replace``,
  ``join``, ``wordwrap``, ``batch``, ``slice``, ``tojson``, ``sum``) check their
  arguments first, all of them their result;
* **a budget** (:class:`Budget`) per check evaluation and per render: every
  loop step, call, filter, operator and attribute access is a step; a render or
  check that takes more steps (or, as a backstop, more seconds) stops;
* **recursion** (macros calling themselves) stops at :data:`MAX_CALL_DEPTH`;
* **no method reprs**: a method that is looked up but not called cannot be
  printed (``{{ data.items }}`` is an error, not ``<built-in method …>``);
* **a static check** (:func:`check_tree`, :func:`check_nesting`) refuses the
  constructs used for template injection and nesting Python cannot compile.

Every refusal is a :class:`LimitExceeded` or :class:`Refused` (both Jinja
:class:`~jinja2.exceptions.SecurityError`) carrying a catalog message; callers
turn them into positioned library errors.
"""

from __future__ import annotations

from sozialraumprozess.definition.sandbox._environment import (
    BoundedSandbox,
    check_nesting,
    check_tree,
)
from sozialraumprozess.definition.sandbox._limits import (
    MAX_BLOCK_NESTING,
    MAX_CALL_DEPTH,
    MAX_INT_BITS,
    MAX_NESTING,
    MAX_VALUE_ITEMS,
    MAX_WIDTH,
    Budget,
    LimitExceeded,
    Refused,
    budget,
    run_budgeted,
)

__all__ = [
    "MAX_BLOCK_NESTING",
    "MAX_CALL_DEPTH",
    "MAX_INT_BITS",
    "MAX_NESTING",
    "MAX_VALUE_ITEMS",
    "MAX_WIDTH",
    "BoundedSandbox",
    "Budget",
    "LimitExceeded",
    "Refused",
    "budget",
    "check_nesting",
    "check_tree",
    "run_budgeted",
]
