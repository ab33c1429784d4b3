"""The README's shell commands, pasted into a new shell (no activated venv) in a fresh checkout, all run."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

BLOCKS = re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def commands(block: str) -> list[str]:
    """The block's command lines without comments; `make …` lines are the Makefile's own business."""
    lines = [line.split("  #")[0].strip() for line in block.splitlines()]
    return [line for line in lines if line and not line.startswith(("#", "make "))]


def checkout(tmp_path: Path) -> Path:
    """What a fresh clone has after `make run`: the sample, the codebooks, .venv (linked, not rebuilt)."""
    for name in (".venv", "transcripts_sample", "codebooks"):
        (tmp_path / name).symlink_to(ROOT / name)
    return tmp_path


def shell(line: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(cwd), "LANG": "C.UTF-8"}  # a new shell: no venv
    return subprocess.run(["bash", "-c", line], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_readme_has_the_commands_this_test_runs():
    assert len(BLOCKS) >= 3 and commands(BLOCKS[0]) == []  # the first block is `make run` / `make test`
    assert all(line.startswith(".venv/bin/condense ") or line.startswith("cp ")
               for block in BLOCKS[1:] for line in commands(block))


def test_start_your_own_study_block_runs_verbatim(tmp_path):
    folder = checkout(tmp_path)
    block = next(b for b in BLOCKS if "init mystudy" in b)
    for line in commands(block):
        result = shell(line, folder)
        assert result.returncode == 0, (line, result.stdout, result.stderr)
    assert (folder / "mystudy" / "results" / "themes.csv").exists()


@pytest.mark.slow
def test_every_readme_block_runs_after_make_run(tmp_path):
    folder = checkout(tmp_path)
    made = shell(".venv/bin/condense run --out results", folder)  # what `make run` does
    assert made.returncode == 0, made.stderr
    for block in BLOCKS[1:]:
        for line in commands(block):
            result = shell(line, folder)
            assert result.returncode == 0, (line, result.stdout, result.stderr)


@pytest.mark.slow
def test_readme_python_block_runs(tmp_path):
    folder = checkout(tmp_path)
    (code,) = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    (folder / "steps.py").write_text(code + "\nprint(len(result.tables['themes']))\n", encoding="utf-8")
    result = shell(".venv/bin/python steps.py", folder)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[-1]) > 0 and (folder / "my_results" / "themes.csv").exists()


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_inline_python_commands_run_in_a_new_shell():
    """A `python benchmarks/…` pasted into a new shell finds neither condense nor its dependencies: the README
    names the venv's interpreter, and every script it names exists."""
    spans = re.findall(r"`([^`\n]*python[^`\n]*)`", readme())
    commands = [span for span in spans if re.search(r"\bpython3? \S+\.py", span)]
    assert commands, "the README names no benchmark command"
    for command in commands:
        assert command.startswith(".venv/bin/python "), command
        script = command.split()[1]
        assert (ROOT / script).is_file(), command


def test_readme_results_table_names_every_file_make_run_writes(sample_run):
    _, out = sample_run
    section = readme().split("## What `make run` writes", 1)[1].split("An excerpt of", 1)[0]
    named = {name for row in section.splitlines() if row.startswith("| `")
             for name in re.findall(r"`([^`]+)`", row.split(" | ")[0])}
    written = {path.name + ("/" if path.is_dir() else "") for path in out.iterdir()}
    patterns = [re.compile(re.escape(name).replace(re.escape("<attribute>"), r"[a-z_]+") + "$") for name in named]
    unnamed = sorted(name for name in written if not any(p.match(name) for p in patterns))
    assert not unnamed, f"README's table of results/ misses {unnamed}"
    assert all(any(p.match(name) for name in written) for p in patterns), (named, written)


def test_readme_report_excerpt_is_what_make_run_writes(sample_run):
    """The quoted section of report.md, line by line (a line ending in " …" is cut short)."""
    _, out = sample_run
    report = (out / "report.md").read_text(encoding="utf-8").splitlines()
    excerpt = readme().split("An excerpt of `report.md`", 1)[1].split("\n\n**", 1)[0]
    lines = [line[2:] for line in excerpt.splitlines() if line.startswith("> ") and line[2:].strip()]
    assert len(lines) >= 4
    start = report.index(lines[0])
    for line in lines[1:]:
        found = [r for r in report[start:start + 12] if r == line or (line.endswith(" …") and r.startswith(line[:-2]))]
        assert found, f"README's excerpt of report.md is stale; paste the section from results/report.md: {line}"
