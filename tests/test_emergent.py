"""Steps 1–2: candidate themes among units the codebook does not cover, planted and recovered."""
from __future__ import annotations

import dataclasses
import re

import pytest

from condense.codebook import dump_codebook, parse_codebook
from condense.emergent import candidates_codebook, discover, key_terms
from condense.model import Coding, MeaningUnit

CODEBOOK = parse_codebook("""\
codebook: e
language: da
dimensions:
  - id: tema
    label: Tema
    multi_label: true
    themes:
      - {id: mad, label: Mad, terms: [madklub]}
""")

TOPICS = {
    "lektier": ["lektiecafé", "matematik", "lektie", "skole", "frivillig", "barn", "opgave", "lærer"],
    "have": ["have", "bed", "plante", "tomat", "jord", "vande", "frø", "køkkenhave"],
    "bus": ["bus", "kørsel", "chauffør", "billet", "stoppested", "rute", "tur", "sæde"],
}


EVERYDAY = ["dag", "uge", "gang", "folk", "snak", "møde", "kontor", "kaffe", "vejr", "morgen", "aften", "nabo",
            "opgang", "projekt", "kollega", "telefon", "besked", "plan", "idé", "hus", "vej", "by", "år", "måned",
            "liste", "spørgsmål", "svar", "tid", "sted", "gruppe", "familie", "leder", "budget", "aftale", "hjælp",
            "forslag", "ønske", "problem", "løsning", "start"]


def unit(uid: str, transcript: str, lemmas: list[str]) -> MeaningUnit:
    text = " ".join(lemmas)
    return MeaningUnit(uid, uid, transcript, 1, 1, "X", "respondent", text, 0, len(text), n_words=len(lemmas),
                       lemmas=tuple(lemmas), surfaces=tuple(lemmas))


def planted() -> tuple[list[MeaningUnit], dict[str, str]]:
    """Seven units per topic over four interviews; each unit uses six of its topic's eight words."""
    units, topic_of = [], {}
    for topic, words in TOPICS.items():
        for i in range(7):
            uid = f"{topic}{i}"
            units.append(unit(uid, f"int{i % 4}", [words[(i + k) % 8] for k in range(6)]))
            topic_of[uid] = topic
    covered = unit("covered", "int0", ["madklub"] * 3 + TOPICS["have"][:3])
    # everyday talk around them, so that the planted words are rare in the corpus as in real interviews
    background = [unit(f"talk{i}", f"int{i % 4}", [EVERYDAY[(i * 7 + k * 5) % len(EVERYDAY)] for k in range(6)])
                  for i in range(150)]
    return units + [covered] + background, topic_of


def test_planted_topics_come_back_as_pure_groups():
    units, topic_of = planted()
    codings = [Coding("covered", "tema", "mad")]
    found = discover(units, codings, CODEBOOK)
    assert found.dimension == "tema" and found.n_uncovered == len(units) - 1
    for topic, words in TOPICS.items():
        # a group of this topic's units only, named by its own words
        (group,) = [g for g in found.groups if any(topic_of.get(u) == topic for u in g.unit_ids)]
        assert {topic_of.get(u) for u in group.unit_ids} == {topic} and group.size >= 5, group.unit_ids
        assert set(group.terms[:3]) <= set(words) and group.representatives[0] in group.unit_ids
        assert group.id.startswith("kandidat_") and len(group.transcripts) >= 2
    assert "covered" not in {u for g in found.groups for u in g.unit_ids}


def test_a_coded_unit_with_a_candidates_words_is_listed_beside_it_not_in_it():
    units, topic_of = planted()
    talk = unit("coded_talk", "int1", EVERYDAY[:6])
    codings = [Coding("covered", "tema", "mad"), Coding("coded_talk", "tema", "mad")]
    found = discover(units + [talk], codings, CODEBOOK)
    (garden,) = [g for g in found.groups if any(topic_of.get(u) == "have" for u in g.unit_ids)]
    # "covered" is coded Mad and also says have, bed, plante: the researcher is pointed to it
    assert garden.also_coded == ["covered"] and "covered" not in garden.unit_ids
    assert all("coded_talk" not in g.also_coded for g in found.groups)  # no word of any candidate
    row = found.to_frame().set_index("candidate").loc[garden.id]
    assert row.n_also_coded == 1 and row.also_coded_unit_ids == "covered"
    (theme,) = [t for t in candidates_codebook(found, CODEBOOK, {u.unit_id: u for u in units}).dimensions[0].themes
                if t.id == garden.id]
    # one unit in the singular (it said "også i 1 enheder"), and a Danish sentence's decimals with a comma
    # (it said "Sammenhæng 0.70, særpræg 0.69")
    assert "også i 1 enhed, som kodebogen koder" in theme.description
    assert re.search(r"Sammenhæng \d,\d\d, særpræg \d,\d\d, stabilitet \d,\d\d\.", theme.description)
    english = dataclasses.replace(CODEBOOK, language="en")
    (theme,) = [t for t in candidates_codebook(found, english, {u.unit_id: u for u in units}).dimensions[0].themes
                if t.id == garden.id]
    assert "also in 1 unit the codebook codes" in theme.description
    assert re.search(r"Coherence \d\.\d\d, distinctiveness \d\.\d\d", theme.description)


def _one_word_units(second: str | None) -> list[MeaningUnit]:
    """Nine answers over four interviews that share the ordinary verb "ordne" and nothing else (each has four
    everyday words no other of them uses); with ``second``, three of them also share that word."""
    out = []
    for i in range(9):
        words = ["ordne"] + EVERYDAY[i * 4:i * 4 + 4] + ([second] if second and i < 3 else [])
        out.append(unit(f"ordne{i}", f"int{i % 4}", words))
    return out


def test_units_sharing_one_ordinary_word_are_no_candidate_and_the_cut_is_reported():
    units, topic_of = planted()
    found = discover(units + _one_word_units(None), [Coding("covered", "tema", "mad")], CODEBOOK)
    assert not [g for g in found.groups if "ordne" in g.lemmas]
    (cut,) = found.cut
    assert cut[0] == "ordne" and cut[1] == "one ordinary word" and cut[2] >= 6
    assert len({f"ordne{i}" for i in range(9)} & set(found.not_grouped)) == cut[2]  # its units are not grouped
    # the planted topics are untouched, and a second shared word makes the same answers a candidate
    pure = {topic_of.get(g.unit_ids[0]) for g in found.groups if len({topic_of.get(u) for u in g.unit_ids}) == 1}
    assert set(TOPICS) <= pure
    again = discover(units + _one_word_units("regning"), [], CODEBOOK)
    assert [g for g in again.groups if "ordne" in g.lemmas] and not again.cut


def test_same_input_same_candidates_and_a_fixed_number_of_groups():
    units, _ = planted()
    a, b = discover(units, [], CODEBOOK), discover(units, [], CODEBOOK)
    assert [(g.id, g.unit_ids) for g in a.groups] == [(g.id, g.unit_ids) for g in b.groups]
    assert len(discover(units, [], CODEBOOK, n_groups=2).groups) <= 2


def test_candidates_are_a_valid_codebook_fragment_of_candidate_themes():
    units, _ = planted()
    found = discover(units, [], CODEBOOK)
    fragment = candidates_codebook(found, CODEBOOK, {u.unit_id: u for u in units})
    again = parse_codebook(dump_codebook(fragment))  # what `codebook merge` reads back
    themes = again.dimension("tema").themes
    assert [t.id for t in themes] == [g.id for g in found.groups]
    assert all(t.status == "candidate" and t.origin == "emergent" and t.examples for t in themes)


def test_too_little_material_gives_no_candidates():
    units, _ = planted()
    assert discover(units[:4], [], CODEBOOK).groups == []


def test_key_terms_per_interview_and_for_the_corpus():
    units = [u for u in planted()[0] if not u.unit_id.startswith("talk")]
    terms = key_terms(units, "da", n=3)
    assert set(terms) == {"(corpus)", "int0", "int1", "int2", "int3"}
    assert all(len(v) <= 3 for k, v in terms.items() if k != "(corpus)") and len(terms["(corpus)"]) == 6
    assert terms["int0"][0] == "madklub"  # three times in int0 and nowhere else: its most distinctive word


def test_emergent_themes_object_fits_and_describes_like_discover():
    from condense.emergent import EmergentThemes

    units, topic_of = planted()
    codings = [Coding("covered", "tema", "mad")]
    model = EmergentThemes(random_state=0).fit(units, codings, CODEBOOK)
    info = model.get_theme_info()
    found = discover(units, codings, CODEBOOK)
    assert model.discovery_.to_frame().equals(found.to_frame())  # discover() is the object's fit
    themes = info[info.theme >= 0]
    assert list(themes.name) == [g.id for g in found.groups] and list(themes["count"]) == [g.size for g in found.groups]
    (rest,) = info[info.theme == -1].itertuples()
    assert rest.count == len(found.not_grouped) and rest.name == "_not_grouped"
    assert int(info["count"].sum()) == found.n_uncovered  # every uncovered unit once: a theme or not grouped
    assert model.get_theme(0) == found.groups[0].terms == model.get_theme(found.groups[0].id)


def test_emergent_themes_must_be_fitted_first():
    import pytest

    from condense.emergent import EmergentThemes

    with pytest.raises(RuntimeError):
        EmergentThemes().get_theme_info()


def test_a_word_the_whole_corpus_uses_names_no_group():
    from condense.emergent import corpus_common

    units, topic_of = planted()
    # "beboer" in every interview and in more than 5% of the units, among them all of one topic's units
    extra = [unit(f"b{i}", f"int{i % 4}", ["beboer"] + EVERYDAY[i:i + 5]) for i in range(4)]
    units = [unit(u.unit_id, u.transcript, list(u.lemmas) + (["beboer"] if topic_of.get(u.unit_id) == "bus" else []))
             for u in units] + extra
    assert "beboer" in corpus_common(units, "da")
    found = discover(units, [], CODEBOOK)
    bus = [g for g in found.groups if any(topic_of.get(u) == "bus" for u in g.unit_ids)]
    assert bus and all("beboer" not in g.label for g in found.groups)


def test_a_lemmatiser_error_is_repaired_and_an_inflection_is_not():
    from condense.emergent import lemma_repairs

    def said(uid, pairs):  # (lemma as the lemmatiser gave it, word as written)
        return MeaningUnit(uid, uid, "t", 1, 1, "X", "respondent", " ".join(s for _, s in pairs), 0, 1,
                           lemmas=tuple(l for l, _ in pairs), surfaces=tuple(s for _, s in pairs))

    units = [said("a", [("cyklus", "cykler"), ("beboer", "beboerne")]), said("b", [("cyklus", "cyklen")]),
             said("c", [("cykel", "cykel"), ("beboer", "beboerne")]), said("d", [("cyklus", "cykler")])]
    repairs = lemma_repairs(units, "da")
    # "cykler" is no form of "cyklus" and far more common: all its words go to the corpus lemma "cykel"
    assert repairs[("cyklus", "cykler")] == repairs[("cyklus", "cyklen")] == "cykel"
    assert ("beboer", "beboerne") not in repairs  # an inflection, however much more often said


def test_candidates_pass_the_thresholds_and_are_ranked():
    from condense.emergent import Thresholds, rank_score

    units, _ = planted()
    found = discover(units, [Coding("covered", "tema", "mad")], CODEBOOK)
    th = Thresholds()
    assert found.groups
    assert all(g.stability >= th.min_stability and g.distinctiveness >= th.min_distinctiveness for g in found.groups)
    scores = [rank_score(g) for g in found.groups]
    assert scores == sorted(scores, reverse=True)
    assert [g.id[:11] for g in found.groups] == [f"kandidat_{n:02d}" for n in range(1, len(found.groups) + 1)]


def test_a_widely_told_specific_topic_ranks_above_a_small_one_and_weekdays_below_languages():
    from condense.emergent import Group, rank_score

    def group(size, interviews, coherence, distinct, specificity=1.0):
        return Group("", "", [], [f"u{i}" for i in range(size)], [f"i{k}" for k in range(interviews)], [],
                     coherence=coherence, distinctiveness=distinct, stability=1.0, specificity=specificity)

    # ecape: 22 answers of ten interviews about the energy crisis, four of three about energy companies
    assert rank_score(group(22, 10, 0.0, 0.81)) > rank_score(group(4, 3, 0.92, 1.0))
    # the sample: interpreters and languages (rare words) above weekdays (ordinary ones), as clear and as big
    languages, weekdays = group(5, 2, 0.82, 0.81, 0.84), group(6, 5, 0.75, 0.61, 0.5)  # as measured there
    assert rank_score(languages) > rank_score(weekdays)


def test_a_small_group_in_two_interviews_is_stable_when_subsamples_cannot_break_it():
    """A 3-unit topic in two interviews loses one of them in about a fifth of the 80% subsamples; those
    subsamples cannot form the group at all and must not count as failing to re-find it."""
    units, _ = planted()
    scooter = ["scooter", "korridor", "opladning", "brandfare", "elscooter", "gang"]
    small = [unit("scooter0", "int0", scooter[:5]), unit("scooter1", "int1", scooter[1:6]),
             unit("scooter2", "int1", scooter[:4] + scooter[5:])]
    found = discover(units + small, [Coding("covered", "tema", "mad")], CODEBOOK, resamples=12)
    (group,) = [g for g in found.groups if "scooter0" in g.unit_ids]
    assert set(group.unit_ids) == {"scooter0", "scooter1", "scooter2"}
    assert group.stability >= 0.9, group.stability


def test_key_terms_and_discovery_share_word_counts_but_read_a_changed_unit_again():
    from condense.emergent import corpus_words, display_forms

    units, _ = planted()
    first = corpus_words(units, "da")
    assert corpus_words(units, "da") is not None and corpus_words(units, "da")[0] is first[0]  # reused
    units[0].lemmas = ("skakklub",) + units[0].lemmas[1:]
    units[0].surfaces = ("Skakklubben",) + units[0].surfaces[1:]
    display, lemmas = corpus_words(units, "da")
    assert display == display_forms(units) and display["skakklub"] == "skakklubben" and lemmas[0][0] == "skakklub"


def test_one_side_word_of_a_topic_does_not_make_a_unit_a_member():
    """A unit that shares only one of a group's side words ("kloak" in a unit about new pipes) is not about
    the group's topic; a unit with its lead word, or with two of its words, is."""
    units, topic_of = planted()
    side = unit("side", "int3", ["sæde", "vej", "plan", "hus", "budget", "kontor"])  # one bus word only
    both = unit("both", "int2", ["billet", "rute", "vej", "plan", "hus", "kontor"])  # two bus words
    found = discover(units + [side, both], [Coding("covered", "tema", "mad")], CODEBOOK)
    (bus,) = [g for g in found.groups if any(topic_of.get(u) == "bus" for u in g.unit_ids)]
    assert "both" in bus.unit_ids and "side" not in bus.unit_ids
    assert "side" in found.not_grouped


def test_a_group_held_by_its_lead_word_is_distinct_by_that_word():
    from condense.emergent import Thresholds

    th = Thresholds()
    rare = [1.0, 0.9, 0.9]
    # mean share of the top words is low (incidental side words), the lead word is in every unit and only there
    assert th.distinct(0.27, [0, 1, 2], rare, lead=(1.0, 1.0))
    assert not th.distinct(0.27, [0, 1, 2], rare, lead=(0.5, 1.0))  # the lead word in half the units: no
    assert not th.distinct(0.27, [0, 1, 2], [0.3, 0.9, 0.9], lead=(1.0, 1.0))  # an everyday lead word: no


def _ordinary_word_topic(language: str, talk: list[list[str]]) -> tuple[list[MeaningUnit], set[str]]:
    """Everyday talk with a topic about an ordinary word, told in compounds of it beside its own use."""
    units, _ = planted()
    mine = [unit(f"pet{i}", f"int{i % 3}", lemmas) for i, lemmas in enumerate(talk)]
    return units + mine, {u.unit_id for u in mine}


def test_an_ordinary_word_used_with_its_own_compounds_holds_a_group():
    """"hund" is as common in Danish as "bange" (Zipf ~4.9) and cannot hold a group by rarity; used beside
    its own compounds in the same units ("hundeejerne … hundene") it is what those units are about."""
    units, mine = _ordinary_word_topic("da", [
        ["hundeejer", "beboer", "uenig", "hund", "luft"], ["hundelort", "græsplæne", "forælder", "rasende", "hund"],
        ["hundeskov", "garage", "hund", "løbe", "snor"], ["ældre", "bange", "stor", "hund", "trappe"]])
    found = discover(units, [Coding("covered", "tema", "mad")], CODEBOOK)
    (group,) = [g for g in found.groups if mine & set(g.unit_ids)]
    assert set(group.unit_ids) == mine and group.terms[0] == "hund"
    # one unit with a compound is no family: the same word then stays too common to hold a group
    units, mine = _ordinary_word_topic("da", [
        ["hundeejer", "beboer", "uenig", "hund", "luft"], ["græsplæne", "forælder", "rasende", "hund"],
        ["garage", "hund", "løbe", "snor"], ["ældre", "bange", "stor", "hund", "trappe"]])
    assert not [g for g in discover(units, [Coding("covered", "tema", "mad")], CODEBOOK).groups
                if mine & set(g.unit_ids)]


def test_english_open_compounds_make_a_family():
    from condense.families import families

    docs = [["dog", "mess", "grass", "dog"], ["council", "dog", "bin", "sign", "say", "dog"], ["dog", "owner", "fair"],
            ["proper", "coffee", "morning"]]
    pairs = [[(a, b) for a, b in zip(d, d[1:])] for d in docs]
    zipf = {"dog": 5.1, "mess": 4.2, "bin": 4.3, "owner": 4.6, "coffee": 4.8, "proper": 4.7}
    found = families(docs, pairs, "en", set(), lambda w, lang: zipf.get(w, 3.0))
    assert found == {"dog": {"dog mess", "dog bin"}}  # "dog owners" is the word once only: no witness
    assert families(docs, pairs, "da", set(), lambda w, lang: zipf.get(w, 3.0)) == {}  # Danish closes compounds


def test_a_family_head_takes_its_units_into_a_group_another_word_leads():
    """A group led by "sti" (paths) that also holds "sne", a family head (snerydning … sne): an answer about
    snow that mentions no path joins it through "sne", as through a lead word; a word that is no family head
    is a side word, and one side word is no membership."""
    import numpy as np
    from scipy import sparse

    from condense.emergent import _best_group, _Raw

    # columns: 0 sti, 1 sne, 2 vinter; rows: sti+sne, sne only, vinter only
    B = sparse.csr_matrix(np.array([[1, 1, 0], [0, 1, 0], [0, 0, 1]], dtype=float))
    chosen = [_Raw(np.array([0, 1, 2]), [0, 1, 2])]
    rare = np.array([0.7, 0.7, 0.7])
    family = np.array([False, True, False])
    assert _best_group(chosen, B, sparse.csc_matrix(B), rare, family).tolist() == [0, 0, -1]
    assert _best_group(chosen, B, sparse.csc_matrix(B), rare).tolist() == [0, -1, -1]  # without the family head


def _english_sample_copy(tmp_path):
    """A copy of the English sample whose project file names the shipped codebooks, and benchmarks/ importable
    from then on (emergent_recall plants topics into the copy): (folder, project file)."""
    import shutil
    import sys

    from conftest import ROOT, SAMPLE

    if str(ROOT / "benchmarks") not in sys.path:
        sys.path.insert(0, str(ROOT / "benchmarks"))
    folder = tmp_path / "en"
    shutil.copytree(SAMPLE / "en", folder)
    project = folder / "condense.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("../../codebooks/", f"{ROOT / 'codebooks'}/"),
                       encoding="utf-8")
    return folder, project


def test_the_dev6_topics_are_a_set_of_their_own_planted_as_written(tmp_path):
    """``emergent_recall.py --topics dev6`` (a set to tune on, written before the change it judged): every topic
    is new (no name of another set), has 3-4 answers over 2-3 interviews, is part of ``all``, and its answers
    go into as many interviews of a copy of the English sample as it says."""
    folder, _ = _english_sample_copy(tmp_path)
    from emergent_recall import TOPIC_SETS, plant
    da, en = TOPIC_SETS["dev6"]
    others = {t.name for name, (a, b) in TOPIC_SETS.items() if name not in ("dev6", "all") for t in a + b}
    assert len(da) + len(en) == 5 and not others & {t.name for t in da + en}
    assert all(3 <= len(t.answers) <= 4 and 2 <= t.spread <= 3 and t.keys for t in da + en)
    assert {t.name for t in da} <= {t.name for t in TOPIC_SETS["all"][0]}
    assert {t.name for t in en} <= {t.name for t in TOPIC_SETS["all"][1]}
    planted = plant(folder, en, "en")
    assert sorted(planted) == sorted(a for t in en for a in t.answers)
    texts = {p.name: " ".join(p.read_text(encoding="utf-8").split()) for p in folder.iterdir() if p.suffix in (".txt", ".md")}
    for t in en:
        assert len({name for name, text in texts.items() if any(a in text for a in t.answers)}) == t.spread, t.name


def test_link_counts_say_how_far_units_sharing_anchor_words_chain(tmp_path):
    """``emergent_recall.py --links``: units linked by one shared anchor word chain (A–B on "kat", B–C on
    "skål": one chain of three); by two words only A and D link; a word that may not anchor ("ting") links no
    units."""
    _english_sample_copy(tmp_path)  # benchmarks/ importable
    from emergent_recall import link_counts

    docs = [["kat", "mad", "ting"], ["kat", "skål"], ["skål", "foder"], ["ting", "kat", "mad"], ["ting"]]
    counts = link_counts(docs, {"kat", "mad", "skål", "foder"})
    assert counts[1] == (4, 4)  # A–B, A–D, B–D on "kat", B–C on "skål"; E on "ting" alone stays out
    assert counts[2] == (1, 2)  # only A–D share two ("kat", "mad")
    assert link_counts([["ting"], ["ting"]], set()) == {1: (0, 1), 2: (0, 1)}


def test_planted_dogs_come_back_in_the_english_sample(tmp_path):
    """End to end on the English sample: "dog" (Zipf 5.1, as common as "door") said beside "dog bins", "dog
    mess" in the same answers comes back as a candidate of its own, pure and whole."""
    from condense.emergent import emergent_options
    from condense.pipeline import coded_units
    from condense.project import load_project

    folder, project = _english_sample_copy(tmp_path)
    from emergent_recall import EN_TOPICS, plant
    topic = [t for t in EN_TOPICS if t.name == "dogs"]
    assert len(plant(folder, topic, "en")) == len(topic[0].answers)
    loaded = load_project(project)
    codebook, units, codings, _ = coded_units(loaded)
    mine = {u.unit_id for u in units if "dog" in u.text.lower()}
    found = discover(units, codings, codebook, **emergent_options(loaded.emergent))
    best = max(found.groups, key=lambda g: len(mine & set(g.unit_ids)))
    hit = len(mine & set(best.unit_ids))
    assert hit / len(mine) >= 0.6 and hit / best.size >= 0.7, (best.label, best.unit_ids)
    assert "dog" in best.label


def test_a_topic_told_in_compounds_of_an_ordinary_word_is_found_beside_passing_mentions():
    """ecape's residents mention their dogs in passing in answers about bills, the vet or the sofa; those
    answers join the groups of their rarer words, and a group of every unit using "hund" then held too few of
    that word's uses to be distinct. The answers that tell of dogs in the word's own compounds beside the word
    ("hundeejerne … hundene") share a term of their own and come back as one candidate; a passing mention
    does not join it."""
    units, _ = planted()
    topic = [["hundeejer", "hund", "uenig", "luft"], ["hundelort", "græsplæne", "rasende", "hund"],
             ["hundeskov", "garage", "hund", "snor"], ["hundekurv", "hund", "trappe", "ældre"]]
    mine = [unit(f"dog{i}", f"int{i % 2}", lemmas) for i, lemmas in enumerate(topic)]
    passing = [unit(f"pass{w}{i}", f"int{(i + k) % 2}", ["hund", w, EVERYDAY[(3 * i + k) % 40], EVERYDAY[(5 * i + 7 * k) % 40]])
               for k, w in enumerate(["elregning", "dyrelæge", "forsikring", "sofa"]) for i in range(3)]
    found = discover(units + mine + passing, [Coding("covered", "tema", "mad")], CODEBOOK)
    ids = {u.unit_id for u in mine}
    (group,) = [g for g in found.groups if ids & set(g.unit_ids)]
    assert set(group.unit_ids) == ids and group.label == "hund"  # shown once, as written
    assert "hund" not in {t for g in found.groups if g is not group for t in g.label.split(", ")}


def test_a_compound_of_a_family_head_is_told_apart_from_its_inflections():
    from condense.emergent import background_zipf
    from condense.families import is_compound_of

    assert is_compound_of("hundeskov", "hund", "da", background_zipf)  # hund-e-skov
    assert is_compound_of("snerydningsordning", "sne", "da", background_zipf)  # sne-rydnings-ordning
    assert not is_compound_of("hundene", "hund", "da", background_zipf)  # an ending, not a word
    assert not is_compound_of("billigere", "bil", "da", background_zipf)


def test_a_unit_tells_a_family_in_a_written_compound_but_not_in_an_inflection():
    from condense.emergent import _family_told

    def said(pairs):
        lemmas, surfaces = zip(*pairs)
        return MeaningUnit("u", "u", "t", 1, 1, "X", "respondent", " ".join(surfaces), 0, 1, lemmas=lemmas,
                           surfaces=surfaces)

    family = {"hund": {"hundeejer", "hundelort"}, "bil": {"bilnøgle", "bilvask"}}
    units = [said([("hund", "hunden"), ("hundesko", "hundeskov")]),  # the lemmatiser's "hundesko": as written
             said([("bil", "bil"), ("bil", "bilerne")]),  # an inflection of the head
             said([("hund", "hund"), ("mad", "mad")])]  # the word alone: a passing mention
    docs = [["hund", "hundesko"], ["bil", "bil"], ["hund", "mad"]]
    assert _family_told(units, docs, [[], [], []], family, "da", {}) == [["hund"], [], []]


def test_a_themes_units_are_counted_once_for_their_display_forms_and_their_term_space():
    # grouping.propose and grouping.attach ask for the display forms of a theme's units and then fit a
    # TermSpace on the same units: both read one count of their (lemma, surface) pairs
    from condense import emergent
    from condense.emergent import TermSpace, display_forms

    units, _ = planted()
    display = display_forms(units)
    counts = emergent._surface_counts(units)
    space = TermSpace("da", display=display)
    space.fit_transform(list(units))
    assert space._counts is counts
    units[0].surfaces = ("Skakklubben",) + units[0].surfaces[1:]  # a changed unit: counted again
    again = emergent._surface_counts(units)
    assert again is not counts and again[units[0].lemmas[0].lower()]["Skakklubben"] == 1


def test_whether_a_unit_is_in_a_stability_subsample_does_not_depend_on_the_other_units():
    """One uncovered unit more (a closing reply that is no longer coded, an interview added) must not redraw
    every subsample: a planted topic of four answers was kept or cut by the draw. Each unit is kept by a hash
    of its own id, the same in every process, and about 80% of the units are kept."""
    import subprocess
    import sys

    import numpy as np

    from condense.emergent import _subsample

    ids = np.array([f"t{i % 7}:{i:04d}:1" for i in range(2000)])
    more = np.concatenate([ids[:1000], np.array(["new:0001:1"]), ids[1000:]])
    for r in (1, 2, 3):
        kept = set(ids[_subsample(ids, 0, r, 0.8)].tolist())
        kept_more = set(more[_subsample(more, 0, r, 0.8)].tolist()) - {"new:0001:1"}
        assert kept == kept_more
        assert 0.75 < len(kept) / len(ids) < 0.85
    assert set(_subsample(ids, 0, 1, 0.8).tolist()) != set(_subsample(ids, 0, 2, 0.8).tolist())
    code = ("import numpy as np; from condense.emergent import _subsample; "
            "print(_subsample(np.array([f'u{i}' for i in range(50)]), 0, 1, 0.8).tolist())")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**__import__("os").environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(runs) == 1


def test_the_best_candidates_are_shown_first_and_the_rest_stay_ranked_in_the_table():
    """ecape_da's 30 interviews gave 217 candidates, all in report.md and candidates.yaml: more than a
    researcher reads. The best ``shortlist`` (by rank) are shown there; every candidate stays a candidate,
    with the same id, in candidates.csv, and the report says how many more there are and how to see them."""
    from types import SimpleNamespace

    from condense.emergent import emergent_options
    from condense.export.report import candidates_section

    units, _ = planted()
    every = discover(units, [], CODEBOOK, shortlist=0)
    assert len(every.groups) == 3 and every.shown == every.groups and every.more == 0
    best = discover(units, [], CODEBOOK, **emergent_options({"shortlist": 1}))
    assert [(g.id, g.unit_ids) for g in best.groups] == [(g.id, g.unit_ids) for g in every.groups]
    assert best.shown == best.groups[:1] and best.more == 2
    frame = best.to_frame()
    assert list(frame["candidate"][:3]) == [g.id for g in every.groups]  # the table lists them all, ranked
    themes = candidates_codebook(best, CODEBOOK, {u.unit_id: u for u in units}).dimension("tema").themes
    assert [t.id for t in themes] == [best.groups[0].id]
    section = "\n".join(candidates_section(SimpleNamespace(discovery=best), "da"))
    assert best.groups[0].id in section and best.groups[1].id not in section
    assert "2 kandidater mere" in section and "De 1 bedste" in section


def test_a_group_no_subsample_could_test_is_tested_on_further_ones_not_cut():
    """Three answers, two in one interview: a subsample without the third cannot form the group. When every
    subsample left it out (ecape, seed 0: a planted graffiti topic), the group had no evidence and scored 0,
    which cut it; it is now tested on further subsamples, drawn the same way."""
    import numpy as np

    from condense.emergent import _subsample

    def kept(uid: str, r: int) -> bool:
        return len(_subsample(np.array([uid]), 0, r, 0.8)) == 1

    # the lone answer's id: left out of the one regular subsample, kept in the first extra one
    lone = next(f"int0:{k:04d}:1" for k in range(1000) if not kept(f"int0:{k:04d}:1", 1) and kept(f"int0:{k:04d}:1", 2))
    pair = [f"int1:{k:04d}:1" for k in range(1000) if kept(f"int1:{k:04d}:1", 1) and kept(f"int1:{k:04d}:1", 2)][:2]
    units, _ = planted()
    scooter = ["scooter", "korridor", "opladning", "brandfare", "elscooter", "gang"]
    small = [unit(lone, "int0", scooter[:5]), unit(pair[0], "int1", scooter[1:6]),
             unit(pair[1], "int1", scooter[:4] + scooter[5:])]
    found = discover(units + small, [Coding("covered", "tema", "mad")], CODEBOOK, resamples=1)
    (group,) = [g for g in found.groups if lone in g.unit_ids]
    assert set(group.unit_ids) == {lone, *pair} and group.stability >= 0.9


OTHER = ["varmepumpe", "radiator", "termostat", "elregning", "brændeovn", "isolering", "vinduer", "gardiner",
         "køleskab", "fryser", "opvaskemaskine", "strømpris", "solceller", "jordvarme", "ventilation", "loftet",
         "kælderen", "carport", "elbil", "ladestander", "cykelsti", "bybus", "pendler", "motorvej", "færge",
         "lufthavn", "campingvogn", "sommerhus", "brænde", "skorsten"]


def test_answers_about_a_thing_rank_above_answers_that_mention_it_in_passing():
    """Two topics alike in size and words; one told in answers about it, the other dropped into long
    answers about everyday things. The first is an idea of the interviews, the second a shared word."""
    about = ["vaskekælder", "vasketid", "tørretumbler", "vaskemaskine", "booking", "tøjet"]
    passing = ["bistade", "honning", "biavler", "voks", "slynge", "dragt"]
    units = []
    for i in range(6):
        units.append(unit(f"about{i}", f"int{i % 3}", [about[(i + k) % 6] for k in range(4)]))
        talk = [OTHER[(i * 5 + k) % len(OTHER)] for k in range(12)]  # the answer is about other things
        units.append(unit(f"passing{i}", f"int{i % 4}", talk[:6] + [passing[(i + k) % 6] for k in range(4)] + talk[6:]))
    units += [unit(f"talk{i}", f"int{i % 4}", [EVERYDAY[(i * 7 + k * 5) % len(EVERYDAY)] for k in range(6)])
              for i in range(150)]
    found = discover(units, [], CODEBOOK)  # the passing mentions are told in more interviews (four, not three)
    order = [g.unit_ids[0].rstrip("0123456789") for g in found.groups]
    assert "about" in order and "passing" in order
    assert order.index("about") < order.index("passing")
    by = {g.unit_ids[0].rstrip("0123456789"): g for g in found.groups}
    assert by["about"].focus > 2 * by["passing"].focus


def _opening_units() -> list[MeaningUnit]:
    """Answers about pigeons, each opening with the word ("Duerne …") and so written with a capital; a name
    ("Karen") written with one in the middle of sentences of as many answers; answers opening with a drawn-out
    "nej" ("Neej"); everyday talk around them."""
    def said(uid: str, transcript: str, words: list[str], surfaces: list[str]) -> MeaningUnit:
        text = " ".join(surfaces) + "."
        return MeaningUnit(uid, uid, transcript, 1, 1, "X", "respondent", text, 0, len(text), n_words=len(words),
                           lemmas=tuple(words), surfaces=tuple(surfaces))

    units = []
    for i in range(4):
        rest = EVERYDAY[4 + i * 3:7 + i * 3]
        units.append(said(f"due{i}", f"int{i % 2}", ["due", "altan"] + rest, ["Duerne", "altanerne"] + rest))
        other = EVERYDAY[20 + i * 3:23 + i * 3]
        units.append(said(f"karen{i}", f"int{i % 2}", ["møde", "karen"] + other, ["møde", "Karen"] + other))
        talk = EVERYDAY[32 + i * 2:34 + i * 2] + ["snak"]
        units.append(said(f"nej{i}", f"int{i % 2}", ["neej"] + talk, ["Neej"] + talk))
    background = [unit(f"talk{i}", f"int{i % 4}", [EVERYDAY[(i * 7 + k * 5) % len(EVERYDAY)] for k in range(6)])
                  for i in range(120)]
    return units + background


def test_a_word_that_opens_every_answer_is_no_name_and_makes_a_candidate():
    # each answer about the pigeons opens with "Duerne": the capital is the sentence's, not a name's; it was
    # taken for a name (capitalised in all its uses) and the topic had no word left to be found by
    found = discover(_opening_units(), [], CODEBOOK)
    (pigeons,) = [g for g in found.groups if any(u.startswith("due") for u in g.unit_ids)]
    assert sorted(pigeons.unit_ids) == [f"due{i}" for i in range(4)] and "duerne" in pigeons.terms
    # a name inside sentences is still a name: no candidate is held by it or shows it
    assert all("karen" not in g.terms and "Karen" not in g.label for g in found.groups)
    # a drawn-out "nej" opening answers is a stop word, not a topic, once its capital no longer hides it
    assert all("neej" not in g.terms for g in found.groups)


def test_a_rare_word_and_its_compound_with_a_word_of_the_language_meet():
    """A word too rare for the background list (solcelle: Zipf 0) said alone in two answers and in a compound
    with an ordinary word nobody in the corpus says alone (solcelle+panel) in a third: three answers about one
    thing. The first part had to be known to wordfreq and the tail a word of the corpus, so the compound stood
    apart and two answers were too few for a candidate."""
    units, _ = planted()
    topic = [["afdelingsbestyrelse", "solcelle", "tag", "godkende"], ["solcellepanel", "blok", "strøm", "belysning"],
             ["solcelle", "sænke", "husleje", "desværre"]]
    mine = [unit(f"sol{i}", f"int{i % 2}", lemmas) for i, lemmas in enumerate(topic)]
    found = discover(units + mine, [Coding("covered", "tema", "mad")], CODEBOOK)
    ids = {u.unit_id for u in mine}
    (group,) = [g for g in found.groups if ids & set(g.unit_ids)]
    assert set(group.unit_ids) == ids


def test_a_thing_many_answers_are_about_is_a_candidate_though_others_name_it_in_passing():
    """Sixteen answers are about compost; fourteen more name it beside a heat pump or a wood stove, the topics
    of 40 answers each, and go to those groups. Compost, with about half its uses in its own group, was no
    candidate while a word needed 80% of its uses inside (ecape_da's solar panels, electric cars, district
    heating were lost that way); a word that fifteen units or more are about is held at half."""
    everyday = ["møde", "kaffe", "vej", "hus", "hjælp", "aftale"]  # content words, common in the language
    units = []

    def talk(prefix: str, n: int, words: list[str], interviews: int = 4) -> None:
        for i in range(n):
            units.append(unit(f"{prefix}{i}", f"int{i % interviews}",
                              words + [everyday[i % 6], everyday[(i + 2) % 6], everyday[(i + 4) % 6]]))

    talk("kompost", 16, ["kompost"])
    talk("pumpe", 40, ["varmepumpe"])
    talk("ovn", 40, ["brændeovn"])
    talk("pumpekompost", 7, ["varmepumpe", "kompost"])
    talk("ovnkompost", 7, ["brændeovn", "kompost"])
    background = [unit(f"talk{i}", f"int{i % 6}", [EVERYDAY[(i * 7 + k * 5) % len(EVERYDAY)] for k in range(6)])
                  for i in range(300)]
    found = discover(units + background, [], CODEBOOK)
    (compost,) = [g for g in found.groups if g.terms[:1] == ["kompost"]]
    assert {u for u in compost.unit_ids} == {f"kompost{i}" for i in range(16)}
    assert all(g.terms[:1] != ["kompost"] for g in found.groups if g is not compost)


def test_the_lower_bar_for_a_word_many_units_are_about_is_discoverys_alone():
    from condense.emergent import BIG_LEAD_UNITS, Thresholds

    th = Thresholds(big_lead_units=BIG_LEAD_UNITS)
    rare = [0.9, 0.9]
    assert th.distinct(0.3, [0, 1], rare, lead=(1.0, 0.55, BIG_LEAD_UNITS))
    assert not th.distinct(0.3, [0, 1], rare, lead=(1.0, 0.55, BIG_LEAD_UNITS - 1))  # a few units: 80% as before
    assert not th.distinct(0.3, [0, 1], rare, lead=(1.0, 0.45, 40))  # under half its uses inside: no
    assert not Thresholds().distinct(0.3, [0, 1], rare, lead=(1.0, 0.55, 40))  # sub-groups of a theme: unchanged


def test_a_small_topic_whose_fourth_answer_went_to_another_group_is_still_a_candidate():
    """Four answers name bulky waste; the fourth also names the fridges, freezers and furniture of eight
    other answers and goes to their group. The three left hold three of their word's four uses (75%), and
    were no candidate while one word needed 80% of its uses inside (the planted bulky waste of the sample
    and of ecape_da, the barbecues on balconies). Sub-groups of a theme keep the bar of 80%."""
    from condense.emergent import Thresholds

    everyday = ["møde", "kaffe", "vej", "hus", "hjælp", "aftale"]
    units = [unit(f"skrald{i}", f"int{i}", ["storskrald", everyday[i], everyday[i + 3]]) for i in range(3)]
    units.append(unit("skrald3", "int3", ["storskrald", "køleskab", "fryser", "møbel"]))
    units += [unit(f"køl{i}", f"int{i % 4}", ["køleskab", "fryser", "møbel", everyday[i % 6]]) for i in range(8)]
    background = [unit(f"talk{i}", f"int{i % 6}", [EVERYDAY[(i * 7 + k * 5) % len(EVERYDAY)] for k in range(6)])
                  for i in range(300)]
    found = discover(units + background, [], CODEBOOK)
    (waste,) = [g for g in found.groups if g.terms[:1] == ["storskrald"]]
    assert waste.unit_ids == ["skrald0", "skrald1", "skrald2"]
    assert any("skrald3" in g.unit_ids for g in found.groups if g is not waste)
    assert not Thresholds().coherent([0], 0.0, 0.75, [1.0], lead=(1.0, 0.75, 3))  # sub-groups of a theme: unchanged
    assert not Thresholds(all_but_one=True).coherent([0], 0.0, 0.6, [1.0], lead=(1.0, 0.6, 3))  # two uses outside


def test_a_topic_held_by_its_lead_word_ranks_as_distinct_as_that_word():
    """40 answers of twelve interviews about thermostats, whose other words (each telling a part of it) are
    also said elsewhere, against a word five answers share: the topic ranks first. By the mean share of its
    words alone (0.3) it ranked below the one word (1.0), and ecape_da's heat, washing and cooling topics
    below "sæk", "arvet" and "nørder"."""
    from condense.emergent import Group, rank_score

    def group(size: int, interviews: int, distinct: float, coherence: float, lead_share: float, focus: float) -> Group:
        return Group(id="", label="", terms=[], unit_ids=[f"u{i}" for i in range(size)],
                     transcripts=[f"int{i}" for i in range(interviews)], representatives=[], coherence=coherence,
                     distinctiveness=distinct, stability=1.0, specificity=0.9, focus=focus, lead_share=lead_share)

    topic = group(40, 12, distinct=0.3, coherence=0.2, lead_share=0.95, focus=0.4)
    one_word = group(5, 4, distinct=1.0, coherence=0.0, lead_share=1.0, focus=0.6)
    assert rank_score(topic) > rank_score(one_word)
    unheld = group(40, 12, distinct=0.3, coherence=0.2, lead_share=0.0, focus=0.4)  # not held by its lead: as before
    assert rank_score(unheld) < rank_score(one_word)


def test_the_benchmark_tells_the_stage_that_loses_a_planted_topic(tmp_path):
    """``emergent_recall.py --why``: a topic told in different words in each answer (lamps, bulbs, lights)
    is lost because no word of discovery's representation is in three of its answers, which no threshold
    or seed can mend; a topic found gets no cause."""
    folder, project = _english_sample_copy(tmp_path)
    from emergent_recall import EN_TOPICS, FRESH_EN_TOPICS, measure
    topics = [t for t in EN_TOPICS + FRESH_EN_TOPICS if t.name in ("dogs", "lighting")]
    rows = {r["topic"]: r for r in measure(project, folder, topics, "en", 0, why=True)["rows"]}
    assert rows["dogs"]["recall"] >= 0.6 and "why" not in rows["dogs"]
    assert rows["lighting"]["why"].startswith("no shared word: none in 3 of its uncovered answers over 2 interviews")


def test_half_compounds_and_prepositions_are_no_theme_words():
    """"glas- og metalaffald" leaves the half word "glas-", and "kontra", "ift." are prepositions of written
    speech: in ecape_da they stood in candidate labels ("forsikringer, forsikret, glas-", "flyrejse, kontra",
    "mikroovnen, mikroen, airfryer, ovnen, kontra") because the answers of a topic said them. Discovery's words
    of a unit (what its groups, labels and coherence are made of) hold the topic's words only."""
    from condense.emergent import content_lemmas, content_lemmas_of
    from condense.nlp import analyze_plain
    from condense.stopwords import stop_words

    text = "Vi sorterer glas- og metalaffald kontra pap ift. containeren, vedrørende forsikringen"
    _, lemmas, surfaces = analyze_plain(text, "da")
    one = MeaningUnit("u", "u", "int0", 1, 1, "X", "respondent", text, 0, len(text), n_words=len(lemmas),
                      lemmas=tuple(lemmas), surfaces=tuple(surfaces))
    stop = stop_words("da")
    words = content_lemmas(one, stop)
    assert content_lemmas_of([one], stop) == [words]
    assert not {"glas-", "glas", "kontra", "ift.", "ift", "vedrørende"} & set(words), words
    assert {"metalaffald", "container", "forsikring"} <= set(words), words


def test_surface_counts_make_one_counter_per_lemma_with_the_counts_a_plain_tally_gives(monkeypatch):
    """Counting a theme's (lemma, surface) pairs (run for every theme's proposals and leftovers) makes a Counter
    per lemma, not one per pair that is thrown away when the lemma already has one; lemmas differing in case
    share one, and their surfaces' counts (and the lowered surfaces' counts) are what a plain tally gives."""
    from collections import Counter

    from condense import emergent

    def unit(uid, lemmas, surfaces):
        return MeaningUnit(uid, "", "t1", 1, 1, "R", "respondent", " ".join(surfaces), 0, 1,
                           lemmas=tuple(lemmas), surfaces=tuple(surfaces))

    units = [unit("t1:1", ["Beboer", "møde", "beboer"], ["Beboerne", "møde", "beboerne"]),
             unit("t1:2", ["beboer", "Møde", "møde", "beboer"], ["Beboerne", "Mødet", "møde", "beboer"])]
    made = []

    class Counting(Counter):
        def __init__(self, *args, **kwargs):
            made.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(emergent, "Counter", Counting)
    emergent._SURFACE_COUNTS.clear()
    emergent._LOWERED.clear()
    counts = emergent._surface_counts(units)
    assert counts == {"beboer": {"Beboerne": 2, "beboerne": 1, "beboer": 1}, "møde": {"møde": 2, "Mødet": 1}}
    assert list(counts) == ["beboer", "møde"] and list(counts["beboer"]) == ["Beboerne", "beboerne", "beboer"]
    assert len(made) == 1 + 2  # the tally of pairs, then one per lemma
    lowered = emergent._lowered(counts)
    assert lowered == {"beboer": {"beboerne": 3, "beboer": 1}, "møde": {"møde": 2, "mødet": 1}}
    assert all(type(c) is Counting for c in [*counts.values(), *lowered.values()]) and len(made) == 3 + 2


def test_the_most_used_surface_is_the_one_ordering_by_uses_then_alphabet_gives():
    """A lemma written one way is shown that way without ordering anything; with several, the most used,
    ties alphabetical, as ordering every (surface, uses) pair gives."""
    import random
    from collections import Counter

    from condense.emergent import _most_used

    assert _most_used(Counter({"cykler": 1})) == "cykler"
    assert _most_used(Counter({"cyklen": 2, "cykler": 2, "cykel": 1})) == "cyklen"
    rng = random.Random(3)
    for _ in range(3000):
        c = Counter({"".join(rng.choice("abc") for _ in range(rng.randint(1, 3))): rng.randint(1, 4)
                     for _ in range(rng.randint(1, 5))})
        assert _most_used(c) == min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0]


@pytest.mark.parametrize("language,text,fillers", [
    ("en", "Aye, we ran the cooking club, aye. Nah, the men dunno about it, cos nobody told them, innit. "
           "Gonna need a new cooker for the cooking club, ya know, aye.",
     {"aye", "nah", "dunno", "cos", "innit", "gonna", "ya"}),
    ("da", "Jah, vi startede madklubben, uha. Nåmen hva, hov, madklubben fik en ny komfur, puha, jep, "
           "og mmm madklubben var god.",
     {"jah", "uha", "nåmen", "hva", "hov", "puha", "jep", "mmm"}),
])
def test_regional_and_spoken_fillers_are_no_theme_words(language, text, fillers):
    """The English sample's Newcastle respondent says "aye": it stood among her interview's key words in the
    report. Spoken forms of agreement and hesitation (aye, nah, innit, cos, dunno, gonna; jah, nåmen, hva, hov,
    puha, jep) say nothing about a topic: no key word, no candidate label."""
    from condense.emergent import content_lemmas
    from condense.nlp import analyze_plain
    from condense.stopwords import stop_words

    _, lemmas, surfaces = analyze_plain(text, language)
    one = MeaningUnit("u", "u", "int0", 1, 1, "X", "respondent", text, 0, len(text), n_words=len(lemmas),
                      lemmas=tuple(lemmas), surfaces=tuple(surfaces))
    words = set(content_lemmas(one, stop_words(language)))
    assert not fillers & words, fillers & words
    topic = {"club", "cooker"} if language == "en" else {"madklub", "komfur"}
    assert topic <= words, words


def _label_of(units: list[list[str]], top: list[str], interviews: list[int] | None = None, pairs=None) -> str:
    """label_group over a hand-made group: ``units`` are each unit's content words, ``top`` the group's top
    words in order; every word is shown as it is written."""
    from collections import Counter

    import numpy as np
    from scipy import sparse

    from condense.emergent import label_group

    words = sorted({w for u in units for w in u})
    rows = [[words.index(w) for w in sorted(set(u))] for u in units]
    B = sparse.csr_matrix((np.ones(sum(map(len, rows))), ([i for i, r in enumerate(rows) for _ in r],
                                                          [j for r in rows for j in r])), shape=(len(units), len(words)))
    pairs = pairs or [[] for _ in units]
    pool: Counter = Counter()
    for p in pairs:
        pool.update({(a, b) for a, b, _, _ in p})
    return label_group(np.arange(len(units)), [words.index(w) for w in top], words, pairs, {w: w for w in words}, "da",
                       pool, frozenset(), B, None if interviews is None else np.array(interviews))


def test_a_label_word_must_be_used_with_the_labels_first_word():
    """A group held by its lead word ("presset" in 18 of 18 ecape_da units) showed two more top words that
    two units each had brought ("presset, orden"): they say nothing of the group. A word after the first is
    shown only when it is in a third of the units holding the first."""
    units = [["regnskab", "husholdning"]] * 4 + [["regnskab", "kontoudtog"], ["regnskab", "kontoudtog"],
                                                 ["regnskab", "rullegardin"], ["regnskab", "rullegardin"]]
    assert _label_of(units, ["regnskab", "husholdning", "rullegardin"]) == "regnskab, husholdning"


def test_forms_of_one_word_are_shown_once_in_a_label():
    """ecape_da showed "forsikringer, forsikret, sanitetsforsikring": three forms of one word."""
    from condense.emergent import same_word

    units = [["forsikring", "forsikre", "sanitetsforsikring", "tandlæge"]] * 3
    assert _label_of(units, ["forsikring", "forsikre", "sanitetsforsikring", "tandlæge"]) == "forsikring, tandlæge"
    assert same_word("fryser", "fryserdel") and not same_word("regne", "regnskab")
    assert not same_word("svigerfar", "svigermor") and not same_word("termo", "termostater")


def test_a_label_phrase_is_said_in_two_interviews():
    """Two words side by side in one interview's answers ("en fryserdel forneden" twice in interview 29 of
    ecape_da) led a label of a group from two interviews; the same phrase said in two interviews leads it."""
    units = [["køleskab", "fryserdel", "forneden"], ["køleskab", "fryserdel", "forneden"], ["køleskab", "fryserdel"]]
    pairs = [[("fryserdel", "forneden", "fryserdel", "forneden")]] * 2 + [[]]
    top = ["køleskab", "fryserdel", "forneden"]
    assert not _label_of(units, top, [0, 0, 1], pairs).startswith("fryserdel forneden")
    assert _label_of(units, top, [0, 1, 1], pairs).startswith("fryserdel forneden")


def test_the_cut_of_one_word_groups_compares_no_groups(monkeypatch):
    """Which groups are cut is decided in one pass: a test of each group against the kept ones (``in`` a list
    of dataclasses, compared field by field) was quadratic in the groups (1M words: 787, 309,000 comparisons)."""
    from condense import emergent

    compared = []
    monkeypatch.setattr(emergent.Group, "__eq__", lambda a, b: compared.append(1) or a is b)
    units, _ = planted()
    found = discover(units + _one_word_units(None), [Coding("covered", "tema", "mad")], CODEBOOK)
    assert len(found.groups) >= 3 and len(found.cut) == 1
    assert not compared


def test_a_unit_saying_only_the_word_that_gathered_a_group_joins_it_when_the_lead_is_no_rarer():
    """"kompostbeholder" (three answers over two interviews) and "drivhus" (seven answers over three, two of
    them beside the compost bin) gather one group, which "drivhus" leads (more units, about as rare). The
    answer of the second interview says only "kompostbeholder": it joins through that word, which gathered the
    group, as through the lead word. Left out as an answer with one side word ("kloak" in an answer about
    pipes), as the planted satellite dishes beside balconies were, it took the group's second word with it:
    "kompostbeholder" was then said in one answer only (two units of one turn), and the group, one ordinary
    word, was cut. A word commoner than the lead stays a side word, and the sub-groups of a theme keep their
    proposals as they were."""
    import numpy as np
    from scipy import sparse

    from condense.emergent import _best_group, _Raw

    everyday = ["møde", "kaffe", "vej", "hus", "hjælp", "aftale", "uge", "plan"]
    units = [unit(f"drivhus{i}", "int0", ["drivhus", everyday[i], everyday[i + 3]]) for i in range(3)]
    units += [unit(f"begge{i}", "int0", ["drivhus", "kompostbeholder", everyday[i + 1]]) for i in range(2)]
    units += [unit(f"drivhus{i}", f"int{i - 1}", ["drivhus", everyday[i - 3], everyday[i + 1]]) for i in (3, 4)]
    units.append(unit("kompost", "int1", ["kompostbeholder", everyday[5], everyday[7]]))
    background = [unit(f"talk{i}", f"int{i % 4}", [EVERYDAY[(i * 7 + k * 5) % len(EVERYDAY)] for k in range(6)])
                  for i in range(300)]
    found = discover(units + background, [], CODEBOOK)
    garden = [g for g in found.groups if "drivhus" in g.lemmas]
    assert len(garden) == 1, found.cut
    garden = garden[0]
    assert garden.lemmas[:2] == ["drivhus", "kompostbeholder"]
    assert sorted(garden.unit_ids) == sorted(u.unit_id for u in units) and len(garden.transcripts) == 4

    # columns: 0 lead, 1 anchor, 2 side word; rows: lead+anchor, anchor only, side word only
    B = sparse.csr_matrix(np.array([[1, 1, 0], [0, 1, 0], [0, 0, 1]], dtype=float))
    chosen = [_Raw(np.array([0, 1, 2]), [0, 1, 2], anchors=[1])]
    Bc = sparse.csc_matrix(B)
    assert _best_group(chosen, B, Bc, np.array([0.9, 1.0, 1.0]), anchor_entry=True).tolist() == [0, 0, -1]
    assert _best_group(chosen, B, Bc, np.array([0.9, 0.8, 1.0]), anchor_entry=True).tolist() == [0, -1, -1]
    # the sub-groups of a theme (grouping.propose) keep the lead word as the one word that lets a unit in
    assert _best_group(chosen, B, Bc, np.array([0.9, 1.0, 1.0])).tolist() == [0, -1, -1]


def test_the_benchmark_measures_several_sets_one_by_one_and_sums_up_the_held_out_ones(tmp_path, monkeypatch, capsys):
    """``emergent_recall.py --topics main,checks,fresh``: each set planted and measured on its own (as three
    runs would), one line a set, and a HELDOUT line over the sets never tuned on (not ``main``)."""
    _english_sample_copy(tmp_path)  # benchmarks/ importable
    import emergent_recall

    figures = {"main": (16, 24, 25), "checks": (4, 10, 11), "fresh": (1, 8, 8)}
    seen = []

    def one_set(args, name):
        seen.append(name)
        found, findable, topics = figures[name]
        return {"topics": topics, "found": found, "findable": findable, "mean_recall": 0.5, "mean_purity": 0.25,
                "largest_share": 0.02}

    monkeypatch.setattr(emergent_recall, "_measure_set", one_set)
    assert emergent_recall.main(["--topics", "main,checks,fresh"]) == 0
    out = capsys.readouterr().out
    assert seen == ["main", "checks", "fresh"]
    assert "checks      4       10     11   0.50   0.25   0.020" in out
    assert out.rstrip().splitlines()[-1] == "HELDOUT sets=2 found=5 findable=18 topics=19"
    with pytest.raises(SystemExit):
        emergent_recall.main(["--topics", "main,nope"])
