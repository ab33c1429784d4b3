"""Helpers of the reliability suite: a small study folder, hostile files, and a command runner that
checks what every census row checks (exit 1, the code, no traceback, no hang, nothing changed)."""
from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
CODEBOOK_DA = ROOT / "codebooks" / "beboerinddragelse.da.yaml"

INTERVIEW = """\
---
id: {id}
cases: [{case}]
interviewer_labels: [I]
---
I: Hvordan planlagde I aktiviteterne?

R: Vi planlagde det hele i en arbejdsgruppe med et lille budget, og beboerne bestemte selv, hvornår de ville mødes.

I: Og evalueringen?

R: Vi talte deltagerne hver gang til evalueringen, og vi skrev det ned i en lille bog på kontoret.

I: Hvad med gåklubben?

R: Gåklubben gik tur hver torsdag, og turen sluttede altid med kaffe i beboerhuset bagefter.
"""


def make_study(root: Path, *, n: int = 2, project: str = "") -> Path:
    """root/transcripts (n interviews, cases.csv), root/codebook.yaml, root/condense.yaml → the project file."""
    (root / "transcripts").mkdir(parents=True, exist_ok=True)
    for i in range(1, n + 1):
        (root / "transcripts" / f"int{i}.txt").write_text(INTERVIEW.format(id=f"int{i}", case=f"Plan{i}"), encoding="utf-8")
    (root / "transcripts" / "cases.csv").write_text("case,region\n" + "".join(f"Plan{i},Nord\n" for i in range(1, n + 1)),
                                                    encoding="utf-8")
    (root / "codebook.yaml").write_bytes(CODEBOOK_DA.read_bytes())
    (root / "condense.yaml").write_text("transcripts: transcripts\ncodebook: codebook.yaml\noutput: results\n"
                                        "decisions: decisions.csv\n" + project, encoding="utf-8")
    return root / "condense.yaml"


def fake_results(folder: Path, files: dict[str, str] | None = None, kind: str | None = None) -> Path:
    """An output folder as condense leaves it: its files and a manifest.json listing them."""
    folder.mkdir(parents=True, exist_ok=True)
    files = files or {"units.csv": "unit_id\nint1:0001:1\n"}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    manifest = {"condense": "0.1.0", "files": sorted(list(files) + ["manifest.json"])}
    if kind:
        manifest["kind"] = kind
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def encrypted_office() -> bytes:
    """The start of a password-protected .docx/.xlsx: an OLE compound file with an EncryptedPackage stream."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    entry = "EncryptedPackage".encode("utf-16-le").ljust(64, b"\x00") + b"\x22\x00\x02\x01" + b"\x00" * 60
    info = "EncryptionInfo".encode("utf-16-le").ljust(64, b"\x00") + b"\x1e\x00\x02\x01" + b"\x00" * 60
    return header + b"\x00" * 512 + entry + info + b"\x00" * 1024


def legacy_doc() -> bytes:
    """A Word 97–2003 file (OLE, not encrypted), as when a .doc is renamed .docx."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    entry = "WordDocument".encode("utf-16-le").ljust(64, b"\x00") + b"\x1a\x00\x02\x01" + b"\x00" * 60
    return header + b"\x00" * 512 + entry + b"\x00" * 1024


def refused(result, code: str) -> str:
    """The output of a command that refused with ``code``: exit 1, the code shown, no traceback."""
    output = result.output
    assert "Traceback" not in output and result.exit_code == 1 and f"[{code}]" in output, output
    return output


def snapshot(root: Path) -> dict[str, str]:
    """Relative path → sha256 of every regular file under root (FIFOs and devices by kind)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames:
            p = Path(dirpath) / name
            rel = p.relative_to(root).as_posix()
            if p.is_file() and not p.is_symlink():
                out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
            else:
                out[rel] = "special"
    return out


def leftovers(root: Path) -> list[str]:
    """Temporary folders/files, locks and moved-aside folders condense might leave behind."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            if name.startswith(".") and any(m in name for m in (".tmp-", ".old-", ".lock")):
                out.append(str(Path(dirpath, name).relative_to(root)))
    return out


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout("the command did not finish: a hang")


def invoke(args: list[str], *, env: dict | None = None, timeout: int = 60):
    """Run the CLI in this process (typer's CliRunner), bounded by SIGALRM so a hang fails the test."""
    from condense.cli import app

    runner = CliRunner()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(timeout)
    try:
        return runner.invoke(app, [str(a) for a in args], env=env, catch_exceptions=True)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path
