"""Shared fixtures: one nlp per session, small inline transcripts, the real Danish data when present.

For tests on other branches, what is here and what it costs (measured, h16a):
- ``sample_run`` (session): the built-in sample run once, ``(RunResult, results folder)``, for all xdist
  workers together (the first to need it runs it; the others read its pickled result). A whole run of the
  sample is 5-10 CPU s; a test that only reads the sample's outputs takes this fixture instead of running it
  again. Read only: a test that changes the project, the result or the written files copies them first
  (``shutil.copytree(out, tmp_path / "r")``) or runs its own.
- ``sample_corpus`` / ``sample_units`` / ``nlp_da`` / ``ecape_corpus`` (session): read only, the same way.
- ``_figures_library_imported`` (session, autouse): matplotlib's drawing modules are imported once in the
  test process. A run forks the process that draws its figures from here; a fork inherits what is imported, so
  without this every in-process run paid the import again in its figures process (about 0.4 CPU s a run),
  until the first test that imported matplotlib here (test_audit_scan) made it free for all tests after it:
  the suite ran in two states depending on order. A fresh figures process (matplotlib imported after the
  fork) is still what every test in a subprocess runs (`condense run` in test_determinism, test_writing,
  test_readme, test_exit, test_signals, test_twins, test_report's second process).
- ``_figures_rendered_once`` (session, autouse): in this process, a figure is rendered once per content. The
  suite's small studies draw the same figures again and again (test_consent: 159 renders, 43 distinct; its
  renders took 41 % of its CPU, two thirds of that on figures already drawn). Rendering is a pure function of
  the figure (same figure, same bytes: test_determinism and test_report check it across processes, where no
  memo is), so the bytes are kept by a key made from the figure's whole pickled state. Subprocesses and
  notebook kernels render every figure.
"""
from __future__ import annotations

import os
from pathlib import Path

# One BLAS thread per process, set before numpy loads OpenBLAS: its threads busy-wait for work, and the suite's
# matrices are small, so a second thread bought no wall time and cost CPU (fitting the learned coder on the
# sample, in one process: 14.1-14.9 CPU s with one thread, 18.0-20.7 with two, at the same wall time); under
# xdist the workers' threads fought over the cores. Subprocesses (`condense run`, notebook kernels) inherit it.
for _threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "transcripts_sample"
CODEBOOK_DA = ROOT / "codebooks" / "beboerinddragelse.da.yaml"
CODEBOOK_EN = ROOT / "codebooks" / "beboerinddragelse.en.yaml"
SHARED = Path(os.environ.get("CONDENSE_SHARED", ROOT.parent / "shared"))
ECAPE = SHARED / "data" / "ecape_da"
REFI = SHARED / "refi"


# The cores this process may use, read before any test pins it (below).
_MACHINE = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []


def _worker_core() -> int | None:
    """The core of this pytest-xdist worker, when each worker can have one of its own; else None.

    Why: a run forks its side jobs (the figures, the consent audit's scanner, discovery beside condensation)
    whenever a second core is free. The suite's projects are tiny, and for them a fork costs more than it
    saves (a two-interview project, in one process: 1.43 s wall, 1.43 CPU s; forking on two cores: 1.26-1.6 s
    wall, 2.4-2.9 CPU s), while the other worker already keeps the second core busy. So each worker keeps to
    its core, and its runs take the one-process path, as on a one-core laptop."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0") or 0)
    if not worker.startswith("gw") or len(_MACHINE) < 2 or not 1 < count <= len(_MACHINE):
        return None
    return _MACHINE[int(worker[2:]) % len(_MACHINE)]


# The suite's files by what they cost, heaviest first (seconds summed over a file's tests and setups, measured with
# --durations=0 under -n 2 --dist loadfile, h24c): under xdist's loadfile a worker takes the next file from one
# queue whenever it runs short, and pytest-xdist ordered that queue by the number of tests in a file. A file of
# few long tests came last (test_notebooks: 3 notebooks, 56 s; test_scale; test_readme), and one worker ran it
# while the other had finished and waited. Heaviest first, the last files handed out are the short ones, so the
# two workers end close together. Only the order changes: every file runs whole in one worker as before, and a
# file missing here (a new one) runs after these, in collection order.
HEAVIEST_FIRST = (
    "tests/test_consent.py", "tests/test_parallel.py", "tests/test_notebooks.py", "tests/test_scale.py",
    "tests/cli/test_parity.py", "tests/test_learn.py", "tests/test_consent_census.py",
    "tests/reliability/test_census.py", "tests/cli/test_exit.py", "tests/test_consent_round6.py",
    "tests/test_readme.py", "tests/test_tokens.py", "tests/test_report_browser.py",
    "tests/reliability/test_writing.py", "tests/test_tokenizer_rules.py", "tests/test_consent_round4.py",
    "tests/reliability/test_census6.py", "tests/test_core_scale.py", "tests/test_ingest.py",
    "tests/reliability/test_determinism.py", "tests/test_segment.py", "tests/test_coded.py",
    "tests/test_lexicon.py", "tests/test_qdpx.py", "tests/test_calibration.py", "tests/test_report.py",
    "tests/cli/test_cli.py", "tests/reliability/test_twins.py", "tests/test_pipeline.py",
    "tests/reliability/test_spreadsheets.py", "tests/test_export.py", "tests/test_answers.py",
    "tests/reliability/test_unwritable.py", "tests/test_review.py", "tests/test_consent_round5.py",
    "tests/test_condense_shortcuts.py", "tests/test_salt.py", "tests/reliability/test_signals.py",
    "tests/test_grouping.py", "tests/test_quote_content.py", "tests/test_guessed_encoding.py",
    "tests/reliability/test_yaml_libyaml.py", "tests/reliability/test_fuzz.py",
)


def pytest_configure(config):
    config.addinivalue_line("markers", "cores: the test needs every core of the machine (its run forks jobs "
                                       "only with a second core free); without it, an xdist worker keeps to one")
    if getattr(config.option, "dist", "no") == "loadfile":
        config.option.loadscopereorder = False  # the files in the order below, not by their number of tests


def pytest_collection_modifyitems(config, items):
    """The files heaviest first (:data:`HEAVIEST_FIRST`); a file's own tests keep their order. Every xdist
    worker sorts alike, so all collect the same list."""
    rank = {path: i for i, path in enumerate(HEAVIEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before the test's fixtures are made (a module's run too): its worker's one core, or every core for a
    test marked ``cores``."""
    core = _worker_core()
    if core is not None:
        os.sched_setaffinity(0, _MACHINE if item.get_closest_marker("cores") else {core})


@pytest.fixture(scope="session", autouse=True)
def _figures_library_imported():
    """See the module's docstring: the figures' process forked by each run inherits matplotlib."""
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.backends.backend_svg  # noqa: F401
    import matplotlib.collections  # noqa: F401
    import matplotlib.figure  # noqa: F401
    import matplotlib.font_manager  # noqa: F401
    import matplotlib.text  # noqa: F401
    import matplotlib.textpath  # noqa: F401


def _figure_key(fig) -> bytes | None:
    """A digest of everything a figure draws: its pickle and the rc settings it is drawn under. A transform's
    ``_parents`` (object addresses → the transforms that depend on it, kept to invalidate them) are left out:
    they point back up the tree, draw nothing, and their addresses differ from one figure to its twin. None
    where the figure cannot be pickled (then it is rendered)."""
    import hashlib
    import io
    import pickle

    import matplotlib
    from matplotlib.transforms import TransformNode

    def without_parents(node):
        made, args, state, *rest = node.__reduce_ex__(5)
        if isinstance(state, dict):
            state = {k: v for k, v in state.items() if k != "_parents"}
        return (made, args, state, *rest)

    classes, todo = set(), [TransformNode]
    while todo:
        cls = todo.pop()
        classes.add(cls)
        todo.extend(c for c in cls.__subclasses__() if c not in classes)
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.dispatch_table = dict.fromkeys(classes, without_parents)
    try:
        pickler.dump(fig)
    except Exception:  # noqa: BLE001 - an unpicklable figure is rendered, not remembered
        return None
    digest = hashlib.sha256(repr(sorted(matplotlib.rcParams.items())).encode())
    digest.update(buffer.getvalue())
    return digest.digest()


@pytest.fixture(scope="session", autouse=True)
def _figures_rendered_once():
    """See the module's docstring: each figure's SVG and PNG rendered once per content in this process."""
    from collections import OrderedDict

    from condense.export import figures

    render, kept = figures._render, OrderedDict()

    def remembered(fig):
        key = _figure_key(fig)
        if key is None:
            return render(fig)
        if key not in kept:
            kept[key] = render(fig)
            while len(kept) > 64:  # a few MB at most: the sample's largest figure is under 0.6 MB
                kept.popitem(last=False)
        kept.move_to_end(key)
        return list(kept[key])

    figures._render = remembered
    yield
    figures._render = render


@pytest.fixture(scope="session")
def nlp_da():
    from condense.nlp import load_nlp

    return load_nlp("da")


@pytest.fixture
def write(tmp_path):
    """write("name.txt", text) → path; bytes are written as they are."""

    def _write(name: str, content, folder: Path | None = None) -> Path:
        path = (folder or tmp_path) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


def make_docx(path: Path, paragraphs: list, *, bold_labels: bool = False) -> Path:
    """Build a .docx: each item is a str (a paragraph) or a list of str (soft line breaks between)."""
    import docx

    document = docx.Document()
    for item in paragraphs:
        para = document.add_paragraph()
        parts = item if isinstance(item, list) else [item]
        for i, part in enumerate(parts):
            if i:
                para.runs[-1].add_break()
            if bold_labels and i == 0 and ":" in part[:20]:
                label, rest = part.split(":", 1)
                para.add_run(label + ":").bold = True
                para.add_run(rest)
            else:
                para.add_run(part)
    document.save(path)
    return path


# Three of the sample's interviews: the anonymous respondent's (10), another of its region (04; alone there, the
# region would place the respondent: E830) and the one with a withdrawn passage (11). Enough for what a run forks
# beside its own work to send more than a pipe holds (the consent audit's scanner: 328 kB, the quotes'
# groundwork: 162 kB; a pipe holds 64 kB), for half the whole sample's CPU (one process: 2.6 s against 5.4 s).
SMALL_SAMPLE = ("04_kastanjegaarden.txt", "10_kildebakken.txt", "11_mosevangen.txt", "cases.csv")


def small_sample(folder: Path, names=SMALL_SAMPLE) -> Path:
    """``folder`` made and filled with copies of the named sample files (:data:`SMALL_SAMPLE`): a project of
    its own for a test that needs a real study's run but not all twelve interviews."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(SAMPLE / name, folder / name)
    return folder


@pytest.fixture(scope="session")
def ecape_corpus():
    if not ECAPE.exists():
        pytest.skip("../shared/data/ecape_da is not present")
    from condense.ingest import ingest

    return ingest([ECAPE])


@pytest.fixture(scope="session")
def sample_corpus():
    from condense.ingest import ingest

    return ingest([SAMPLE])


@pytest.fixture(scope="session")
def sample_units(sample_corpus):
    from condense.segment import segment

    return segment(sample_corpus.transcripts)


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory):
    """The sample project (``make run``'s input) run once per session: (result, its results folder).

    Shared and read only: a test that changes the project, the result or the written files runs its own.
    Under pytest-xdist one run serves every worker (the pytest-xdist recipe): the first worker to need it runs
    the sample under a lock in the folder all workers' temporary folders share, writes the results there and
    pickles the result beside them; a later worker reads the pickle (0.1 CPU s; the run is 5-10 CPU s)."""
    import fcntl
    import pickle

    from condense.pipeline import run, write_results
    from condense.project import default_project

    if not os.environ.get("PYTEST_XDIST_WORKER"):
        result = run(default_project())
        return result, write_results(result, tmp_path_factory.mktemp("sample_run") / "results")
    shared = tmp_path_factory.getbasetemp().parent / "sample_run"
    shared.mkdir(exist_ok=True)
    kept = shared / "result.pickle"
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released as the file closes, also when the run fails
        if kept.is_file():
            with open(kept, "rb") as f:
                return pickle.load(f), shared / "results"
        result = run(default_project())
        out = write_results(result, shared / "results")
        with open(shared / "result.part", "wb") as f:
            pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(shared / "result.part", kept)
        return result, out
