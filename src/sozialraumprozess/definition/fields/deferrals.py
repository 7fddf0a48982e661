"""Field type ``deferred-findings`` (format v2): findings set aside, each with its reason.

A list of records ``{finding, reason}``: ``finding`` refers to a finding by id
(checked like every reference, see :mod:`.reference`), ``reason`` says why no
goal takes it up now. The gate ``findings_addressed`` counts a deferred finding
as dealt with.
"""

from __future__ import annotations

from sozialraumprozess.definition.fields._records import RecordsType, label_of
from sozialraumprozess.definition.model import FieldSpec
from sozialraumprozess.i18n import msg

__all__ = ["DeferredFindingsType"]


class DeferredFindingsType(RecordsType):
    """``type: deferred-findings``: ``[{finding, reason}]``, each finding once."""

    name = "deferred-findings"
    id_key = "finding"

    def record(self) -> tuple[FieldSpec, ...]:
        return (
            FieldSpec(
                "finding-ref", "finding", title=label_of(msg("chain.key-finding")), required=True
            ),
            FieldSpec("text", "reason", title=label_of(msg("chain.key-reason")), required=True),
        )
