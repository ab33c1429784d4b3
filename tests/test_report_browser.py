"""report.html in a real browser: Debian's Chromium (/usr/bin/chromium) driven by Playwright.

Playwright never downloads a browser here; without Chromium (or Playwright) these tests skip and say why.
The sample's report and a small hostile one are built once per module; one browser serves every test.
"""
from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path
from urllib.parse import quote

import pytest

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
CHROMIUM = os.environ.get("CONDENSE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]

if not Path(CHROMIUM).exists():
    pytest.skip(f"Chromium is not installed ({CHROMIUM} missing): `apt-get install chromium` to run the browser "
                "tests (.ci/run does)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")

HOSTILE = "<script>window.__pwned = 1</script>"
HOSTILE_IMG = '<img src=x onerror="window.__pwned = 2">'
HOSTILE_LINK = "[se her](javascript:window.__pwned=3) og <a href=\"javascript:window.__pwned=4\">klik</a>"
HOSTILE_END = "</script><!-- \u2028 \u2029 -->"
CODEBOOK = """\
codebook: fjendtlig
language: da
dimensions:
  - id: fase
    label: Fase
    themes:
      - {id: planlaegning, label: Planlægning, terms: [planlægge, planlægning, budget]}
      - {id: evaluering, label: Evaluering, terms: [evaluering, evaluere]}
  - id: deltagelse
    label: Deltagelse
    themes:
      - {id: beboer, label: Beboerne bestemte, phrases: [bestemte selv]}
      - {id: professionel, label: Vi bestemte, phrases: [vi besluttede]}
"""


def _hostile_interview(i: int) -> str:
    return textwrap.dedent(f"""\
        ---
        id: int{i}
        cases: ["Plan{i} <b>fed</b>"]
        interviewer_labels: [I]
        ---
        I: Hvordan planlagde I budgettet? {HOSTILE}

        R: Vi planlagde budgettet sammen, og beboerne bestemte selv. {HOSTILE} Det var en god planlægning.

        I: Og evalueringen?

        R: Vi besluttede at evaluere hver måned. {HOSTILE_IMG} Se {HOSTILE_LINK} i evalueringen. {HOSTILE_END}

        I: Er der noget, I vil tilføje om planlægningen?

        R: Ja, planlægningen af budgettet var svær det første år.

        M: Og evalueringen tog lang tid, fordi vi besluttede alting sammen med beboerne.
        """)


@pytest.fixture(scope="module")
def reports(tmp_path_factory, sample_run):
    """The sample's report and a hostile project's report (transcripts with scripts, images, js: links)."""
    from condense.pipeline import run, write_results
    from condense.project import load_project

    root = tmp_path_factory.mktemp("reports")
    sample = sample_run[1]  # conftest: the session's one run of the sample
    hostile = root / "hostile"
    (hostile / "transcripts").mkdir(parents=True)
    for i in (1, 2):
        (hostile / "transcripts" / f"int{i}.txt").write_text(_hostile_interview(i), encoding="utf-8")
    (hostile / "transcripts" / "cases.csv").write_text(
        'case,region\n"Plan1 <b>fed</b>",<script>window.__pwned=5</script>\n"Plan2 <b>fed</b>",Syd\n', encoding="utf-8")
    (hostile / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (hostile / "condense.yaml").write_text("transcripts: transcripts\ncases: transcripts/cases.csv\n"
                                           "codebook: codebook.yaml\noutput: results\n", encoding="utf-8")
    hostile_out = write_results(run(load_project(hostile / "condense.yaml")), hostile / "results")
    return {"sample": sample / "report.html", "hostile": hostile_out / "report.html"}


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


class Page:
    """A page of a report, with every console message, page error and non-file request recorded."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=True)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.network: list[str] = []
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))

        def guard(route):
            if route.request.url.startswith("file:"):
                route.continue_()
            else:  # nothing may leave the page: record and block it
                self.network.append(route.request.url)
                route.abort()

        self.context.route("**/*", guard)
        self.context.on("request", lambda r: None if r.url.startswith("file:") else self.network.append(r.url))
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_selector("html[data-ready='1']", timeout=15000)

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def sample_page(browser, reports):
    page = Page(browser, reports["sample"])
    yield page
    page.close()


# A hash change is routed by the page's hashchange handler, which the browser runs as a task of its own after
# the click, key press or assignment that changed the hash: a test reads the page only once the route is done.
UNIT_SHOWN = """id => { const v = document.getElementById('unit-view');
  return !v.hidden && document.getElementById('unit-view-h').textContent.endsWith(' ' + id); }"""


def _go(page, hash_: str) -> None:
    """Set the page's hash (as a link would) and wait until the report has routed it."""
    page.evaluate("h => { location.hash = h; }", hash_)
    _routed(page, hash_)


def _routed(page, hash_: str) -> None:
    from urllib.parse import unquote

    if hash_.startswith("#unit="):
        page.wait_for_function(UNIT_SHOWN, arg=unquote(hash_[6:]), timeout=10000)
    else:  # #list=N: the list's own title shown, no unit open
        page.wait_for_function("""n => document.getElementById('unit-view').hidden &&
            document.getElementById('list-title').textContent ===
            JSON.parse(document.getElementById('report-data').textContent).listLabels[n]""",
                               arg=int(hash_[6:]), timeout=10000)


def _follow(page, link) -> None:
    """Click a link (to a unit or a list) and wait until the report has routed it."""
    href = link.get_attribute("href")
    link.click()
    _routed(page, href)


LINK_CHECK = """() => {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const ids = new Set(data.units.map(u => u[0]));
  const bad = [];
  for (const a of document.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href');
    if (!href.startsWith('#')) { bad.push(href); continue; }
    const h = href.slice(1);
    if (h.startsWith('list=')) { const n = Number(h.slice(5)); if (!(n >= 0 && n < data.lists.length)) bad.push(href); }
    else if (h.startsWith('unit=')) { if (!ids.has(decodeURIComponent(h.slice(5)))) bad.push(href); }
    else if (!document.getElementById(h)) bad.push(href);
  }
  return {n: document.querySelectorAll('a[href]').length, bad};
}"""


def test_sample_report_loads_without_errors_or_network(sample_page):
    assert sample_page.console == []
    assert sample_page.network == []
    assert sample_page.page.locator("h1").inner_text().startswith("Rapport")  # the codebook is Danish


def test_every_link_of_the_sample_report_resolves(sample_page):
    page = sample_page.page
    static = page.evaluate(LINK_CHECK)
    assert static["n"] > 100 and static["bad"] == []
    # the links the script builds: a list of units and a unit's context
    _go(page, "#list=0")
    _follow(page, page.locator("#unit-list a").first)
    dynamic = page.evaluate(LINK_CHECK)
    assert dynamic["n"] > static["n"] and dynamic["bad"] == []


def test_every_count_opens_exactly_its_units(sample_page):
    """A matrix cell's number is the length of the list it opens, and the list shows that many units."""
    page = sample_page.page
    mismatches = page.evaluate("""() => {
      const data = JSON.parse(document.getElementById('report-data').textContent);
      const out = [];
      for (const a of document.querySelectorAll('table.heatmap a.cell')) {
        const n = Number(a.querySelector('.count').textContent.replace(/\\./g, ''));
        const list = data.lists[Number(a.getAttribute('href').slice(6))];
        if (list.length !== n) out.push([a.getAttribute('aria-label'), n, list.length]);
      }
      return out;
    }""")
    assert mismatches == []
    cell = page.locator("#matrix_fase_x_deltagelse a.cell").nth(3)
    n = int(cell.locator(".count").inner_text().replace(".", ""))
    _follow(page, cell)
    assert page.locator("#unit-list > li").count() == min(n, 100)


def test_opening_a_unit_shows_it_highlighted_under_its_question(sample_page):
    page = sample_page.page
    first = page.locator("#matrix_fase_x_deltagelse a.cell").first
    cell_href = first.get_attribute("href")
    first.focus()
    page.keyboard.press("Enter")  # keyboard only
    _routed(page, cell_href)  # the cell's list, not the one shown before it
    link = page.locator("#unit-list a").first
    href = link.get_attribute("href")
    link.focus()
    page.keyboard.press("Enter")
    _routed(page, href)
    view = page.locator("#unit-view")
    assert view.is_visible()
    assert page.evaluate("document.activeElement.id") == "unit-view-h"
    unit_id = page.evaluate("decodeURIComponent(location.hash.slice(6))")
    data = page.evaluate("JSON.parse(document.getElementById('report-data').textContent)")
    unit = next(u for u in data["units"] if u[0] == unit_id)
    mark = page.locator("#unit-view mark#current-unit")
    assert mark.inner_text().strip() == unit[6].strip()
    # the interviewer's question stands above the highlighted unit
    question = page.locator("#unit-context .question.main")
    assert question.inner_text().strip().endswith(data["questions"][unit[5]].strip())
    q_box, m_box = question.bounding_box(), mark.bounding_box()
    assert q_box["y"] + q_box["height"] <= m_box["y"] + 1
    meta = page.locator("#unit-meta").inner_text()
    assert data["transcripts"][unit[1]] in meta and data["speakers"][unit[3]] in meta
    assert sample_page.console == []


def test_anonymous_units_show_no_speaker_and_no_case(sample_page, reports):
    import pandas as pd

    units = pd.read_csv(reports["sample"].parent / "units.csv", encoding="utf-8-sig", keep_default_na=False)
    anonymous = units[units.anonymous.astype(str) == "True"]
    assert len(anonymous) > 0  # the sample has an anonymous respondent
    page = sample_page.page
    uid = anonymous.unit_id.iloc[0]
    _go(page, "#unit=" + quote(uid, safe=""))
    meta = page.locator("#unit-meta").inner_text()
    assert "anonym" in meta
    for case in set(anonymous.cases) - {""}:
        assert case not in meta
    data = page.evaluate("JSON.parse(document.getElementById('report-data').textContent)")
    anon_ids = set(anonymous.unit_id)
    assert all(u[3] == -1 and u[4] == [] for u in data["units"] if u[0] in anon_ids)


def test_filters_narrow_the_list(sample_page):
    page = sample_page.page
    _go(page, "#list=0")
    total = page.locator("#list-status").inner_text()
    page.select_option("#filter-case", index=1)
    case = page.locator("#filter-case option:checked").inner_text()
    items = page.locator("#unit-list > li > a")
    assert 0 < items.count() <= 100 and page.locator("#list-status").inner_text() != total
    assert all(case in t for t in items.all_inner_texts())
    page.select_option("#filter-case", index=0)
    page.select_option("#filter-speaker", index=1)
    speaker = page.locator("#filter-speaker option:checked").inner_text()
    assert all(f"· {speaker}" in t for t in items.all_inner_texts())
    page.select_option("#filter-speaker", index=0)
    page.select_option("#filter-theme", index=1)
    assert items.count() > 0


def test_matrix_screenshot_is_not_blank(sample_page, tmp_path):
    import io

    import numpy as np
    from PIL import Image

    shot = sample_page.page.locator("#matrix_fase_x_deltagelse-table").screenshot()
    pixels = np.asarray(Image.open(io.BytesIO(shot)).convert("L"), dtype=float)
    assert pixels.shape[0] > 100 and pixels.shape[1] > 300
    assert pixels.std() > 20  # shaded cells, text: far from a flat image
    assert len(np.unique(pixels.round())) > 30


def test_printing_hides_the_browser_and_keeps_the_tables(sample_page):
    page = sample_page.page
    page.emulate_media(media="print")
    try:
        assert not page.locator("#units").is_visible() and not page.locator("nav").is_visible()
        assert page.locator("#matrix_fase_x_deltagelse-table").is_visible()
    finally:
        page.emulate_media(media="screen")


def test_planted_markup_in_a_transcript_renders_as_text_and_never_runs(browser, reports):
    page = Page(browser, reports["hostile"])
    try:
        p = page.page
        assert p.evaluate("window.__pwned") is None
        assert p.locator("img").count() == 0 and p.locator("[onerror]").count() == 0
        assert p.locator("a[href^='javascript']").count() == 0
        assert p.locator("script").count() == 2  # the data block and our script
        _go(p, "#list=0")
        listed = p.locator("#unit-list").inner_text()
        assert HOSTILE in listed or "<script>" in listed
        _follow(p, p.locator("#unit-list a").first)
        context = p.locator("#unit-context").inner_text()
        assert "<script>" in context  # the question and the answer, shown as the text they are
        for a in p.locator("a[href]").all():
            assert a.get_attribute("href").startswith("#")
        assert "Plan1 <b>fed</b>" in p.locator("body").inner_text()
        assert p.locator("b").count() == 0
        assert p.evaluate("window.__pwned") is None
        assert page.network == []
        assert page.console == []  # not even a blocked script: nothing was injected
    finally:
        page.close()


def test_a_question_answered_by_two_speakers_stands_once_above_both(browser, reports):
    page = Page(browser, reports["hostile"])
    try:
        p = page.page
        uid = p.evaluate("""() => JSON.parse(document.getElementById('report-data').textContent)
            .units.find(u => u[6].startsWith('Og evalueringen tog lang tid'))[0]""")
        _go(p, "#unit=" + quote(uid, safe=""))
        questions = p.locator("#unit-context .question").all_inner_texts()
        assert sum("vil tilføje om planlægningen" in q for q in questions) == 1
        main = p.locator("#unit-context .question.main").inner_text()
        assert main.strip().endswith("Er der noget, I vil tilføje om planlægningen?")
        turns = p.locator("#unit-context .turn").all_inner_texts()
        assert any("planlægningen af budgettet var svær" in t for t in turns)  # the other answer, shown too
        assert page.console == []
    finally:
        page.close()
