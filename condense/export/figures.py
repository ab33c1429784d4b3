"""figures/: the matrix heatmap(s), theme prevalence bars and the theme × case grid, as SVG and PNG for papers.

Drawn with matplotlib's Agg backend from the same :class:`~condense.export.report_data.ReportData` as
report.html, labelled in the codebook's language. One sequential colour scale whose lightness falls with the
count, and every cell carries its number, so the figures read the same in greyscale. Output bytes are
deterministic: a fixed SVG hash salt, no dates in the metadata, no software stamp in the PNG.
"""
from __future__ import annotations

import dataclasses
import io
import textwrap
from functools import partial
from pathlib import Path

from ..io import write_file

from .report_data import Grid, ReportData
from .strings import strings

__all__ = ["CMAP", "DPI", "make_figures", "figure_style", "write_figures", "prepare_figures", "draw_heatmaps", "start_figures"]

CMAP = "Blues"
DPI = 200
_RC = {
    "svg.hashsalt": "condense",  # the ids of SVG elements come from this salt, not from a random one
    "svg.fonttype": "path",  # glyphs as paths: the SVG needs no font where it is opened
    "font.family": "DejaVu Sans",  # shipped with matplotlib: the same glyphs on every machine
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    # glyphs unhinted in the PNG too, as the SVG's paths are: the two files then show one layout (hinted, Agg
    # measured the labels wider than the SVG draws them, and the box both are cut to came out up to 0.2 inch,
    # 3 %, wider than the SVG's text), and Agg draws the sample's three PNGs in about 0.09 of 0.48 CPU s less
    "text.hinting": "no_hinting",
}
# A figure shows at most this many bars or heatmap rows (and heatmap columns): a study of 600 codes drew a
# prevalence chart 180 inches tall (2.6 MB of PNG) while the run waited 9 s for it, and no page holds it. The
# most widespread are drawn, in their order, and the title says how many of how many; every table has them all.
MAX_ROWS = 40
MAX_COLS = 40
_SVG_META = {"Date": None, "Creator": "condense"}
# zlib's fastest level for the PNGs, written as RGB where the figure is opaque (always, with its white face):
# matplotlib writes RGBA at zlib's default level (6). The sample's three PNGs, encoding alone: 56, 90 and 129
# ms as RGBA at 6, 22, 40 and 56 ms as RGB at 1, for files of the same size (105, 150 and 289 KB before; 104,
# 152, 285 KB); the same pixels.
PNG_LEVEL = 1


#: lines a label may take in a figure; a longer one ends in "…" (the tables and the report keep it whole)
MAX_LABEL_LINES = 4


def _wrap(label: str, width: int = 34) -> str:
    """A label in lines of ``width`` characters, at most :data:`MAX_LABEL_LINES` of them: a code name of 100,000
    characters from another program's project made a figure thousands of lines tall, and drawing it ran out of
    memory after five minutes (std::bad_alloc, a traceback) where the tables had been written in seconds."""
    label = str(label)
    lines = textwrap.wrap(label, width, max_lines=MAX_LABEL_LINES, placeholder=" …")
    return "\n".join(lines) if lines else label[:width * MAX_LABEL_LINES]


def _save(fig, folder: Path, name: str) -> list[Path]:
    return [write_file(folder / f"{name}.{fmt}", data) for fmt, data in _render(fig)]  # the one file layer


def _render(fig) -> list[tuple[str, bytes]]:
    """(format, bytes) of one figure: SVG, then PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)  # Agg draws, whatever backend pyplot uses elsewhere (no pyplot here)
    # the tight box once, in inches, for both files (bbox_inches="tight" would draw each figure twice more)
    box = fig.get_tightbbox(canvas.get_renderer()).padded(0.1)
    # a figure laid out by tight_layout keeps a placeholder layout engine, and with an engine savefig first
    # lays the whole figure out once more in a renderer of its own, for the same files: the sample's
    # prevalence bars, SVG 0.21 -> 0.15 CPU s (min of 3)
    fig.set_layout_engine(None)
    svg = io.BytesIO()
    fig.savefig(svg, format="svg", bbox_inches=box, metadata=_SVG_META)
    fig.savefig(_Discard(), format="rgba", bbox_inches=box, dpi=DPI)  # Agg's pixels, as savefig's PNG has them
    return [("svg", svg.getvalue()), ("png", _png(canvas.buffer_rgba()))]


class _Discard:
    """A file that keeps nothing: savefig's raw format draws into the canvas, whose buffer is then read in
    place, not copied into a file (11 MB for the sample's theme × case)."""

    def seek(self, *_):
        return 0

    def write(self, data):
        return len(data)


def _png(pixels: memoryview) -> bytes:
    """A PNG of Agg's pixels (rows × columns × 4), as RGB where every pixel is opaque, at :data:`PNG_LEVEL`;
    with the figure's dpi and no other metadata (no software stamp, no date)."""
    from PIL import Image

    height, width, _ = pixels.shape
    image = Image.frombuffer("RGBA", (width, height), pixels, "raw", "RGBA", 0, 1)
    if image.getextrema()[3][0] == 255:  # opaque: the alpha channel says nothing
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format="png", compress_level=PNG_LEVEL, dpi=(DPI, DPI))
    return out.getvalue()


def _heatmap(grid: Grid, title: str, col_width: float = 0.62, row_height: float = 0.34):
    import numpy as np

    values = np.array([[c.value for c in row] for row in grid.cells], dtype=float)
    n_rows, n_cols = values.shape
    from matplotlib import colormaps
    from matplotlib.figure import Figure

    fig = Figure(figsize=(max(4.0, 2.6 + col_width * n_cols), max(2.2, 1.3 + row_height * n_rows)))
    ax = fig.subplots()
    vmax = max(1.0, float(values.max()) if values.size else 1.0)
    ax.imshow(values, cmap=CMAP, vmin=0, vmax=vmax, aspect="auto", interpolation="nearest")
    shades = colormaps[CMAP](values / vmax)
    luminance = shades[..., :3] @ (0.2126, 0.7152, 0.0722)
    _numbers(ax, [(c, r, f"{int(values[r, c])}", "white" if luminance[r, c] < 0.5 else "black")
                  for r in range(n_rows) for c in range(n_cols)], ha="center")
    ax.set_xticks(range(n_cols), [_wrap(c, 18) for c in grid.cols], rotation=45, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(n_rows), [_wrap(r) for r in grid.rows])
    # white rules between the cells: one collection, not a minor tick (two lines, two labels, a grid line) each
    ax.vlines([x - 0.5 for x in range(1, n_cols)], -0.5, n_rows - 0.5, colors="white", linewidths=1.2, zorder=1.5, capstyle="projecting")
    ax.hlines([y - 0.5 for y in range(1, n_rows)], -0.5, n_cols - 0.5, colors="white", linewidths=1.2, zorder=1.5, capstyle="projecting")
    for spine in ax.spines.values():
        spine.set_visible(False)
    if grid.row_groups:  # a rule and the dimension's name where the dimension changes
        starts = [i for i, g in enumerate(grid.row_groups) if i == 0 or g != grid.row_groups[i - 1]]
        for i in starts:
            if i:
                ax.axhline(i - 0.5, color="black", linewidth=1.5)
            ax.text(n_cols - 0.4, i - 0.5, f" {grid.row_groups[i]}", ha="left", va="top", fontsize=8,
                    fontweight="bold", clip_on=False)
    ax.set_xlabel(grid.col_title)
    ax.set_ylabel(grid.row_title)
    ax.set_title(title, loc="left")
    return fig


def _numbers(ax, placed: list, ha: str, fontsize: float = 8) -> None:
    """Counts (a heatmap's cells, the bars') drawn as ``ax.text(x, y, label, ha=ha, va="center")`` would place
    them, but as glyph outlines: one PathCollection per distinct label, not one Text per cell. Each Text is
    laid out, looked up in the font cache and rasterised on its own in every pass (the tight box, the SVG,
    the PNG): theme × case's 234 cells were most of its drawing time. A label here holds digits only, so the
    SVG comments the consent audit reads (one per Text) lose nothing it looks for. ``placed``: (x, y in
    data coordinates, label, colour); the collections keep each label as their ``get_label()``."""
    from matplotlib.collections import PathCollection
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath
    from matplotlib.transforms import IdentityTransform

    prop = FontProperties(size=fontsize)  # the family of figure_style
    spots: dict[str, list] = {}
    for x, y, label, colour in placed:  # in order of first appearance: the same SVG every time
        spots.setdefault(label, []).append((x, y, colour))
    for label, where in spots.items():
        path = TextPath(_baseline_start(label, prop, ha), label, prop=prop)  # in points, the anchor at (0, 0)
        ax.add_collection(PathCollection(
            [path], sizes=[1], offsets=[(x, y) for x, y, _ in where], offset_transform=ax.transData,
            transform=IdentityTransform(), facecolors=[c for _, _, c in where], edgecolors="none", linewidths=0,
            zorder=3, clip_on=False, label=label), autolim=False)  # sizes=[1]: points → pixels at any dpi


def _baseline_start(label: str, prop, ha: str) -> tuple[float, float]:
    """Where, in points from the anchor, a one-line Text with this ``ha`` and ``va="center"`` starts its
    baseline: its box is centred on the anchor, as high as the font's ascent and descent (the OS/2 table's,
    as matplotlib's layout takes them) or the label's own, whichever is larger."""
    from matplotlib.font_manager import findfont, get_font
    from matplotlib.textpath import text_to_path

    width, height, descent = text_to_path.get_text_width_height_descent(label, prop, ismath=False)
    font = get_font(findfont(prop))
    table, up, down = font.get_sfnt_table("OS/2"), "sTypoAscender", "sTypoDescender"
    if table is None:
        table, up, down = font.get_sfnt_table("hhea"), "ascent", "descent"
    scale = prop.get_size_in_points() / font.get_sfnt_table("head")["unitsPerEm"]
    ascent = max(height - descent, table[up] * scale)
    descent = max(descent, -table[down] * scale)
    return (-width / 2 if ha == "center" else 0.0), (descent - ascent) / 2


def _prevalence(data: ReportData, s: dict):
    sections = [(sec["label"], [r for r in sec["rows"] if not r["is_sub"]]) for sec in data.themes]
    sections = [(label, rows) for label, rows in sections if rows]
    n_themes = sum(len(rows) for _, rows in sections)
    sections = _most_widespread(sections)
    n_bars = sum(len(rows) for _, rows in sections)
    heights = [len(rows) + 1.2 for _, rows in sections]
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, 0.9 + 0.3 * n_bars + 0.4 * len(sections)))
    axes = fig.subplots(len(sections), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)
    total = _cases_total(data, sections)
    over = s["over_cases"]
    for ax, (label, rows) in zip(axes[:, 0], sections):
        counts = [r["n_cases"] for r in rows]
        ys = range(len(rows))
        ax.barh(ys, counts, color="#3b6a9c", edgecolor="black", linewidth=0.5, height=0.7)
        _numbers(ax, [(n + total * 0.01, y, f"{n}", "black") for y, n in zip(ys, counts)], ha="left")
        ax.set_yticks(list(ys), [_wrap(r["label"], 40) for r in rows])
        ax.invert_yaxis()
        ax.set_xlim(0, max(total, 1) * 1.08)  # a table without cases has total 0 (matplotlib warns on equal limits)
        ax.set_title(_wrap(label, 90), loc="left", fontsize=10)
        ax.spines[["top", "right"]].set_visible(False)
    axes[-1, 0].set_xlabel(s["figure_prevalence_x"].format(over=over, total=total))
    title = s["figure_prevalence"] + (s["figure_most"].format(n=n_bars, total=n_themes) if n_bars < n_themes else "")
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    fig.tight_layout()
    return fig


def _most_widespread(sections: list) -> list:
    """The :data:`MAX_ROWS` themes in the most cases (ties: the first listed), each section's in its order."""
    places = [(k, i) for k, (_, rows) in enumerate(sections) for i in range(len(rows))]
    keep = {places[j] for j in _largest([sections[k][1][i]["n_cases"] for k, i in places], MAX_ROWS)}
    kept = [(label, [r for i, r in enumerate(rows) if (k, i) in keep]) for k, (label, rows) in enumerate(sections)]
    return [(label, rows) for label, rows in kept if rows]


def _trimmed(grid: Grid, title: str, s: dict) -> tuple[Grid, str]:
    """A heatmap of at most :data:`MAX_ROWS` rows and :data:`MAX_COLS` columns: those holding the most units, in
    their order; the title says how many of how many are shown."""
    n_rows, n_cols = len(grid.rows), len(grid.cols)
    if n_rows <= MAX_ROWS and n_cols <= MAX_COLS:
        return grid, title
    rows = _largest([sum(c.value for c in row) for row in grid.cells], MAX_ROWS)
    cols = _largest([sum(row[j].value for row in grid.cells) for j in range(n_cols)], MAX_COLS)
    trimmed = dataclasses.replace(
        grid, rows=[grid.rows[i] for i in rows], cols=[grid.cols[j] for j in cols],
        cells=[[grid.cells[i][j] for j in cols] for i in rows],
        row_groups=[grid.row_groups[i] for i in rows] if grid.row_groups else [])
    shown = []
    if len(rows) < n_rows:
        shown.append(s["figure_most_rows"].format(n=len(rows), total=n_rows))
    if len(cols) < n_cols:
        shown.append(s["figure_most_cols"].format(n=len(cols), total=n_cols))
    return trimmed, f"{title} ({'; '.join(shown)})"


def _largest(totals: list[int], n: int) -> list[int]:
    """Indices of the ``n`` largest totals (ties: the first), in their order."""
    return sorted(sorted(range(len(totals)), key=lambda i: (-totals[i], i))[:n])


def _cases_total(data: ReportData, sections: list) -> int:
    """What the bars are counted out of: cases (plans), as the issue's readers compare plans (the report's
    tables give both). A theme's ``n_cases`` counts an interview that names no case as a case of its own,
    as the themes table does, so its total is the table's (``data.total`` when it counts cases), not the
    number of named cases: with interviews outside cases.csv that was too small, the bars ran past the
    axis and their numbers stretched the figure metres wide. Never below the largest bar."""
    most = max((r["n_cases"] for _, rows in sections for r in rows), default=1)
    named = data.total if data.over == "cases" and data.total else data.material.get("cases")
    return max(named or 0, most)


def make_figures(data: ReportData) -> dict:
    """The figures as matplotlib ``Figure`` objects (no pyplot, no global state), by file name stem.

    Call inside :func:`figure_style` (as :func:`write_figures` does) so that they are drawn and saved with
    the same settings.
    """
    return {name: build() for name, build in _builders(data).items()}


def _builders(data: ReportData) -> dict:
    """File name stem → a function that makes that figure, in the order the figures are listed."""
    s = strings(data.language)
    heat = _heatmap_specs(data.language, data.grids, data.theme_case)
    builders = {name: partial(_heatmap, *spec) for name, spec in heat.items() if name != "theme_case"}
    if any(not r["is_sub"] for sec in data.themes for r in sec["rows"]):
        builders["theme_prevalence"] = partial(_prevalence, data, s)
    if "theme_case" in heat:
        builders["theme_case"] = partial(_heatmap, *heat["theme_case"])
    return builders


def _heatmap_specs(language: str, grids: list[Grid], theme_case: Grid | None) -> dict:
    """File name stem → the arguments of :func:`_heatmap` for each heatmap drawn."""
    s = strings(language)
    specs = {grid.key: _trimmed(grid, f"{grid.title} — {s['figure_matrix'].lower()}", s)
             for grid in grids if grid.rows and grid.cols}
    if theme_case is not None and theme_case.rows and theme_case.cols:
        specs["theme_case"] = (*_trimmed(theme_case, s["figure_theme_case"], s), 0.42, 0.3)
    return specs


def _shown(spec: tuple) -> tuple:
    """All of a heatmap's arguments that it draws (a grid's unit lists are not): equal, the same bytes."""
    grid, *rest = spec
    return (*rest, grid.key, grid.title, grid.row_title, grid.col_title, tuple(grid.rows), tuple(grid.cols),
            tuple(grid.row_groups), tuple(tuple(cell.value for cell in row) for row in grid.cells))


def figure_style():
    """The matplotlib settings of condense's figures, as a context manager."""
    import matplotlib

    return matplotlib.rc_context(_RC)


def write_figures(data: ReportData, folder: Path, *, split: bool = False, early=None) -> list[Path]:
    """Write the figures into ``folder`` (created); returns the files written, SVG and PNG of each. With
    ``split`` (a process with a core to itself and ``fork``), a forked child renders about half of them
    (:func:`_rendered_beside`); ``early`` (:class:`_Early`): heatmaps rendered ahead, used where they show
    what ``data`` shows. Same bytes."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    from .._entry import command_line_process

    if command_line_process():  # drawn in the command's own process (one core): nobody reads the docstrings
        _import_undocumented()
    with figure_style():
        builders = _builders(data)
        ready = early.matching(_heatmap_specs(data.language, data.grids, data.theme_case)) if early else set()
        figures = {name: build() for name, build in builders.items() if name not in ready}
        beside = _rendered_beside(figures) if split else {}
        written = {name: _save(fig, folder, name) for name, fig in figures.items() if name not in beside}
        rendered_elsewhere = (beside.pop(None)() if beside else []) + (early.collect(ready) if early else [])
        for name, rendered in rendered_elsewhere:
            if rendered is None:  # the child failed: rendered here
                rendered = _render(figures[name] if name in figures else builders[name]())
            written[name] = [write_file(folder / f"{name}.{fmt}", data) for fmt, data in rendered]
    return [p for name in builders for p in written[name]]


def _rendered_beside(figures: dict) -> dict:
    """Fork a child that renders about half of the figures (by their texts and area) and sends their bytes
    back (:func:`_forked`). Returns {name: None for each figure it renders, None: a function that waits and
    returns [(name, [(format, bytes)] or None)]}."""
    from matplotlib.text import Text

    if len(figures) < 2:
        return {}
    # what rendering costs grows with the texts drawn and the area rasterised (sample, make + render, min of
    # 10: 27 texts on 17 square inches 0.19 CPU s, 112 on 56 0.48 s, 72 on 54 0.45 s; the counts are no texts)
    sizes = {name: len(fig.findobj(Text)) + 2 * fig.get_figwidth() * fig.get_figheight() for name, fig in figures.items()}
    mine, theirs, load = [], [], [0.0, 0.0]
    for name in sorted(sizes, key=lambda n: (-sizes[n], n)):
        side = 0 if load[0] <= load[1] else 1
        (theirs if side == 0 else mine).append(name)
        load[side] += sizes[name]
    child = _Forked(lambda: [(name, _render(figures[name])) for name in theirs])

    def answers():
        got = dict(child.result() or [])
        return [(name, got.get(name)) for name in theirs]

    return {**{name: None for name in theirs}, None: answers}


class _Forked:
    """``job()`` computed in a forked child and sent back through a pipe; the child writes nothing, and when
    this process ends first (a cancelled run) it ends on the broken pipe."""

    def __init__(self, job):
        import os
        import pickle

        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: compute, send, leave without running anything of the parent's
            os.close(read)
            try:
                with os.fdopen(write, "wb") as out:
                    pickle.dump(job(), out)
            finally:
                os._exit(0)
        os.close(write)
        self.read = read

    def result(self):
        """The value (None when the child failed: the caller does its work itself); the child is reaped."""
        import os
        import pickle

        try:
            with os.fdopen(self.read, "rb") as answer:
                value = pickle.load(answer)
        except Exception:  # noqa: BLE001 - the child failed
            value = None
        os.waitpid(self.pid, 0)
        return value

    def cancel(self) -> None:
        """Stop the child, unread."""
        import os
        import signal

        os.close(self.read)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)


class _Early:
    """Heatmaps made and rendered in a child of the figures' process while the pipeline condenses
    (:func:`draw_heatmaps`): what each shows, and their bytes once the figures are written."""

    def __init__(self, language: str, grids: list[Grid], theme_case: Grid | None):
        specs = _heatmap_specs(language, grids, theme_case)
        self.shown = {name: _shown(spec) for name, spec in specs.items()}

        def job():  # at the same priority as the run: a lower one starved it on a loaded machine (it waited 12 s)
            with figure_style():
                return [(name, _render(_heatmap(*spec))) for name, spec in specs.items()]

        self.child = _Forked(job)

    def matching(self, specs: dict) -> set[str]:
        """The heatmaps of ``specs`` drawn ahead as they are."""
        return {name for name, spec in specs.items() if self.shown.get(name) == _shown(spec)}

    def collect(self, names) -> list[tuple[str, list | None]]:
        """[(name, [(format, bytes)] or None when the child failed)] of ``names``; the child is reaped (and
        stopped, when none of its heatmaps is wanted). Call once."""
        if not names:
            self.child.cancel()
            return []
        got = dict(self.child.result() or [])
        return [(name, got.get(name)) for name in names]


WAIT = 180  # seconds a drawing process may take before the figures are drawn in the calling process


class _Drawing:
    """Figures being drawn in a forked process; :meth:`result` waits for them, :meth:`cancel` stops it."""

    def __init__(self, data: ReportData, folder: Path, process, receive):
        self.data, self.folder, self.process, self.receive = data, folder, process, receive

    def result(self) -> list[Path]:
        """The files written. Should the process have failed (or not answered within WAIT seconds), it is
        stopped and the figures are drawn here instead (raising whatever stopped it, as a run without the
        second process would)."""
        paths = None
        try:
            if self.receive.poll(WAIT):
                paths = self.receive.recv()
        except EOFError:  # the process ended without an answer
            pass
        self._stop(grace=10 if paths is not None else 0)
        if not isinstance(paths, list):
            return write_figures(self.data, self.folder)
        return [Path(p) for p in paths]

    def cancel(self) -> None:
        """Stop drawing (the run failed elsewhere): nothing is written into the folder after this returns."""
        self._stop(grace=0)

    def _stop(self, grace: float) -> None:
        self.process.join(grace)  # an answered process is exiting: give it the time
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.receive.close()


class _Drawn:
    """Figures drawn already (no second process)."""

    def __init__(self, written: list[Path]):
        self.written = written

    def result(self) -> list[Path]:
        return self.written

    def cancel(self) -> None:
        pass


def _draw(data: ReportData, folder: Path, send, early=None, parent_end=None) -> None:
    import os
    import sys
    import warnings

    from ..parallel import close_parent_ends

    close_parent_ends(parent_end)

    # Forked while another thread (the progress display) may hold the lock of stdout or stderr: the child
    # never writes to them, so such a lock cannot stop it. The parent reports whatever goes wrong.
    sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the child
    warnings.simplefilter("ignore")
    try:
        send.send([str(p) for p in write_figures(data, folder, split=True, early=early)])
    except BaseException:  # noqa: BLE001 - the parent draws again and meets the error itself
        send.send(None)
    finally:
        send.close()


_PREPARED: list = []  # a process forked by prepare_figures, waiting for its figures: (process, send job, receive)


def prepare_figures() -> None:
    """Fork now, before the pipeline runs, the process that will draw the figures: it imports matplotlib
    while the pipeline runs and then waits for :func:`start_figures` to hand it the figures (the import is
    half a CPU second of the drawing process that otherwise comes after the tables). Nothing happens without
    a second core or ``fork``; a prepared process nobody uses ends with its parent."""
    import multiprocessing as mp

    from ..parallel import available_jobs

    if _PREPARED or available_jobs(0) < 2 or "fork" not in mp.get_all_start_methods():
        return
    _matplotlib_folder()
    context = mp.get_context("fork")
    job_receive, job_send = context.Pipe(duplex=False)
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_wait_and_draw, args=(job_receive, send, job_send, receive), daemon=True)
    process.start()
    job_receive.close()
    send.close()
    _PREPARED.append((process, job_send, receive))


def _matplotlib_folder() -> None:
    """Before forking the process that imports matplotlib: when the folders matplotlib keeps its settings and
    font list in cannot be written (no home folder, a read-only one), a temporary folder for them that this
    process removes when it ends. matplotlib makes one itself then and removes it at exit, but the forked
    process ends without running exit handlers: each run left a /tmp/matplotlib-XXXXXXXX behind for good."""
    import atexit
    import os
    import shutil
    import sys
    import tempfile

    if os.environ.get("MPLCONFIGDIR"):
        return
    try:
        home = Path.home()
        folders = ([Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config") / "matplotlib",
                    Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache") / "matplotlib"]
                   if sys.platform.startswith("linux") else [home / ".matplotlib"])  # as matplotlib chooses them
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
        if all(folder.is_dir() and os.access(folder, os.W_OK) for folder in folders):
            return
    except (OSError, RuntimeError, KeyError):  # no home folder, or one that cannot be written
        pass
    try:
        folder = tempfile.mkdtemp(prefix="condense-matplotlib-")
    except OSError:  # matplotlib says what it needs itself
        return
    os.environ["MPLCONFIGDIR"] = folder
    atexit.register(shutil.rmtree, folder, True)


def _wait_and_draw(jobs, send, *parent_ends) -> None:
    """The prepared figures' process: it waits for its job, and ends when its parent ends without one (it
    holds none of the parent's pipe ends, so the wait ends on EOF)."""
    import os
    import sys

    from ..parallel import close_parent_ends

    close_parent_ends(*parent_ends)

    sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - as in _draw
    try:
        _import_undocumented()  # now, used once the job comes
    except BaseException:  # noqa: BLE001 - the drawing itself meets (and reports) whatever failed here
        pass
    early = None
    try:
        job = jobs.recv()
        if job[0] == _HEATMAPS:  # the heatmaps, ahead of the rest (draw_heatmaps)
            early = _start_early(*job[1:])
            job = jobs.recv()
        data, folder = job
    except (EOFError, OSError):  # the parent went on without figures
        if early is not None:
            early.collect(())
        send.close()
        return
    _draw(data, folder, send, early)


def _import_undocumented() -> None:
    """Import the matplotlib modules the drawing uses under :class:`_setters_undocumented`, in a process of
    condense's own (the figures' process, or the command line drawing in its own process where it has one core:
    each one-core `condense run` imported them with every setter documented, 0.15-0.2 CPU s more). A library
    caller's process keeps matplotlib's docstrings: :func:`write_figures` calls this only in the command's."""
    import sys

    if "matplotlib.figure" in sys.modules:  # imported already, documented or not: nothing to save
        return
    try:
        with _setters_undocumented():
            import matplotlib.backends.backend_agg  # noqa: F401
            import matplotlib.backends.backend_svg  # noqa: F401
            import matplotlib.figure  # noqa: F401
    except Exception:  # noqa: BLE001 - the drawing itself meets (and reports) whatever failed here
        pass


class _setters_undocumented:
    """While the drawing process imports matplotlib: ``matplotlib.artist.kwdoc`` answers with no text. As each
    Artist subclass is defined, matplotlib writes the docstring of its ``set`` from ``kwdoc``, which inspects
    every setter and parses its docstring: 0.11-0.13 of the import's 0.6 CPU s (min of 3), for docstrings this
    process never shows. Nothing drawn depends on them (the figures are the same bytes); the real ``kwdoc`` is
    back once the imports are done."""

    def __enter__(self):
        try:
            import matplotlib.artist as artist
        except ImportError:  # the drawing reports it
            self.module = None
            return self
        self.module, self.kwdoc = artist, getattr(artist, "kwdoc", None)
        if self.kwdoc is not None:
            artist.kwdoc = _no_kwdoc
        return self

    def __exit__(self, *exc) -> None:
        if self.module is not None and self.kwdoc is not None:
            self.module.kwdoc = self.kwdoc


def _no_kwdoc(artist) -> str:
    """What ``matplotlib.artist.kwdoc`` gives while :class:`_setters_undocumented` holds: no text."""
    return ""


_HEATMAPS = "heatmaps"  # the first item of draw_heatmaps' message


def _start_early(language: str, grids: list, theme_case) -> _Early | None:
    try:
        return _Early(language, grids, theme_case)
    except Exception:  # noqa: BLE001 - e.g. no fork: the heatmaps are drawn with the rest
        return None


def draw_heatmaps(language: str, grids: list[Grid], theme_case: Grid | None) -> bool:
    """Hand the heatmaps (report_data.heatmaps) to the figures' process prepared by :func:`prepare_figures`,
    which starts rendering them at once: they are known once the codings are final, and so drawn while
    condensation runs, not after every table is made. When the figures come (:func:`start_figures`), those
    that show the same are taken as rendered, the others drawn again. False when there is no such process."""
    if not _PREPARED:
        return False
    process, job_send, _ = _PREPARED[-1]
    try:
        if not process.is_alive():
            return False
        job_send.send((_HEATMAPS, language, grids, theme_case))
    except (OSError, ValueError):
        return False
    return True


def prepared() -> bool:
    """Whether a figures' process is prepared (:func:`prepare_figures`) and waiting."""
    return bool(_PREPARED)


def _hand_over(data: ReportData, folder: Path):
    """The prepared process, given the figures to draw (None when there is none, or it is gone)."""
    import dataclasses

    if not _PREPARED:
        return None
    process, job_send, receive = _PREPARED.pop()
    try:
        if not process.is_alive():
            raise OSError("the prepared process has ended")
        job_send.send((dataclasses.replace(data, payload={}, lists=[]), Path(folder)))  # the figures' part only
    except (OSError, ValueError):
        process.terminate()
        process.join()
        receive.close()
        return None
    finally:
        job_send.close()
    return _Drawing(data, Path(folder), process, receive)


def start_figures(data: ReportData, folder: Path):
    """Start writing the figures (as :func:`write_figures`) and return at once: drawing them takes about two
    CPU seconds, most of a small run's writing, so where a second core and ``fork`` are available a forked
    process draws them while the caller writes the other files (the one :func:`prepare_figures` forked, if
    any). Same bytes either way. Call ``result()`` for the files written, or ``cancel()`` when the run fails
    before that."""
    import multiprocessing as mp

    from ..parallel import available_jobs

    if available_jobs(0) < 2 or "fork" not in mp.get_all_start_methods():
        return _Drawn(write_figures(data, folder))
    prepared = _hand_over(data, folder)
    if prepared is not None:
        return prepared
    context = mp.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_draw, args=(data, Path(folder), send, None, receive), daemon=True)
    process.start()
    send.close()
    return _Drawing(data, Path(folder), process, receive)
