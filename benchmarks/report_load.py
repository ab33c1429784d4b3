"""Size and load time of report.html in headless Chromium (Debian's /usr/bin/chromium through Playwright).

Corpus: the 30 real Danish interviews in ../shared/data/ecape_da with the default Danish codebook. With
``--scale K`` the run's tables are repeated K times (unit and transcript ids made distinct) before the report
is rendered, to see whether a report of ~100,000 units stays usable.

Timings, each the median of ``--repeat`` fresh pages: ``load`` = navigation start until the page's script
has parsed the data and drawn the first list (``html[data-ready]``); ``list`` = clicking the largest matrix
cell until its list is drawn; ``unit`` = opening a unit until its context is drawn; ``filter`` = choosing
a theme in the filter until the list is redrawn. The last line is
``size_bytes=<int> units=<int> load_ms=<int> list_ms=<int> unit_ms=<int> filter_ms=<int>``.

    python benchmarks/report_load.py [--corpus DIR] [--scale 10] [--repeat 3]
"""
from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ECAPE = ROOT.parent / "shared" / "data" / "ecape_da"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


def scaled(result, k: int):
    """The run with every unit (and its codings) repeated k times under distinct ids."""
    import pandas as pd

    if k <= 1:
        return result
    t = dict(result.tables)

    def rename(ids: str, sep: str, copy: int) -> str:
        return sep.join(f"{u.strip()}~{copy}" for u in str(ids).split(sep.strip()) if u.strip())

    units = []
    for copy in range(k):
        u = t["units"].copy()
        u["unit_id"] = u["unit_id"] + f"~{copy}"
        u["transcript"] = u["transcript"] + f"~{copy}"
        units.append(u)
    t["units"] = pd.concat(units, ignore_index=True)
    segs = []
    for copy in range(k):
        s = t["segments"].copy()
        s["unit_id"] = s["unit_id"] + f"~{copy}"
        segs.append(s)
    t["segments"] = pd.concat(segs, ignore_index=True)
    themes = t["themes"].copy()
    themes["unit_ids"] = [";".join(rename(v, ";", c) for c in range(k)) for v in themes["unit_ids"]]
    themes["n_units"] = themes["n_units"] * k
    themes.attrs = dict(t["themes"].attrs)
    t["themes"] = themes
    for name in [n for n in t if n.startswith("matrix_")]:
        m = t[name].copy()
        m["n_units"] = m["n_units"] * k
        t[name] = m
    if "candidates" in t and not t["candidates"].empty:
        c = t["candidates"].copy()
        c["unit_ids"] = ["; ".join(rename(v, "; ", cp) for cp in range(k)) for v in c["unit_ids"]]
        t["candidates"] = c
    return dataclasses.replace(result, tables=t)


def measure(path: Path, repeat: int) -> dict:
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {"load": [], "list": [], "unit": [], "filter": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        for _ in range(repeat):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            errors, network = [], []
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                          else (network.append(r.request.url), r.abort()))
            page = context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(path.resolve().as_uri(), wait_until="commit")
            page.wait_for_selector("html[data-ready='1']", timeout=120_000)
            times["load"].append(page.evaluate("performance.now()"))
            # the largest cell of the first matrix
            href = page.evaluate("""() => { let best = null, n = -1;
              for (const a of document.querySelectorAll('table.heatmap a.cell')) {
                const v = Number(a.querySelector('.count').textContent.replace(/[.,]/g, ''));
                if (v > n) { n = v; best = a.getAttribute('href'); } } return best; }""")
            t0 = time.perf_counter()
            page.evaluate(f"location.hash = {href!r}")
            page.wait_for_function("document.querySelectorAll('#unit-list > li').length > 0")
            times["list"].append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            page.locator("#unit-list a").first.click()
            page.wait_for_selector("#unit-view mark#current-unit")
            times["unit"].append((time.perf_counter() - t0) * 1000)
            page.evaluate("location.hash = '#list=0'")
            t0 = time.perf_counter()
            page.select_option("#filter-theme", index=1)
            page.wait_for_function("document.getElementById('list-status').textContent.length > 0")
            times["filter"].append((time.perf_counter() - t0) * 1000)
            if errors or network:
                raise SystemExit(f"console errors {errors[:3]} / network requests {network[:3]}")
            context.close()
        browser.close()
    return {k: statistics.median(v) for k, v in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ECAPE)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not args.corpus.exists():
        raise SystemExit(f"{args.corpus} is not present")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")
    from condense.export.html import write_html
    from condense.export.report_data import build_report_data
    from condense.pipeline import run
    from condense.project import folder_project

    t0 = time.perf_counter()
    result = scaled(run(folder_project(args.corpus)), args.scale)
    data = build_report_data(result)
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = write_html(result, Path(tmp), data)
        t2 = time.perf_counter()
        size = path.stat().st_size
        n_units = len(data.payload["units"])
        print(f"corpus: {args.corpus.name} ×{args.scale}: {len(result.corpus.transcripts)} transcripts, "
              f"{n_units:,} units; run+report data {t1 - t0:.1f} s, render+write {t2 - t1:.2f} s")
        m = measure(path, args.repeat)
    print(f"report.html {size / 1e6:.2f} MB; in Chromium (median of {args.repeat}): load {m['load']:.0f} ms, "
          f"open the largest matrix cell {m['list']:.0f} ms, open a unit {m['unit']:.0f} ms, "
          f"filter by theme {m['filter']:.0f} ms")
    print(f"size_bytes={size} units={n_units} load_ms={m['load']:.0f} list_ms={m['list']:.0f} "
          f"unit_ms={m['unit']:.0f} filter_ms={m['filter']:.0f}")


if __name__ == "__main__":
    main()
