"""The public API: every step importable from `condense`, and importing it is cheap."""
from __future__ import annotations

import subprocess
import sys


def test_every_public_name_resolves_and_the_steps_come_first():
    import condense

    assert [getattr(condense, name) for name in condense.__all__]
    assert condense.__all__[:7] == ["ingest", "segment", "code", "discover", "condense", "tables", "run"]
    assert condense.__version__ == __import__("condense._version", fromlist=["x"]).__version__


def test_import_condense_loads_no_spacy_pandas_or_sklearn():
    code = ("import sys, condense, condense.cli; heavy = [m for m in ('spacy', 'pandas', 'sklearn', 'numpy') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_submodules_named_like_verbs_do_not_replace_the_verbs():
    import condense
    from condense.tables import quantifier  # noqa: F401  (imports the module condense.tables)
    from condense.learn import LearnedCoder  # noqa: F401

    assert callable(condense.tables) and condense.tables.__module__ == "condense.verbs"
    assert condense.learn.__module__ == "condense.verbs" and condense.segment.__module__ == "condense.verbs"


def test_the_project_verbs_take_a_path_as_the_commands_do(tmp_path, monkeypatch):
    """`condense.run("condense.yaml")` in a notebook failed with AttributeError ('PosixPath' object has no
    attribute 'codebook'): the project verbs took only a loaded Project, while the commands take a project file
    or a folder. They take both now, and no project means the study of the working folder, as `condense run`."""
    import pytest

    import condense
    from condense.errors import CondenseError
    from test_pipeline import interview, make_project

    project_file = make_project(tmp_path, {f"int{i}_x.txt": interview(i, gaaklub=True) for i in (1, 2)})
    loaded = condense.resolve_project(project_file)
    by_path = condense.run(str(project_file))
    assert [(c.unit_id, c.theme) for c in by_path.codings] == [(c.unit_id, c.theme) for c in condense.run(loaded).codings]
    assert by_path.codings
    assert condense.discover(project_file).candidates == condense.discover(loaded).candidates
    monkeypatch.chdir(tmp_path)  # no argument: ./condense.yaml, as `condense run` in the study's folder
    here = [(g.theme, g.subtheme, g.unit_ids) for g in condense.condense().groups]
    assert here and here == [(g.theme, g.subtheme, g.unit_ids) for g in condense.condense(loaded).groups]
    with pytest.raises(CondenseError) as err:
        condense.tables(tmp_path / "no-such-project.yaml")
    assert err.value.code == "E101"
