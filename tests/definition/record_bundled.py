"""Keep a copy of every released version of the bundled workflows.

Run after bumping a bundled workflow's ``version``::

    python3 tests/definition/record_bundled.py

It copies each bundled workflow file to ``tests/fixtures/bundled/<id>/<version>.yaml``
unless that version is recorded already. ``test_bundled_versions.py`` then checks
that no bundled workflow changed without a new version, and migrates a run of each
previous version to the current one.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HISTORY = Path(__file__).resolve().parents[1] / "fixtures" / "bundled"


def main() -> int:
    from sozialraumprozess.definition.loader import (
        bundled_workflow_path,
        bundled_workflows,
        load_workflow,
    )

    for workflow_id in bundled_workflows():
        workflow = load_workflow(workflow_id)
        target = HISTORY / workflow_id / f"{workflow.version}.yaml"
        if target.exists():
            if load_workflow(str(target)).content_hash != workflow.content_hash:
                print(f"{workflow_id} {workflow.version}: changed but not bumped", file=sys.stderr)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(bundled_workflow_path(workflow_id), target)
        print(f"recorded {workflow_id} {workflow.version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
