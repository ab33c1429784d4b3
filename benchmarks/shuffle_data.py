"""The shuffle_music coding (../shared/data/shuffle_music) as meaning units and level-2 labels.

Real coding by other researchers: 796 answers, 74 level-3 codes. The level-3 → level-2 hierarchy is read
from the analysts' own workbook: every cell of sheet ``Level 2 SUM`` is ``=SUM('ALL_Level 3 '!K2:X2)`` over
a column range of the level-3 sheet, so the range's header names are that category's codes. One category
(``Negative Evaluations``) holds the constant 0 instead of a formula; its code is the one level-3 column no
formula covers between its neighbours (``Negative``, column E), and we give it that code. ``No relationship``
and ``Participating in the study`` are in no range: an answer with only those has no level-2 category.

Units: one per answer (id ``<participant>_<track>``, transcript = participant, so grouped folds never put
one person's two answers on both sides).
"""
from __future__ import annotations

import csv
import re
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "shuffle_music"
WORKBOOK = DATA / "QUAL THEMES_ Reorg_22.02.19.xlsx"
LONG = DATA / "shuffle_music_coded_LONG.csv"
_RANGE = re.compile(r"!\$?([A-Z]+)\$?\d+(?::\$?([A-Z]+)\$?\d+)?")


def available() -> bool:
    return WORKBOOK.exists() and LONG.exists()


def hierarchy() -> dict[str, str]:
    """level-3 code (stripped) → level-2 category (stripped), from the workbook's formulas."""
    import warnings

    import openpyxl
    from openpyxl.utils import column_index_from_string as col

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl: "Unknown extension is not supported"
        wb = openpyxl.load_workbook(WORKBOOK, read_only=True)
    level3 = [str(c or "").strip() for c in next(wb["ALL_Level 3 "].iter_rows(min_row=1, max_row=1, values_only=True))]
    rows = wb["Level 2 SUM "].iter_rows(min_row=1, max_row=2, values_only=True)
    names, formulas = next(rows), next(rows)
    wb.close()
    out: dict[str, str] = {}
    covered: set[int] = set()
    constant: list[tuple[int, str]] = []
    for i, (name, f) in enumerate(zip(names, formulas)):
        if i < 2 or name is None:
            continue
        m = _RANGE.search(str(f)) if isinstance(f, str) else None
        if m is None:
            constant.append((i, str(name).strip()))
            continue
        a, b = col(m.group(1)), col(m.group(2) or m.group(1))
        for c in range(a, b + 1):
            out[level3[c - 1]] = str(name).strip()
            covered.add(c)
    # a category without a formula takes the uncovered column(s) between its neighbours' ranges
    for _, name in constant:
        gaps = [c for c in range(3, max(covered)) if c not in covered]
        for c in gaps:
            out.setdefault(level3[c - 1], name)
            covered.add(c)
    return out


def load(language: str = "en"):
    """(units, labels, categories): labels = {"level2": {unit id: set of categories}}."""
    from condense.ingest.excerpts import read_excerpts

    level2 = hierarchy()
    answers: dict[str, dict] = {}
    with LONG.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            text = " ".join((r["full_response_text"] or "").split())
            if not text:
                continue
            uid = f"{int(r['participant_id']):03d}_{r['track_id'].strip()}"
            a = answers.setdefault(uid, {"text": text, "participant": f"p{int(r['participant_id']):03d}", "codes": set()})
            a["codes"].add(r["code_level3"].strip())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "shuffle.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["id", "text", "transcript"])
            for uid in sorted(answers):
                w.writerow([uid, answers[uid]["text"], answers[uid]["participant"]])
        units = read_excerpts(path, language=language)
    labels = {"level2": {uid: {level2[c] for c in a["codes"] if c in level2} for uid, a in answers.items()}}
    categories = sorted(set(level2.values()))
    return units, labels, categories


def codebook_yaml() -> str:
    """A codebook made from the analysts' own category names: one multi-label dimension ``level2``, each level-2
    category a theme whose terms are the words of its level-3 code names (a name of several words is an
    ``all_of`` entry: "Time or Stage in Life" needs time, stage and life in one sentence). No word was chosen
    by us, so the rules fit this data no better than a new user's first codebook would."""
    import yaml

    from condense.codebook import slugify

    per: dict[str, list[str]] = {}
    for code, category in sorted(hierarchy().items()):
        per.setdefault(category, []).append(code)
    themes = []
    for category in sorted(per):
        terms, all_of = [], []
        for name in sorted(set(per[category]) | {category}):
            for part in re.split(r"[/\-]", name):
                part = part.strip().lower()
                if not part:
                    continue
                target = all_of if " " in part else terms
                if part not in target:
                    target.append(part)
        theme = {"id": slugify(category), "label": category, "terms": terms}
        if all_of:
            theme["all_of"] = all_of
        themes.append(theme)
    book = {"codebook": "shuffle_music_level2", "label": "shuffle_music level-2 categories", "language": "en",
            "dimensions": [{"id": "level2", "label": "Level-2 category", "multi_label": True, "themes": themes}]}
    return yaml.safe_dump(book, allow_unicode=True, sort_keys=False)
