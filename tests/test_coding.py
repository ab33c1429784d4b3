"""The rule coder: lemma and compound matching, question cues, guide context, evidence, determinism."""
from __future__ import annotations

import pytest

from condense.codebook import load_codebook, parse_codebook
from condense.coding import Coder, CoderSettings
from condense.ingest import read_transcript
from condense.ingest.excerpts import read_excerpts
from condense.segment import segment
from conftest import CODEBOOK_DA

MINI = """\
codebook: mini
language: da
dimensions:
  - id: fase
    label: Fase
    themes:
      - id: vidensindsamling
        label: Vidensindsamling
        terms: [spørgeskema, undersøgelse]
        phrases: [fra dør til dør]
        question_cues: [vidensindsamling]
      - id: evaluering
        label: Evaluering
        terms: [evaluering]
        question_cues: [evaluering]
      - id: ideudvikling
        label: Idéudvikling
        terms: [inddrage beboer]
        exclude_terms: [kommune]
  - id: tema
    label: Tema
    multi_label: true
    threshold: 1.0
    themes:
      - id: samarbejde
        label: Samarbejde
        terms: [medarbejder]
        subthemes:
          - id: ssp
            label: SSP
            terms: [ssp-medarbejder]
"""


@pytest.fixture(scope="module")
def coder():
    return Coder(parse_codebook(MINI))


def code_text(coder, text, question=""):
    import csv
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "x.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([["id", "text", "question"], ["u1", text, question]])
        units = read_excerpts(path)
    return coder(units)


def code_transcript(tmp_path, text, codebook_path):
    """The codings of a transcript written as ``text`` (interviewer "I") and its units by their first 12
    characters."""
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    seg = segment([read_transcript(path, interviewer_labels=["I"])])
    return Coder(load_codebook(codebook_path))(seg.units, seg.questions), {u.text[:12]: u.unit_id for u in seg.units}


@pytest.mark.parametrize("text,dimension,theme", [
    ("Vi inddrog beboerne fra starten.", "fase", "ideudvikling"),  # inddrog → inddrage, beboerne → beboer
    ("Evalueringerne viste noget andet.", "fase", "evaluering"),  # inflected
    ("Beboerundersøgelsen fik mange svar.", "fase", "vidensindsamling"),  # compound head
    ("Vi gik fra dør til dør hele foråret.", "fase", "vidensindsamling"),  # phrase on lemmas
    ("SSP-medarbejderne kom forbi.", "tema", "samarbejde"),
])
def test_inflected_and_compound_forms_match(coder, text, dimension, theme):
    codings = code_text(coder, text)
    assert (dimension, theme) in {(c.dimension, c.theme) for c in codings}


def test_subtheme_and_evidence(coder):
    [c] = code_text(coder, "SSP-medarbejderne kom forbi.")
    assert (c.theme, c.subtheme, c.source) == ("samarbejde", "ssp", "rule")
    assert c.evidence == "unit: SSP-medarbejderne"


def test_exclude_term_vetoes(coder):
    assert not code_text(coder, "Vi inddrog beboerne, og kommunen var med.")


def test_multiword_term_needs_all_its_words(coder):
    assert not code_text(coder, "Vi inddrog hele personalet.")


def test_nothing_matched_stays_uncoded(coder):
    assert code_text(coder, "Det regnede hele dagen, og vi drak kaffe.") == []


def test_question_cue_codes_an_answer_that_never_names_its_phase(coder):
    codings = code_text(coder, "Vi spurgte naboerne, hvordan de havde det.", "Hvordan foregik vidensindsamlingen?")
    assert [(c.dimension, c.theme, c.evidence) for c in codings] == [("fase", "vidensindsamling", "question: vidensindsamlingen")]


def test_unit_terms_outweigh_question_cues(coder):
    codings = code_text(coder, "Vi lavede en evaluering bagefter.", "Hvordan foregik vidensindsamlingen?")
    assert [c.theme for c in codings if c.dimension == "fase"] == ["evaluering"]


GUIDED = """---
id: g1
interviewer_labels: [I]
---
I: Så vil jeg gerne høre om vidensindsamlingen. Hvad vidste I om beboerne?

R: Vi havde tal fra boligselskabet.

I: Var beboerne inddraget?

R: Nej, ikke rigtig, de blev bare spurgt om lov.

I: Hvad fungerede godt?

R: At vi havde god tid.

I: Og så evalueringen til sidst?

R: Det var mest tal til fonden.

I: Og hvad var svært?

R: At få folk til at svare.
"""


def test_follow_up_questions_inherit_the_phase_that_opened_the_section(coder, write):
    seg = segment([read_transcript(write("g1.txt", GUIDED))])
    codings = {c.unit_id: c for c in coder(seg.units, seg.questions) if c.dimension == "fase"}
    got = [(u.text, codings[u.unit_id].theme if u.unit_id in codings else "") for u in seg.units]
    assert got == [
        ("Vi havde tal fra boligselskabet.", "vidensindsamling"),
        ("Nej, ikke rigtig, de blev bare spurgt om lov.", "vidensindsamling"),
        ("At vi havde god tid.", "vidensindsamling"),
        ("Det var mest tal til fonden.", "evaluering"),
        ("At få folk til at svare.", "evaluering"),
    ]
    follow_up = codings[seg.units[1].unit_id]
    assert follow_up.evidence == "guide: vidensindsamling (turn 0)"
    assert follow_up.score < codings[seg.units[0].unit_id].score  # the guide weighs less than the question


def test_guide_context_ends_after_the_span(write):
    coder = Coder(parse_codebook(MINI), CoderSettings(guide_span=1))
    seg = segment([read_transcript(write("g1.txt", GUIDED))])
    themes = [c.theme for c in coder(seg.units, seg.questions) if c.dimension == "fase"]
    assert themes == ["vidensindsamling", "vidensindsamling", "evaluering", "evaluering"]


def test_coding_is_deterministic(sample_units):
    coder = Coder(load_codebook(CODEBOOK_DA))
    a = [c.as_row() for c in coder(sample_units.units, sample_units.questions)]
    b = [c.as_row() for c in Coder(load_codebook(CODEBOOK_DA))(sample_units.units, sample_units.questions)]
    assert a == b and len(a) > 500


def test_default_codebook_on_the_sample_codes_every_phase(sample_units):
    coder = Coder(load_codebook(CODEBOOK_DA))
    codings = coder(sample_units.units, sample_units.questions)
    phases = {c.theme for c in codings if c.dimension == "fase"}
    assert phases == {"vidensindsamling", "ideudvikling", "planlaegning", "gennemfoerelse", "forankring", "evaluering"}
    assert {c.dimension for c in codings} == {"fase", "deltagelse", "tema"}


def test_excerpts_from_xlsx(tmp_path, coder):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "text", "case"])
    ws.append(["q7", "Vi sendte et spørgeskema ud til alle.", "Solsikkeparken"])
    wb.save(tmp_path / "quotes.xlsx")
    units = read_excerpts(tmp_path / "quotes.xlsx")
    assert [(u.unit_id, u.cases) for u in units] == [("q7", ["Solsikkeparken"])]
    assert [(c.unit_id, c.theme) for c in coder(units)] == [("q7", "vidensindsamling")]


def test_excerpts_need_a_text_column(write):
    from condense.errors import CondenseError

    with pytest.raises(CondenseError) as err:
        read_excerpts(write("x.csv", "id,quote\n1,hej\n"))
    assert err.value.code == "E301"


def test_the_guide_section_does_not_code_the_closing_exchanges():
    """"Er der noget, vi har glemt?" follows the evaluation questions without belonging to that phase: its
    answer takes no phase from the section (a long answer is still coded by what it says)."""
    from condense.codebook import parse_codebook
    from condense.coding import Coder
    from condense.exchanges import formal_exchange, frames_interview
    from condense.ingest import read_transcript
    from condense.segment import segment

    cb = parse_codebook("""\
codebook: t
language: da
dimensions:
  - id: fase
    label: Fase
    themes:
      - {id: evaluering, label: Evaluering, terms: [evaluering, evaluere], question_cues: [evaluering, evaluere]}
      - {id: planlaegning, label: Planlægning, terms: [planlægning], question_cues: [planlægning]}
""")
    import tempfile
    from pathlib import Path

    text = ("I: Så til evalueringen. Hvordan evaluerede I?\n\nR: Vi talte deltagerne hver gang og skrev tallene ind "
            "i et ark på kontoret.\n\nI: Og hvad viste tallene?\n\nR: At flere kom om tirsdagen end om torsdagen, især "
            "om vinteren.\n\nI: Er der noget, vi har glemt?\n\nR: Nej, jeg synes vi kom godt rundt om det hele i dag.\n\n"
            "I: Må jeg ringe igen, hvis der dukker noget op?\n\nR: Ja, det er helt fint, ring bare.\n")
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "a.txt"
        path.write_text(text, encoding="utf-8")
        seg = segment([read_transcript(path, interviewer_labels=["I"])])
    coded = {c.unit_id for c in Coder(cb)(seg.units, seg.questions) if c.dimension == "fase"}
    by_text = {u.text[:12]: u.unit_id for u in seg.units}
    assert by_text["At flere kom"] in coded                              # a follow-up of the section: coded
    assert by_text["Nej, jeg syn"] not in coded and by_text["Ja, det er h"] not in coded
    import dataclasses

    long = dataclasses.replace(seg.units[0], question="Hvordan brugte I resultaterne?",
                               text="Resultaterne blev præsenteret for afdelingsbestyrelsen, som godkendte "
                                    "slutrapporten, og beboerne fik dem at se på et møde i fælleshuset.")
    assert not formal_exchange(long) and not frames_interview(long)       # a presentation of results is content
    intro = dataclasses.replace(long, question="Kan du præsentere dig selv?", text="Jeg er projektleder her.")
    assert formal_exchange(intro) and frames_interview(intro)             # presenting oneself frames the interview


class _ScansEveryUnit(Coder):
    """A coder that reads every unit for negation and sentences (no unit is passed over as unmatchable)."""

    def _may_match(self, present, lemmas) -> bool:
        return True


@pytest.mark.parametrize("language", ["da", "en"])
def test_units_passed_over_before_negation_code_as_when_scanned(language, sample_corpus):
    """The coder skips negation for a unit none of whose patterns has all its lemmas: the codings of every
    unit of the sample (Danish and English, with questions and guide sections) are those of a coder that
    scans them all, and some units are passed over at all."""
    from condense.ingest import ingest
    from conftest import CODEBOOK_EN, SAMPLE

    corpus = sample_corpus if language == "da" else ingest([SAMPLE / "en"])
    seg = segment(corpus.transcripts)
    book = load_codebook(CODEBOOK_DA if language == "da" else CODEBOOK_EN)
    fast, full = Coder(book), _ScansEveryUnit(book)
    assert fast(seg.units, seg.questions) == full(seg.units, seg.questions)
    passed = [u for u in seg.units if not fast._may_match(fast._present(u.lemmas), u.lemmas)]
    assert passed and len(passed) < len(seg.units)
    for unit in seg.units[:200]:
        assert fast.score(unit) == full.score(unit)


@pytest.mark.parametrize("text,volunteers", [
    ("Der var fem hjælpere i køkkenet hver onsdag.", True),
    ("Hjælperne stod klar ved indgangen.", True),
    ("Hun hjalp mig med at udfylde ansøgningen.", False),    # help of any kind is no volunteer
    ("Det har hjulpet meget på stemningen i afdelingen.", False),
])
def test_the_default_codebook_takes_helpers_not_every_kind_of_help_for_volunteers(text, volunteers):
    """The term "hjælper" was read as the verb "hjælpe" and put every "hjalp"/"hjulpet" among the volunteers
    (on ecape_da most of Beboere som frivillige); the codebook names the helpers, plural, a noun."""
    coder = Coder(load_codebook(CODEBOOK_DA))
    subs = {c.subtheme for c in code_text(coder, text) if c.theme == "gennemfoerelse"}
    assert ("beboere_som_frivillige" in subs) == volunteers, subs


def test_introduction_and_closing_questions_neither_open_a_phase_nor_cue_one(tmp_path):
    """"How long has it been running?" asks when the programme ran, not how activities were run: it must not
    open the implementation section for the answers that follow it, and "any follow-up questions?" at the
    close is no evaluation. The phase questions after them still code their answers."""
    from conftest import CODEBOOK_EN

    text = ("---\nlanguage: en\n---\nI: Could you say your name and what you do?\n\nR: I'm Sam, the coordinator on the estate programme.\n\n"
            "I: And how long has it been running?\n\nR: Since spring 2015, and it ends at the end of this year.\n\n"
            "I: Was there anything like it on the estate before?\n\nR: A project about bins and parking, nothing on "
            "health as such.\n\n"
            "I: Let's talk about implementation. Once things were up and running, how did they go?\n\nR: The walks went "
            "every Tuesday and two residents led them when I was off.\n\n"
            "I: Would it be all right to get back in touch if we've any follow-up questions?\n\nR: Of course, any time "
            "at all.\n")
    codings, by_text = code_transcript(tmp_path, text, CODEBOOK_EN)
    phase = {c.unit_id: c.theme for c in codings if c.dimension == "fase"}
    assert by_text["Since spring"] not in phase and by_text["A project ab"] not in phase
    assert phase.get(by_text["The walks we"]) == "gennemfoerelse"
    assert by_text["Of course, a"] not in phase


PHRASE_UNITS = """\
I: Hvordan fik I fat i beboerne?

R: Til sidst gik vi fra den ene dør til den næste dør.

I: Og så?

R: Vi gik ikke fra dør til dør.

I: Hvad mere?

R: Vi bankede hårdt, og vi bankede på.

I: Noget andet?

R: Vi gik fra dør til dør.
"""


def test_a_phrase_whose_lemmas_are_only_present_passes_the_unit_over(write):
    """A unit holding a phrase's lemmas apart ("fra den ene dør til den næste dør") cannot match the phrase
    however negation reads it, so it is passed over; contiguous ones (negated, or at a later occurrence of
    the first lemma) are read, and every unit codes and scores as with a coder that scans them all."""
    seg = segment([read_transcript(write("p1.txt", PHRASE_UNITS))])
    book = load_codebook(CODEBOOK_DA)
    fast, full = Coder(book), _ScansEveryUnit(book)
    assert [u.text for u in seg.units][0].startswith("Til sidst")
    read = [fast._may_match(fast._present(u.lemmas), u.lemmas) for u in seg.units]
    assert read == [False, True, True, True]
    assert fast(seg.units, seg.questions) == full(seg.units, seg.questions)
    assert [fast.score(u) for u in seg.units] == [full.score(u) for u in seg.units]
    assert any("fra dør til dør" in c.evidence for c in fast(seg.units, seg.questions))


@pytest.mark.parametrize("language", ["da", "en"])
def test_each_question_is_judged_a_formal_exchange_once(language, sample_corpus, monkeypatch):
    """Whether a question frames the interview (consent, introduction, closing) is asked once per question
    text during a call, by the guide sections' pass and all the units answering it together, and only where
    the answer would change (the question opens a section or cues a theme, or the unit is in a section; a
    short reply that may say nothing only once it has codings); the codings are those of a coder that asks
    for every unit and question first."""
    import sys

    from condense.exchanges import frames_interview, frames_question
    from condense.ingest import ingest
    from conftest import CODEBOOK_EN, SAMPLE

    corpus = sample_corpus if language == "da" else ingest([SAMPLE / "en"])
    seg = segment(corpus.transcripts)
    book = load_codebook(CODEBOOK_DA if language == "da" else CODEBOOK_EN)

    from condense.exchanges import SHORT_ANSWER, invites_more

    class AsksEveryTime(Coder):
        def _framed(self, unit, question, guide):
            return frames_interview(unit, self.language)

        def _frames_question(self, text):
            return frames_question(text, self.language)

        def code_unit(self, unit, question=None, guide=None):  # a reply that says nothing: judged first
            if (unit.question and frames_question(unit.question, self.language)
                    and len(unit.text.split()) <= SHORT_ANSWER and not invites_more(unit.question, self.language)):
                return []
            return super().code_unit(unit, question, guide)

    asked = []

    def counted(text, lang="da"):
        asked.append(text)
        return frames_question(text, lang)

    monkeypatch.setattr(sys.modules["condense.coding"], "frames_question", counted)
    once = Coder(book)(seg.units, seg.questions)
    assert len(asked) == len(set(asked)) and len(asked) < len({u.question for u in seg.units if u.question})
    assert once == AsksEveryTime(book)(seg.units, seg.questions)
    assert any(frames_question(q.text, language) for q in seg.questions)  # some questions do frame it


def test_a_short_reply_to_a_closing_or_consent_question_is_not_coded(tmp_path):
    """"Må jeg skrive til dig?" – "Ja, min mail er den samme." says nothing the study codes, though "mail" is an
    information channel; a short answer to "Har vi overset noget?" may (it invites more), and a question that
    merely mentions a presentation frames nothing."""
    text = ("I: Så til evalueringen. Hvordan blev aktiviteterne evalueret?\n\nR: Vi talte deltagerne hver gang.\n\n"
            "I: Så det var jer der stod for det, og så fik beboerne det præsenteret bagefter?\n\nR: Ja, det var os der "
            "sad med evalueringen.\n\n"
            "I: Har vi overset noget, du gerne vil have med?\n\nR: Jeg har lært mere af de kvinder end af nogen "
            "efteruddannelse.\n\n"
            "I: Må jeg skrive til dig, hvis der dukker flere spørgsmål op?\n\nR: Ja, selvfølgelig. Min mail er den "
            "samme.\n")
    codings, by_text = code_transcript(tmp_path, text, CODEBOOK_DA)
    coded = {(c.unit_id, c.theme) for c in codings}
    assert not {t for u, t in coded if u == by_text["Ja, selvfølg"]}
    assert (by_text["Jeg har lært"], "kompetenceopbygning") in coded
    assert (by_text["Ja, det var "], "evaluering") in coded


def test_the_calls_opening_before_leave_to_record_is_not_coded(tmp_path):
    """"Passer det stadigvæk?" – "Ja, jeg har lige lukket døren, … der stikker hovedet ind" greets and
    settles the call: it was coded to residents' requests at the open office (the sample's golden quote of that
    sub-theme). What comes before the question asking leave to record, among the first questions, is not
    coded; the same words after it are, and so is everything in an interview that asks it late."""
    greeting = ("R: Ja, det passer fint. Jeg har lige lukket døren, for ellers er der altid en eller anden, der "
                "stikker hovedet ind.\n\n")
    body = ("I: Hvordan fik I idéerne til aktiviteterne?\n\nR: Beboerne kom med en henvendelse på kontoret, når "
            "de manglede noget, og så tog vi den derfra.\n\n")
    early = ("I: Hej, det er fra forskningsenheden. Passer det stadigvæk?\n\n" + greeting
             + "I: Er det i orden, at jeg optager samtalen?\n\nR: Ja, det er fint.\n\n" + body)
    codings, by_text = code_transcript(tmp_path, early, CODEBOOK_DA)
    coded = {u for u, _ in {(c.unit_id, c.theme) for c in codings}}
    assert by_text["Ja, det pass"] not in coded and by_text["Beboerne kom"] in coded
    late = ("I: Hej, det er fra forskningsenheden. Passer det stadigvæk?\n\n" + greeting + body * 4
            + "I: Er det i orden, at jeg optager samtalen?\n\nR: Ja, det er fint.\n\n")
    codings, by_text = code_transcript(tmp_path, late, CODEBOOK_DA)
    assert by_text["Ja, det pass"] in {c.unit_id for c in codings}


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_prefilter_tries_each_pattern_once_and_answers_as_every_pattern_would(language, sample_corpus):
    """_may_match looks a pattern of several lemmas up by one of its lemmas only: each such term, all_of and
    exclude pattern is listed once, each phrase once under one of its lemmas, and on the sample's units (and
    random sets of the codebook's lemmas, with phrases whole or broken among them) the answer is that of
    trying every pattern, phrase and single lemma."""
    import random

    from condense.coding import _occurs
    from condense.ingest import ingest
    from conftest import CODEBOOK_EN, SAMPLE

    corpus = sample_corpus if language == "da" else ingest([SAMPLE / "en"])
    coder = Coder(load_codebook(CODEBOOK_DA if language == "da" else CODEBOOK_EN))
    patterns = {lem for node in coder.nodes for lem in [t[0] for t in node.terms] + node.excludes}
    several = {lem for lem in patterns if len(lem) > 1}
    listed = [lem for found in coder._patterns_of.values() for lem in found]
    assert sorted(map(sorted, listed)) == sorted(map(sorted, several))

    def every(present, lemmas):
        keys = present.keys()
        return any(lem <= keys for lem in patterns) or any(
            _occurs(lemmas, node.phrases[j][0]) for node in coder.nodes for j in range(len(node.phrases))
            if node.phrases[j][0][0] in lemmas)

    phrases = {(frozenset(seq), seq) for node in coder.nodes for seq, _ in node.phrases}
    by_key = [(key, found) for key, found in coder._phrase_sets_of.items() for found in found]
    assert sorted(map(repr, (f for _, f in by_key))) == sorted(map(repr, phrases))  # each phrase once
    assert all(key in found[0] for key, found in by_key)  # under one of its own lemmas
    rng = random.Random(5)
    words = sorted(coder.term_lemmas)
    sequences = [u.lemmas for u in segment(corpus.transcripts).units]
    sequences += [tuple(rng.choice(words) for _ in range(rng.randint(1, 8))) for _ in range(3000)]
    seqs = sorted(seq for _, seq in phrases)
    for _ in range(3000):  # a phrase among other words, whole or with a lemma dropped or swapped
        seq = list(rng.choice(seqs))
        if rng.random() < 0.4 and len(seq) > 1:
            k = rng.randrange(len(seq) - 1)
            seq[k], seq[k + 1] = (seq[k + 1], seq[k]) if rng.random() < 0.5 else (seq[k], rng.choice(words))
        sequences.append(tuple(rng.choice(words) for _ in range(rng.randint(0, 4))) + tuple(seq)
                         + tuple(rng.choice(words) for _ in range(rng.randint(0, 4))))
    for lemmas in sequences:
        present = coder._present(lemmas)
        assert coder._may_match(present, lemmas) == every(present, lemmas), lemmas


def test_a_theme_of_many_terms_is_compiled_in_time_that_grows_with_its_terms():
    """Compiling a theme asked of each term whether it was in the theme's list of terms: a list, so a codebook
    of 100,000 terms (a word list pasted in) took minutes before coding began. The words' own analysis is
    stubbed here; what is left is the compiling, which now takes milliseconds for 30,000 terms."""
    import time
    from types import SimpleNamespace

    from condense.codebook import Theme
    from condense.coding import Coder

    theme = Theme(id="a", label="a", terms=[f"ord{i}x" for i in range(30_000)], all_of=["ord1x beboer"])
    stub = SimpleNamespace(nodes=[], lemmas=lambda text: text.split(), _content=lambda text: frozenset(text.split()))
    started = time.process_time()
    Coder._add(stub, "tema", theme, "a", 0, None)
    assert time.process_time() - started < 3
    assert len(stub.nodes[0].terms) == 30_001 and stub.nodes[0].terms[-1] == (frozenset({"ord1x", "beboer"}), "ord1x beboer")


THREE = """\
codebook: tre
language: en
dimensions:
  - id: topic
    label: Topic
    multi_label: true
    themes:
      - {id: food, label: Food, terms: [food, cooking, vegetables]}
      - {id: children, label: Children, terms: [children, kids]}
      - {id: volunteers, label: Volunteers, terms: [volunteers]}
"""


def test_a_theme_beyond_top_k_is_named_in_the_evidence_and_warned_of(tmp_path):
    """`top_k: 2` (the default) kept a unit's two best themes and dropped the third it matched without a word;
    a coder used to NVivo or MAXQDA expects every code that applies to be visible. The kept codings stay two
    (the setting means something), the last names what was left out, and W308 counts it with the setting."""
    from condense.coding import left_out, warn_left_out
    from condense.errors import Diagnostics
    from condense.i18n import evidence

    import csv

    path = tmp_path / "answers.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["id", "text"], ["u1", "The volunteers cooked food and vegetables with the children "
                                                       "and the kids every week."]])
    units = read_excerpts(path, language="en")
    codings = Coder(parse_codebook(THREE))(units)
    assert [c.theme for c in codings] == ["food", "children"]
    assert codings[-1].evidence == "unit: children, kids; left out (top_k: 2): volunteers"
    assert left_out(codings) == {"topic": (2, [("u1", ["volunteers"])])}
    diagnostics = Diagnostics()
    warn_left_out(codings, diagnostics)
    (warning,) = diagnostics.warnings
    assert warning.code == "W308" and "1 unit(s) matched more themes of 'topic' than its top_k (2)" in str(warning)
    assert "1 theme coding(s) were left out (first: unit u1, volunteers)" in str(warning) and "`top_k:`" in str(warning)
    assert evidence(codings[-1].evidence, "da") == "enhed: children, kids; udeladt (top_k: 2): volunteers"
    wide = parse_codebook(THREE.replace("multi_label: true", "multi_label: true\n    top_k: 3"))
    assert [c.theme for c in Coder(wide)(units)] == ["food", "children", "volunteers"]
    assert not left_out(Coder(wide)(units))


def _three_run(tmp_path):
    """A run of three English interviews whose every answer matches the three themes of THREE."""
    from condense.pipeline import run
    from condense.project import load_project

    (tmp_path / "t").mkdir()
    for i, extra in enumerate(("", " The kids loved it.", " Some volunteers came back.")):
        (tmp_path / "t" / f"int{i}.txt").write_text(
            f"I: What did you do, {i}?\n\nR: The volunteers cooked food and vegetables with the children and the kids "
            f"every week.{extra}\n", encoding="utf-8")
    (tmp_path / "codebook.yaml").write_text(THREE, encoding="utf-8")
    (tmp_path / "condense.yaml").write_text("transcripts: t\ncodebook: codebook.yaml\nlanguage: en\n"
                                            "interviewer_labels: [I]\n", encoding="utf-8")
    return run(load_project(tmp_path / "condense.yaml"))


def test_the_report_counts_coding_from_the_guide_alone_in_units_like_the_coded_units(tmp_path):
    """The coding table's last column counted codings ("0 af 536") beside a count of units ("410"): in a
    multi-label dimension a unit has several codings, and the two numbers did not measure the same thing."""
    from condense.export.report import render_report

    assert "| Topic | 3 (100%) | 0 of 3 |" in render_report(_three_run(tmp_path))


def test_a_run_reports_the_themes_top_k_left_out(tmp_path):
    """The warning is gone once the terminal is closed: the report's coding section says it in the study's
    language, with the count of units and themes and the setting to raise, and the evidence of codings.csv
    names each theme left out."""
    import dataclasses

    from condense.export.report import render_report

    result = _three_run(tmp_path)
    assert [w.code for w in result.diagnostics.warnings if w.code == "W308"] == ["W308"]
    evidence = result.tables["codings"].evidence
    assert evidence.str.contains("left out (top_k: 2): volunteers", regex=False).sum() == 3
    # (it said "…keeps; left out, and named in the evidence (…): 3 themes.", a sentence turned inside out)
    assert ("_Topic: 3 units matched more themes than `top_k: 2` keeps; the evidence names the 3 themes left out "
            "(“left out (top_k: 2): …”).") in render_report(result)
    danish = dataclasses.replace(result, codebook=dataclasses.replace(result.codebook, language="da"))
    assert ("_Topic: 3 enheder matchede flere temaer, end `top_k: 2` beholder; 3 temaer blev udeladt og står i "
            "belægget (»udeladt (top_k: 2): …«).") in render_report(danish)
