"""Field type ``findings`` (format v2): the findings (*Befunde*) of an analysis.

A list of records ``{id, text, priority, source}``: ``priority`` is ``A`` (must be
taken up), ``B`` or ``C``; ``source`` says where the finding comes from (the
profile, a walk, a survey). Each finding's ``id`` is an id of kind ``finding``
(see :mod:`.reference`): goals cite the findings they address, a goal catalogue
defers findings with a reason (``deferred-findings``).
"""

from __future__ import annotations

from sozialraumprozess.definition.fields._records import RecordsType, label_of
from sozialraumprozess.definition.model import FieldSpec
from sozialraumprozess.i18n import msg

__all__ = ["PRIORITIES", "FindingsType"]

#: The priorities of findings and goals, highest first.
PRIORITIES = ("A", "B", "C")


class FindingsType(RecordsType):
    """``type: findings``: ``[{id, text, priority: A|B|C, source}]``, ids unique."""

    name = "findings"
    provides = "finding"
    id_key = "id"

    def record(self) -> tuple[FieldSpec, ...]:
        return (
            FieldSpec("text", "id", title=label_of(msg("chain.key-id")), required=True),
            FieldSpec("text", "text", title=label_of(msg("chain.key-finding")), required=True),
            FieldSpec(
                "choice",
                "priority",
                title=label_of(msg("chain.key-priority")),
                required=True,
                choices=PRIORITIES,
            ),
            FieldSpec("text", "source", title=label_of(msg("chain.key-source"))),
        )
