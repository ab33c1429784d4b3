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
