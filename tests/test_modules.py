"""Every module of the package states its public names, and no module reaches into another's private ones."""
from __future__ import annotations

import ast
import importlib
import pkgutil
import sys

import pytest

from conftest import ROOT

PACKAGE = ROOT / "condense"
MODULES = sorted(["condense"] + [m.name for m in pkgutil.walk_packages([str(PACKAGE)], prefix="condense.")])


@pytest.mark.parametrize("name", MODULES)
def test_module_has_an_all_that_names_only_what_it_has(name):
    importlib.import_module(name)
    module = sys.modules[name]  # not getattr(condense, …): some verbs share a submodule's name
    names = getattr(module, "__all__", None)
    assert isinstance(names, (list, tuple)), f"{name} has no __all__"
    assert len(set(names)) == len(names), f"{name}.__all__ repeats a name"
    missing = [n for n in names if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ names what it does not have: {missing}"


def private_imports(root) -> list[str]:
    """``from <a condense module> import _name``: one module using another's private name."""
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("condense")):
                found += [f"{path.relative_to(root.parent)}:{node.lineno} imports {a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    return found


def test_the_scan_finds_a_private_import(tmp_path):
    (tmp_path / "a.py").write_text("from .b import _hidden, shown\nfrom condense.c import _x as y\nfrom . import __version__\n")
    assert private_imports(tmp_path) == [f"{tmp_path.name}/a.py:1 imports _hidden", f"{tmp_path.name}/a.py:2 imports _x"]


def test_no_module_imports_another_modules_private_names():
    assert private_imports(PACKAGE) == []
