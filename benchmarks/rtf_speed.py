"""Reading speed of .rtf transcripts against the same interviews as .docx, in words per CPU second.

The interviews of ../shared/data/ecape_da (.docx) are written out as RTF into a temporary folder (nothing is
kept), twice: in the plain style WordPad writes (one ``\\par`` per paragraph, letters as ``\\'e6``), and in the
style Word writes (every paragraph and run with its own formatting words: ``\\pard\\plain … \\rtlch\\fcs1 …``,
five times the bytes). Each is read with condense's reader (``read_source``) and with ``striprtf``'s
``rtf_to_text``; the .docx files with ``read_source``. Best of ``--repeat`` passes, CPU seconds
(``time.process_time``). Without ecape_da the sample's .txt interviews are used instead (said in the output).

    python benchmarks/rtf_speed.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from condense.errors import Diagnostics  # noqa: E402
from condense.ingest.sources import read_source  # noqa: E402

ECAPE = ROOT.parent / "shared" / "data" / "ecape_da"
PLAIN_HEAD = r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss\fcharset0 Arial;}}\viewkind4\uc1\pard\f0\fs20 "
WORD_HEAD = (r"{\rtf1\adeflang1025\ansi\ansicpg1252\uc1\adeff31507\deff0\deflang1030\deflangfe1030"
             r"{\fonttbl{\f0\fbidi \froman\fcharset0\fprq2{\*\panose 02020603050405020304}Times New Roman;}}"
             r"{\colortbl;\red0\green0\blue0;}{\stylesheet{\ql \li0\ri0\sa160\sl259\slmult1 Normal;}}"
             r"{\*\rsidtbl \rsid1574\rsid1183}{\info{\author X}}\paperw11906\paperh16838 ")
WORD_PARAGRAPH = (r"\pard\plain \ltrpar\ql \li0\ri0\sa160\sl259\slmult1\widctlpar\wrapdefault\aspalpha\aspnum\faauto"
                  r"\adjustright\rin0\lin0\itap0 \rtlch\fcs1 \af31507\afs22\alang1025 \ltrch\fcs0 \fs22\lang1030"
                  r"\langfe1033\cgrid\langnp1030\langfenp1033 {\rtlch\fcs1 \af31507 \ltrch\fcs0 \insrsid1574 ")


def escaped(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "\\{}":
            out.append("\\" + ch)
        elif ch == "\t":
            out.append(r"\tab ")
        elif code < 128:
            out.append(ch)
        elif code < 256:
            out.append(f"\\'{code:02x}")
        else:
            out.append(f"\\u{code if code < 32768 else code - 65536}?")
    return "".join(out)


def write_rtf(texts: dict[str, str], folder: Path, word_style: bool) -> list[Path]:
    paths = []
    for name, text in texts.items():
        if word_style:
            body = "".join(WORD_PARAGRAPH + escaped(p) + r"}{\insrsid1183 \par }" + "\n" for p in text.split("\n"))
        else:
            body = "".join(escaped(p) + "\\par\n" for p in text.split("\n"))
        path = folder / f"{name}.rtf"
        path.write_text((WORD_HEAD if word_style else PLAIN_HEAD) + body + "}", encoding="ascii")
        paths.append(path)
    return paths


def best(read, paths: list[Path], repeat: int) -> tuple[float, int]:
    """The fastest of ``repeat`` passes (CPU seconds) and the words read."""
    times, words = [], 0
    for _ in range(repeat):
        start = time.process_time()
        words = sum(len(read(p).split()) for p in paths)
        times.append(time.process_time() - start)
    return min(times), words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from striprtf.striprtf import rtf_to_text

    originals = sorted(ECAPE.glob("*.docx")) if ECAPE.exists() else sorted((ROOT / "transcripts_sample").glob("*.txt"))
    print(f"corpus: {ECAPE if ECAPE.exists() else 'transcripts_sample (ecape_da absent)'}, {len(originals)} files")
    ours = lambda p: read_source(p, Diagnostics()).text  # noqa: E731
    theirs = lambda p: rtf_to_text(p.read_text("ascii"))  # noqa: E731
    seconds, words = best(ours, originals, args.repeat)
    print(f"{originals[0].suffix:<18} condense  {words:>8} words {seconds:6.2f} s {words / seconds:>10,.0f} words/s")
    texts = {p.stem: read_source(p, Diagnostics()).text for p in originals}
    with tempfile.TemporaryDirectory() as tmp:
        for style in (False, True):
            folder = Path(tmp) / ("word" if style else "plain")
            folder.mkdir()
            paths = write_rtf(texts, folder, style)
            size = sum(p.stat().st_size for p in paths) / 1e6
            for name, read in (("condense", ours), ("striprtf", theirs)):
                seconds, words = best(read, paths, args.repeat)
                print(f".rtf {'Word' if style else 'plain'} {size:5.1f} MB {name:<9} {words:>8} words {seconds:6.2f} s "
                      f"{words / seconds:>10,.0f} words/s")


if __name__ == "__main__":
    main()
