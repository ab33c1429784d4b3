"""What a researcher would print, measured on three corpora: the Danish sample, the real Danish interviews of
../shared/data/ecape_da (written by others, not about housing) and the English sample.

Per corpus: golden quotes (sentence checks, share containing their sub-group's matched words, repeats,
quotes from interviewers / notes / consent-introduction-closing exchanges), condensate drafts (longest
verbatim run from one unit, small talk, notes text) and, for Danish runs, English words in report.md and
results.xlsx outside names and ids.

    python benchmarks/publishable.py
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from condense.drafts import longest_shared_run  # noqa: E402
from condense.pipeline import run, write_results  # noqa: E402
from condense.project import default_project, folder_project, load_project  # noqa: E402
from condense.quotes import contains_matched, formal_exchange, matched_words, quote_problems  # noqa: E402

ECAPE = ROOT.parent / "shared" / "data" / "ecape_da"
SMALL_TALK = ("held og lykke", "send bare en mail", "tak for", "hej hej", "farvel", "good luck", "thank you")


def measure(name: str, project) -> None:
    from condense.i18n import english_words

    result = run(project)
    lang = result.codebook.language
    themes = result.tables["themes"]
    by_id = {u.unit_id: u for u in result.segmentation.units}
    quoted = themes[themes.golden_quote != ""]
    failing = [(r.golden_unit_id, quote_problems(r.golden_quote, by_id[r.golden_unit_id].text, lang), r.golden_quote[:70])
               for r in quoted.itertuples()]
    failing = [f for f in failing if f[1]]
    problems = len(failing)
    with_words = sum(1 for r in quoted.itertuples()
                     if (lambda m: not m or contains_matched(r.golden_quote, m))(
                         matched_words(result.codings, set(r.unit_ids.split(";")), r.dimension, r.theme, r.subtheme)))
    bad_source = sum(1 for r in quoted.itertuples() if by_id[r.golden_unit_id].role != "respondent"
                     or by_id[r.golden_unit_id].speaker == "notes" or formal_exchange(by_id[r.golden_unit_id], lang))
    repeats = len(quoted) - quoted.golden_unit_id.nunique()
    drafts = themes[themes.condensate != ""]
    longest, small, notes = 0, 0, 0
    notes_text = [u.text for u in by_id.values() if u.speaker == "notes"]
    for r in drafts.itertuples():
        members = [by_id[i].text for i in r.unit_ids.split(";") if i in by_id]
        longest = max(longest, longest_shared_run(r.condensate, members))
        small += any(s in r.condensate.lower() for s in SMALL_TALK)
        notes += bool(notes_text) and longest_shared_run(r.condensate, notes_text) >= 10
    print(f"{name}: {len(themes)} rows · quotes {len(quoted)}: sentence-check failures {problems}, with matched words "
          f"{with_words}/{len(quoted)} ({with_words / max(1, len(quoted)):.0%}), interviewer/notes/formal {bad_source}, "
          f"repeats {repeats} · drafts {len(drafts)}: longest verbatim run {longest} words, small talk {small}, "
          f"notes text {notes}")
    for f in failing[:3]:
        print("   sentence check:", f)
    if lang == "da":
        with tempfile.TemporaryDirectory() as d:
            out = write_results(result, Path(d) / "out")
            report = english_words((out / "report.md").read_text(encoding="utf-8"))
            from openpyxl import load_workbook

            wb = load_workbook(out / "results.xlsx", read_only=True)
            cells = " ".join(str(c) for ws in wb for row in ws.iter_rows(max_row=1, values_only=True) for c in row)
            cells += " " + " ".join(wb.sheetnames)
            sheet = english_words(cells)
        print(f"   English words: report.md {sorted(report) or 'none'}; workbook headers/sheets {sorted(sheet) or 'none'}")


def main() -> None:
    measure("sample (da)", default_project())
    if ECAPE.exists():
        measure("ecape_da (real, not ours)", folder_project(ECAPE))
    else:
        print("ecape_da skipped (../shared/data/ecape_da absent)")
    measure("sample (en)", load_project(ROOT / "transcripts_sample" / "en" / "condense.yaml"))


if __name__ == "__main__":
    main()
