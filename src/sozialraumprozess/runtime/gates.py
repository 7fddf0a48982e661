"""Gates that explain themselves: every unmet exit criterion as a :class:`Blocker`.

The rules of each criterion kind live in its unit
(:mod:`sozialraumprozess.definition.kinds`); processes evaluate them compiled
once per workflow (:mod:`._plan`). Only what belongs to the current situation
counts:

* ``artifact``/``approval``: the newest version, if it is current in this cycle
  (submitted or confirmed in it); a version from an earlier cycle is reported as
  ``aus Zyklus N — neu zu bestätigen``;
* ``event``: events of that type held during the current phase visit;
* ``decision``: the newest decision of that type taken during the current visit;
* ``check``: the expression over ``artifacts`` (current data), ``events`` and
  ``decisions`` (of the current cycle) and ``process``.
"""

from __future__ import annotations

from sozialraumprozess.definition.kinds import Blocker

__all__ = ["Blocker"]
