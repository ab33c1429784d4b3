"""Regenerate a published, externally coded study's theme table with `condense tables`.

The study: "Do the Shuffle" (796 open answers coded by its authors in three levels), read in place from
../shared/data/shuffle_music (never copied: its licence is not confirmed). Its published counts per code
(the data README's top ten, answers per code) are compared with the units of our level-3 rows; the three
shapes of the same coding (the analysts' workbook, the long table, the wide grid) must give the same
table. Prints one line per published code and the totals.

    python benchmarks/published_tables.py [OUT]
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from condense.coded import tables_from_coded  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "shuffle_music"
PUBLISHED = {"Positive": 505, "No relationship": 403, "Artist": 344, "Musical Expressive Characteristics": 297,
             "Album": 208, "Musical Meaning": 180, "Time or Stage in Life": 163, "Lyrics": 146, "Beat": 134,
             "Genre": 126}
COUNTS = ["dimension", "theme", "subtheme", "level", "n_units", "n_interviews", "n_mentions", "quantifier"]


def main(out: Path) -> int:
    if not DATA.exists():
        print(f"{DATA} is absent; nothing to measure")
        return 0
    book = tables_from_coded(DATA / "QUAL THEMES_ Reorg_22.02.19.xlsx", out / "workbook",
                             columns="Participant Number=interview,Track ID=unit,Full Text=text")
    codebook = out / "workbook" / "codebook.yaml"
    long = tables_from_coded(DATA / "shuffle_music_coded_LONG.csv", out / "long", codebook=codebook,
                             columns="participant_id=interview,track_id=unit,full_response_text=text,"
                                     "code_level3=code,coded_text_excerpt=excerpt")
    wide = tables_from_coded(DATA / "shuffle_music_coded_WIDE.csv", out / "wide", codebook=codebook,
                             columns="Participant Number=interview,Track ID=unit,Full Text=text")
    themes = book.tables["themes"]
    label = themes["subtheme_label"].where(themes["subtheme"] != "", themes["theme_label"]).str.strip()
    print(f"{'code':38} {'published':>9} {'condense':>9}")
    ok = 0
    for code, n in PUBLISHED.items():
        ours = themes[(label == code) & (themes["n_units"] > 0)].sort_values("level").iloc[-1]["n_units"]
        ok += ours == n
        print(f"{code:38} {n:9d} {ours:9d}")
    same = all(r.tables["themes"][COUNTS].equals(themes[COUNTS]) for r in (long, wide))
    top = themes[themes["level"] == 1]
    print(f"\n{ok}/{len(PUBLISHED)} published counts reproduced; long table and wide grid give the same counts "
          f"as the workbook: {same}")
    print(f"{book.coded.n_applications} code applications read, {int(top['n_mentions'].sum())} in the level-1 rows; "
          f"{len(book.coded.units)} answers, {top['n_interviews'].max()} participants at most per theme")
    return 0 if ok == len(PUBLISHED) and same else 1


if __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.exit(main(Path(sys.argv[1])))
    with tempfile.TemporaryDirectory() as tmp:
        sys.exit(main(Path(tmp)))
