"""Held-out phase coding: Danish answers phrased by someone other than the codebook's authors.

Usage:  python benchmarks/coding_heldout.py [--set A|B|both] [--misses]

Two sets of about forty short answers, written for this benchmark in the study's domain (resident involvement
in the health activities of social-housing master plans) the way respondents talk: words between the parts of a
fixed expression ("døde desværre lidt ud"), inflected verbs, pronouns, fillers ("altså", "jo"), negations of
something other than the phase ("vi lavede ikke selv spørgeskemaer, men vi læste analysen"), compounds and
everyday words for an idea ("brainstormede", "fandt på", "stafetten"). Each answer carries the phase (the
``fase`` dimension of the default Danish codebook) a careful researcher would give it, or none: six answers per
set are negative controls about other things (the worker's background, the estate, what health means).

Set A is for development: look at its misses (``--misses``). Set B is held out: measure it at the start and
at the end of a change, and do not read its misses while working, or it stops measuring anything.

Each answer is coded as a bare excerpt (no interviewer question, no guide section), through the same reader as
``condense run`` on a .csv of excerpts, with the default Danish codebook. Printed: per phase, recall and
precision; overall (micro) recall and precision over the answers that have a phase; the share of answers with
a phase that got none; the share of negative controls that got one; and one summary line per set.
"""
from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from condense.codebook import load_codebook  # noqa: E402
from condense.coding import Coder  # noqa: E402
from condense.ingest.excerpts import read_excerpts  # noqa: E402

PHASES = ("vidensindsamling", "ideudvikling", "planlaegning", "gennemfoerelse", "forankring", "evaluering")
V, I, P, G, F, E, NONE = PHASES + ("",)

# Set A: development. (answer, phase or "" for none)
SET_A = [
    ("Jamen vi gik jo ud og bankede på hos folk, altså rigtig mange døre, og spurgte til hvordan de havde det "
     "med helbredet.", V),
    ("Vi fik nogle tal fra kommunen om hvor mange der røg og sådan noget, og dem brugte vi til at finde ud af, "
     "hvor vi skulle sætte ind.", V),
    ("Før vi gik i gang, interviewede vi faktisk en del af beboerne for at høre, hvad de manglede.", V),
    ("Vi delte nogle skemaer ud i opgangene, som folk kunne udfylde, og så talte vi dem sammen bagefter for at "
     "se, hvad der var brug for.", V),
    ("Meget af det ved man jo bare, fordi man går rundt herude hver dag og snakker med folk ved containerne.", V),
    ("Vi lavede ikke selv nogen spørgeskemaer, men vi læste den boligsociale analyse grundigt igennem og "
     "kiggede på sundhedsprofilen.", V),
    ("Vi brainstormede sammen med beboerne en aften i fælleshuset, og der kom rigtig mange gode bud på "
     "aktiviteter.", I),
    ("Idéen til løbeklubben kom faktisk fra en af mødrene, hun kom ind på kontoret og spurgte, om vi ikke kunne "
     "lave sådan noget.", I),
    ("Det var beboerne, der fandt på at lave en fællesspisning, det var ikke os.", I),
    ("Vi havde sådan en postkasse, hvor folk kunne lægge deres ønsker, og så valgte vi nogle af dem ud.", I),
    ("Vi holdt et stort fremtidsværksted, hvor folk skrev på gule sedler, hvad de drømte om skulle ske i "
     "området.", I),
    ("Jeg hørte det egentlig bare nede i vaskeriet, at nogle af kvinderne gerne ville svømme, og så tænkte jeg, "
     "det kan vi da godt prøve.", I),
    ("Så holdt vi et par møder med de frivillige, hvor vi fik lagt en plan for, hvem der skulle gøre hvad og "
     "hvornår.", P),
    ("Beboerne var med til at bestemme, hvilken dag det skulle ligge, og de skaffede selv lokalet gennem "
     "afdelingsbestyrelsen.", P),
    ("Vi skulle finde penge til det, så vi søgte en pulje hos kommunen, og det tog noget tid at få budgettet på "
     "plads.", P),
    ("Selve tilrettelæggelsen stod vi for, for det var lidt for kompliceret til, at beboerne kunne gå ind i "
     "det.", P),
    ("Vi mødtes en gang om ugen i styregruppen og aftalte de praktiske ting, indkøb, nøgler og sådan.", P),
    ("Vi havde ikke ret meget tid, men vi fik da lavet en tidsplan sammen med foreningen.", P),
    ("Da det først kørte, var det faktisk beboerne selv, der stod i køkkenet og lavede maden hver torsdag.", G),
    ("Der var en fast flok frivillige, der hjalp til ved arrangementerne, de satte borde op og ryddede op "
     "bagefter.", G),
    ("Selve træningen blev afholdt af en instruktør fra kommunen, så beboerne deltog mest bare.", G),
    ("Vi kørte holdet to gange om ugen hele foråret, og der kom omkring femten hver gang.", G),
    ("Det var mig, der låste op og stod for det praktiske på dagen, men beboerne hjalp godt til.", G),
    ("De frivillige mødte op hver gang og tog sig af de nye, der kom, det betød meget.", G),
    ("Vi har prøvet at få beboerforeningen til at tage over, så det kan fortsætte, når helhedsplanen "
     "slutter.", F),
    ("Gåturene døde desværre lidt ud, da vi trak os.", F),
    ("Nu er det overgået til den lokale idrætsforening, og de kører det videre på egen hånd.", F),
    ("Vi tænkte fra starten, at det skulle kunne leve videre uden os, så vi gav stafetten videre til et par af de "
     "faste deltagere.", F),
    ("Kommunens sundhedscenter har lovet at overtage madholdet efter nytår.", F),
    ("Der er ikke flere penge efter næste år, så spørgsmålet er, om nogen vil bære det videre.", F),
    ("Vi talte op, hvor mange der kom hver gang, og det skrev vi ind i et skema til Landsbyggefonden.", E),
    ("Bagefter spurgte vi deltagerne, hvad de syntes om forløbet, bare sådan uformelt over en kop kaffe.", E),
    ("Vi fik lavet en evaluering til sidst, men ærligt talt blev den ikke brugt til ret meget.", E),
    ("Vi har ikke rigtig målt på, om folks sundhed er blevet bedre, vi har mest kigget på fremmødet.", E),
    ("Der var en ekstern konsulent, der fulgte projektet og lavede en rapport om, hvad der virkede.", E),
    ("Vi samlede op på det hele på et møde med beboerne, hvor vi snakkede om, hvad der skulle laves om næste "
     "gang.", E),
    ("Jeg har været ansat her siden 2012, før det arbejdede jeg på et bibliotek.", NONE),
    ("Vejret var jo forfærdeligt den sommer, det regnede næsten hver dag.", NONE),
    ("Mange af beboerne har altså ret dårligt helbred, og der er mange med sukkersyge.", NONE),
    ("Jeg synes, sundhed handler om meget mere end kost og motion, det handler også om at have nogen at snakke "
     "med.", NONE),
    ("Min datter går i børnehave lige ved siden af, så jeg kender området ret godt privat.", NONE),
    ("Det er et stort område med omkring tre tusind beboere og rigtig mange forskellige nationaliteter.", NONE),
]

# Set B: held out. Measure at the start and the end only; never read its misses while changing the coder.
SET_B = [
    ("Vi startede med at gå rundt til alle lejlighederne med en tolk og spørge ind til, hvad folk savnede i "
     "området.", V),
    ("Vi kiggede i de tal, som boligselskabet havde, om alder og beskæftigelse og så videre.", V),
    ("Der blev sendt et spørgeskema rundt til alle husstande, men der var ikke mange, der svarede.", V),
    ("Vi kendte jo godt folks behov, vi har været her i mange år og har snakket med dem i caféen.", V),
    ("Vi holdt nogle samtaler med små grupper af mødre for at blive klogere på, hvad de tænkte om sundhed.", V),
    ("Altså, det første halve år brugte vi faktisk mest på at lære området at kende og finde ud af, hvad der "
     "rørte sig.", V),
    ("Det var faktisk en af de ældre herrer, der kom med forslaget om en petanquebane.", I),
    ("Vi inviterede til et idémøde, og folk kom med alt muligt, fra yoga til lektiecafé.", I),
    ("Mange af tingene var jo lagt fast i ansøgningen, inden vi overhovedet kom ind over.", I),
    ("Vi snakkede med skolen og sundhedsplejen om, hvad man kunne finde på at lave for familierne.", I),
    ("Kvinderne ønskede sig selv et sted, hvor de kunne motionere uden mænd, så det byggede vi videre på.", I),
    ("Vi satte en tavle op i opgangen, hvor man kunne skrive sine idéer.", I),
    ("Vi nedsatte en lille arbejdsgruppe af beboere, som planlagde turen, bookede bussen og lavede "
     "programmet.", P),
    ("Det tunge med ansøgninger og økonomi klarede vi, for det er ikke noget, beboerne har lyst til at sidde "
     "med.", P),
    ("Vi holdt et par planlægningsmøder, hvor vi fordelte opgaverne imellem os.", P),
    ("Inden opstarten skulle vi have styr på forsikring, lokaler og hvem der havde nøglen.", P),
    ("Beboerne besluttede selv, hvordan pengene skulle bruges, vi hjalp bare med regnskabet.", P),
    ("Det tog lang tid at blive enige om en dato, fordi alle havde travlt.", P),
    ("Mødrene stod selv for at lave maden og servere den, når vi havde fællesspisning.", G),
    ("Det var en fysioterapeut, der trænede med dem, for vi turde ikke selv stå for det.", G),
    ("Vi havde heldigvis nogle gode hjælpere, der trådte til, når det brændte på.", G),
    ("Holdet mødtes hver tirsdag i gymnastiksalen, og der var god stemning.", G),
    ("Ved sommerfesten var der rigtig mange beboere, der gav en hånd med, nogen grillede, andre stod i "
     "boden.", G),
    ("Når vi så var i gang, så gik det egentlig bare af sig selv.", G),
    ("Det er svært at få det til at overleve, når vi ikke er her mere.", F),
    ("Vi overdrog cykelværkstedet til nogle af de unge, som nu selv driver det.", F),
    ("Håbet er, at beboerne fortsætter med gåturene, også når projektet er slut.", F),
    ("Løbeklubben lever stadig, den har fået sin egen forening og søger selv penge.", F),
    ("Vi skrev en aftale med fritidsklubben om, at de tager over efter os.", F),
    ("Da projektmedarbejderen stoppede, gik det hele i stå.", F),
    ("Vi førte lister over, hvem der deltog, så vi kunne se, om det var de samme, der kom.", E),
    ("Til sidst lavede vi en lille undersøgelse blandt deltagerne om, hvad de havde fået ud af det.", E),
    ("Vi snakkede med folk bagefter om, hvordan de havde oplevet det, og de var rigtig glade.", E),
    ("Vi skulle hvert år aflevere en statusrapport med antal deltagere og aktiviteter.", E),
    ("Vi har ikke fulgt op på det systematisk, det må jeg indrømme.", E),
    ("Vi vurderede løbende, om aktiviteterne ramte dem, vi gerne ville nå.", E),
    ("Jeg er uddannet socialrådgiver og har arbejdet i kommunen i mange år.", NONE),
    ("Der er meget larm om aftenen, og mange klager over de unge på p-pladsen.", NONE),
    ("Sundhed for mig er, at man trives og har det godt både fysisk og psykisk.", NONE),
    ("Bygningerne er fra halvfjerdserne og trænger til renovering.", NONE),
    ("Det er et dejligt område med meget grønt og en stor legeplads.", NONE),
    ("Jeg holder ferie i tre uger i juli, så jeg kan ikke nå mere før efteråret.", NONE),
]

SETS = {"A": SET_A, "B": SET_B}


def code_set(coder: Coder, answers: list[tuple[str, str]], tmp: Path, name: str) -> list[tuple[str, str, str]]:
    """(gold phase, coded phase or "", evidence) per answer, read as a .csv of excerpts like ``condense run``."""
    path = tmp / f"heldout_{name}.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "text"])
        for n, (text, _) in enumerate(answers, 1):
            writer.writerow([f"{name}{n:02d}", text])
    units = read_excerpts(path, language="da")
    coded = {c.unit_id: c for c in coder(units, None) if c.dimension == "fase"}
    out = []
    for unit, (_, gold) in zip(units, answers):
        c = coded.get(unit.unit_id)
        out.append((gold, c.theme if c else "", c.evidence if c else ""))
    return out


def report(name: str, answers: list[tuple[str, str]], results: list[tuple[str, str, str]], misses: bool) -> str:
    """Print per-phase and overall figures; return the summary line."""
    print(f"set {name}: {len(answers)} answers, {sum(1 for _, g in answers if g)} with a phase, "
          f"{sum(1 for _, g in answers if not g)} negative controls")
    print(f"  {'phase':18s} {'gold':>4s} {'coded':>5s} {'right':>5s} {'recall':>7s} {'precision':>9s}")
    for phase in PHASES:
        gold = sum(1 for g, _, _ in results if g == phase)
        got = sum(1 for _, c, _ in results if c == phase)
        right = sum(1 for g, c, _ in results if g == c == phase)
        print(f"  {phase:18s} {gold:4d} {got:5d} {right:5d} {_ratio(right, gold):>7s} {_ratio(right, got):>9s}")
    gold_n = sum(1 for g, _, _ in results if g)
    coded_n = sum(1 for _, c, _ in results if c)
    right = sum(1 for g, c, _ in results if g and g == c)
    silent = sum(1 for g, c, _ in results if g and not c)
    negatives = [c for g, c, _ in results if not g]
    false_neg_control = sum(1 for c in negatives if c)
    uncoded = sum(1 for _, c, _ in results if not c)
    if misses:
        for (text, _), (g, c, ev) in zip(answers, results):
            if g != c:
                print(f"  MISS gold={g or '-'} coded={c or '-'} [{ev}] {text}")
    line = (f"SUMMARY set {name}: recall {_ratio(right, gold_n)} ({right}/{gold_n}) precision "
            f"{_ratio(right, coded_n)} ({right}/{coded_n}) · answers with a phase coded nothing "
            f"{_ratio(silent, gold_n)} ({silent}/{gold_n}) · all answers coded nothing {_ratio(uncoded, len(results))} "
            f"· negative controls given a phase {false_neg_control}/{len(negatives)}")
    print(line)
    return line


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "-"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=("A", "B", "both"), default="both")
    ap.add_argument("--misses", action="store_true", help="print every answer coded other than its label")
    args = ap.parse_args(argv)
    coder = Coder(load_codebook(ROOT / "codebooks" / "beboerinddragelse.da.yaml"))
    names = ("A", "B") if args.set == "both" else (args.set,)
    lines = []
    with tempfile.TemporaryDirectory() as d:
        for name in names:
            answers = SETS[name]
            lines.append(report(name, answers, code_set(coder, answers, Path(d), name), args.misses))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
