"""The real programs that open our office files: LibreOffice headless and poppler.

Each is found on PATH. Without it a test is skipped with the Debian package to
install, except under ``CI=true`` (``.ci/run`` installs them), where it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

#: Program -> the Debian package that brings it.
PACKAGES = {
    "soffice": "libreoffice-writer-nogui",
    "pdftotext": "poppler-utils",
    "pdfimages": "poppler-utils",
}


def tool(name: str) -> str:
    """The path of program ``name``; skip (fail under CI=true) when it is missing."""
    found = shutil.which(name)
    if found is None:
        package = PACKAGES[name]
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is not installed; .ci/run installs Debian's {package!r}")
        pytest.skip(f"{name} is not installed (apt-get install {package}); CI=true fails instead")
    return found


def libreoffice_convert(
    files: Sequence[Path], target: str, outdir: Path, profile: Path
) -> dict[Path, Path]:
    """Convert ``files`` with LibreOffice headless (one process) into ``outdir``.

    ``target`` is LibreOffice's filter spec (``pdf``, ``txt:Text``). Returns each
    input's converted file; fails naming the files LibreOffice could not load or
    convert (it may exit 0 on such an error, so every output is checked).
    """
    soffice = tool("soffice")
    outdir.mkdir(parents=True, exist_ok=True)
    extension = target.split(":", 1)[0]
    found: dict[Path, Path] = {}
    # Same stems in different folders would overwrite each other in one outdir: batches.
    batches: list[list[Path]] = []
    for path in files:
        for batch in batches:
            if all(p.stem != path.stem for p in batch):
                batch.append(path)
                break
        else:
            batches.append([path])
    for number, batch in enumerate(batches):
        folder = outdir / str(number)
        result = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile.resolve().as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(folder),
                *[str(p) for p in batch],
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=1200,
        )
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
        assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
        assert not errors, (result.stdout + result.stderr)[-3000:]
        for path in batch:
            out = folder / f"{path.stem}.{extension}"
            assert out.is_file(), (f"LibreOffice wrote nothing for {path}", result.stderr[-2000:])
            assert out.stat().st_size > 0, f"LibreOffice wrote an empty file for {path}"
            found[path] = out
    return found


def pdf_text(path: Path) -> str:
    """The text of a PDF as poppler's ``pdftotext`` extracts it (layout kept)."""
    result = subprocess.run(
        [tool("pdftotext"), "-layout", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def pdf_images(path: Path) -> list[tuple[int, int, int]]:
    """The raster images of a PDF as poppler's ``pdfimages -list`` lists them:
    (page, width, height) in pixels, soft masks left out."""
    result = subprocess.run(
        [tool("pdfimages"), "-list", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()[2:] if line.strip()]
    return [(int(r[0]), int(r[3]), int(r[4])) for r in rows if r[2] == "image"]


def pdfa_identification(path: Path) -> tuple[str | None, str | None]:
    """The PDF/A part and conformance from the PDF's XMP metadata (pikepdf)."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        return meta.get("pdfaid:part"), meta.get("pdfaid:conformance")


def pdf_attachments(path: Path) -> dict[str, bytes]:
    """The files embedded in a PDF, by name."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        return {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()}
