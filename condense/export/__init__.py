"""Writing results: CSV tables (UTF-8 with BOM so Excel shows æ, ø and å), xlsx, report, manifest."""
from __future__ import annotations

from pathlib import Path

CSV_ENCODING = "utf-8-sig"


def write_csv(df, path: Path) -> None:
    """Deterministic CSV: fixed column order, LF line ends, no index."""
    df.to_csv(path, index=False, encoding=CSV_ENCODING, lineterminator="\n")


def write_tables(result, folder: Path) -> list[Path]:
    written = []
    for name, df in result.tables.items():
        path = folder / f"{name}.csv"
        write_csv(df, path)
        written.append(path)
    return written
