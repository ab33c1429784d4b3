"""Would a researcher print it? Defects of the golden quotes, runner-ups and proposed labels, counted by kind.

Corpora: the Danish sample, the English sample, and the 30 real interviews of ../shared/data/ecape_da (written
by others, about household energy) twice: with a blank codebook (what ``condense init`` gives) and with a small
energy codebook written here (six themes, so that many rows get a quote to read). Every quote shown in
themes.csv (golden and runner-up) is checked; every sub-group proposal's label and every candidate's label too.

Quote defects (each quote counted once per kind it shows):
  lower start     the quote starts with a lower-case letter (a fragment)
  no stop         it does not end with . ! or ? (closing marks aside), or ends on "..", "…"
  question end    its last sentence asks (condense.quotes.is_question: a tag such as ", ikke?" asks nothing)
  inner break     a full stop inside it before a lower-case word, after a word of four letters or more (shorter
                  ones may be abbreviations: "kl.", "ca.") not glued to a number ("1100kr."), or a stop and a comma
                  together ("sig., op og ned"): a transcriber's slip printed as the quote
  answer start    it opens with an answer word or backchannel ("Ja, …", "Nej men …", "Yeah, …")
  answer sentence it opens with a whole sentence of five words or fewer that starts so ("Ja, det er der.")
  fillers         fillers ("øh", "altså", "um", "like") and words said twice in a row
                  are a tenth of its words or more
  unheard         a mark for words not heard ("(???)", "[inaudible]")
  false start     a word or two said again before the speaker goes on ("at jeg, at jeg fik")
  anaphor         its first sentence points at someone or something the quote has not named ("hun", "dem", "… fik
                  den ide.", "Den står …")
  placeholder     a transcriber's placeholder for a name or place ("[navn]", "[by]")
  turn end        its last sentence, short, turns to another episode ("… Men så blev jeg syg.")
                  (these four: condense.quotes.standalone_defects, which the scorer weighs)
  repeated        the same text is quoted on two rows (golden or runner-up) of one dimension
  across dims     ... or the same golden quote on rows of two dimensions (counted once per row after the first)
(A short last sentence after a longer one, "… Det gjorde de.", "… It doesn't.", was read and found printable.)
Label defects:
  stop word       a label word (in »…« / “…” or a candidate's words) is a stop word or filler
  form twice      two words of one label are forms of one word (a shared first part of four letters and one
                  of them a clipping of the other: "mikroen, mikroovnen")
  one-off word    a candidate's single word used in three units or fewer

    python benchmarks/quote_defects.py [--verbose]
"""
from __future__ import annotations

import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from condense.pipeline import run  # noqa: E402
from condense.project import default_project, folder_project, load_project  # noqa: E402
from condense.quotes import is_question, sentences, standalone_defects  # noqa: E402
from condense.stopwords import stop_words  # noqa: E402

ECAPE = ROOT.parent / "shared" / "data" / "ecape_da"
ENERGY_CODEBOOK = """\
codebook: energi
label: Energiforbrug i hjemmet
language: da
version: 1
description: Kodebog til interview om husholdningers energiforbrug (skrevet til denne måling).
dimensions:
  - id: tema
    label: Tema
    description: Hvad udsagnet handler om.
    multi_label: true
    themes:
      - id: opvarmning
        label: Opvarmning
        origin: predefined
        description: Varme i hjemmet.
        terms: [varme, radiator, termostat, varmepumpe, fjernvarme, gulvvarme, isolering, brændeovn, fyr]
        subthemes:
          - {id: termostater, label: Termostater, terms: [termostat, grader]}
          - {id: varmepumpe, label: Varmepumpe, terms: [varmepumpe]}
      - {id: priser, label: Priser og regninger, origin: predefined, description: Energipriser og regninger.,
         terms: [pris, regning, elregning, kroner, dyr, billig, spare penge, økonomi]}
      - {id: apparater, label: Apparater, origin: predefined, description: Maskiner i husholdningen.,
         terms: [vaskemaskine, opvaskemaskine, køleskab, fryser, ovn, tørretumbler, airfryer, mikroovn]}
      - {id: teknologi, label: Apps og målere, origin: predefined, description: Apps og målere.,
         terms: [app, måler, smart, data, strømforbrug, timer]}
      - {id: vaner, label: Vaner, origin: predefined, description: Ændrede vaner.,
         terms: [vane, bruse, slukke, lys, sparer, huske]}
      - {id: solceller, label: Solceller og elbil, origin: predefined, description: Egen produktion og transport.,
         terms: [solcelle, elbil, batteri, oplade]}
"""
ANSWER_WORDS = {"da": {"ja", "nej", "jo", "jamen", "næh", "nå", "ej", "okay", "mm", "mhm", "øh", "altså", "tja"},
                "en": {"yes", "yeah", "no", "nope", "well", "okay", "ok", "mm", "um", "uh", "erm", "right"}}
FILLERS = {"da": {"øh", "øhm", "æh", "altså", "ligesom", "jamen"}, "en": {"um", "uh", "erm", "like"}}
_WORD = re.compile(r"\w+")
_INNER_BREAK = re.compile(r"(?<![.\w])([^\W\d]\w*)\.\s+([a-zæøå]\w*)|\.,|,\.")
_QUOTED = re.compile(r"[»“]([^«”]+)[«”]")


def quote_defects(text: str, language: str) -> set[str]:
    kinds = set()
    words = [w.lower() for w in _WORD.findall(text)]
    if text[:1].islower():
        kinds.add("lower start")
    end = text.rstrip("\"”»«’')]")
    if end[-1:] not in ".!?" or end.endswith("..") or end.endswith("…"):
        kinds.add("no stop")
    spans = sentences(text)
    last = text[spans[-1][0]:spans[-1][1]] if spans else text
    if is_question(last, language):
        kinds.add("question end")
    for m in _INNER_BREAK.finditer(text):
        if m.group(1) is None or len(m.group(1)) > 3 or m.group(1)[:1].isupper():
            kinds.add("inner break")
    if words and words[0] in ANSWER_WORDS[language]:
        kinds.add("answer start")
        first = text[spans[0][0]:spans[0][1]] if spans else text
        if len(spans) > 1 and len(_WORD.findall(first)) <= 5:
            kinds.add("answer sentence")
    fill = sum(w in FILLERS[language] for w in words) + sum(a == b for a, b in zip(words, words[1:]))
    if words and fill >= len(words) / 10:
        kinds.add("fillers")
    if re.search(r"\?{2,}|\[(?:inaudible|unclear)|\((?:utydelig|uhørlig)", text):
        kinds.add("unheard")
    return kinds | standalone_defects(text, language)


def label_words(label: str) -> list[str]:
    inside = _QUOTED.findall(label)
    return [w.lower() for part in inside for w in _WORD.findall(part)]


def same_form(a: str, b: str) -> bool:
    short, long_ = sorted((a, b), key=len)
    n = len(next((p for p in (short[:k] for k in range(len(short), 3, -1)) if long_.startswith(p)), ""))
    return n >= 4 and len(short) - n <= 2 and a != b


def label_defects(words: list[str], language: str) -> set[str]:
    stop = stop_words(language)
    kinds = set()
    if any(w in stop for w in words):
        kinds.add("stop word")
    if any(same_form(a, b) for i, a in enumerate(words) for b in words[i + 1:]):
        kinds.add("form twice")
    return kinds


def measure(name: str, project, verbose: bool) -> None:
    result = run(project)
    lang = result.codebook.language
    themes = result.tables["themes"]
    quotes: Counter = Counter()
    shown = 0
    seen: dict[tuple[str, str], int] = Counter()
    examples: dict[str, str] = {}
    for r in themes.itertuples():
        for text in (r.golden_quote, r.runner_up_quote):
            if not text:
                continue
            shown += 1
            seen[(r.dimension, text)] += 1
            for kind in quote_defects(text, lang):
                quotes[kind] += 1
                examples.setdefault(kind, text[:110])
    quotes["repeated"] = sum(n - 1 for n in seen.values() if n > 1)
    golden = Counter(r.golden_quote for r in themes.itertuples() if r.golden_quote)
    quotes["across dims"] = sum(n - 1 for n in golden.values() if n > 1) - sum(
        n - 1 for (_, text), n in Counter((r.dimension, r.golden_quote) for r in themes.itertuples()
                                          if r.golden_quote).items() if n > 1)
    labels: Counter = Counter()
    n_labels = 0
    for r in themes.itertuples():
        if r.subtheme.startswith("_proposed"):
            n_labels += 1
            for kind in label_defects(label_words(r.subtheme_label), lang):
                labels[kind] += 1
                examples.setdefault(kind, r.subtheme_label)
    cands = result.tables.get("candidates")
    if cands is not None:
        for r in cands.itertuples():
            if r.candidate.startswith("_"):
                continue
            n_labels += 1
            words = [w.lower() for part in r.label.split(",") for w in _WORD.findall(part)]
            kinds = label_defects(words, lang)
            if len(words) == 1 and r.n_units <= 3:
                kinds.add("one-off word")
            for kind in kinds:
                labels[kind] += 1
                examples.setdefault(kind, r.label)
    q = ", ".join(f"{k} {v}" for k, v in sorted(quotes.items()) if v) or "none"
    lab = ", ".join(f"{k} {v}" for k, v in sorted(labels.items())) or "none"
    print(f"{name}: {shown} quotes shown ({sum(bool(k) for k in quotes.values())} kinds): {q}")
    print(f"   {n_labels} labels: {lab}")
    if verbose:
        for kind, text in sorted(examples.items()):
            print(f"   e.g. {kind}: {text}")


def main() -> None:
    verbose = "--verbose" in sys.argv
    measure("sample (da)", default_project(), verbose)
    measure("sample (en)", load_project(ROOT / "transcripts_sample" / "en" / "condense.yaml"), verbose)
    if not ECAPE.exists():
        print("ecape_da skipped (../shared/data/ecape_da absent)")
        return
    measure("ecape_da, blank codebook", folder_project(ECAPE), verbose)
    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "codebook.yaml").write_text(ENERGY_CODEBOOK, encoding="utf-8")
        (Path(d) / "condense.yaml").write_text(f"transcripts: {ECAPE}\ncodebook: codebook.yaml\nlanguage: da\n",
                                              encoding="utf-8")
        measure("ecape_da, energy codebook", load_project(Path(d) / "condense.yaml"), verbose)


if __name__ == "__main__":
    main()
