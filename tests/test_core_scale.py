"""The core (ingest → segment → code) stays linear and its fast paths give the answers of the slow ones:
one huge turn, withdrawn-passage fingerprints hashed in one pass, negation skipped where no cue is."""
from __future__ import annotations

import random
import re
import time

import pytest

from condense.ingest import ingest
from condense.ingest.withdrawn import (WORD_RE, find_withdrawn, fingerprint_hash, withdrawn_overlap,
                                       word_hashes)
from condense.negation import analyse, align, may_negate
from condense.segment import segment

WORDS = ("beboerne var med til at planlægge helhedsplanen og vi talte om det nye fælleshus i afdelingen "
         "ikke kun men aldrig uden").split()


def _one_turn_file(folder, n_words: int, seed: int = 3):
    """One respondent turn of ``n_words`` words, ten words a line (an NVivo source read as one turn)."""
    rng = random.Random(seed)
    lines = ["I: Fortæl om planen.", "", "R: Ja."]
    for _ in range(n_words // 10):
        lines.append(" ".join(rng.choice(WORDS) for _ in range(10)) + ".")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "one_turn.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _cpu(fn) -> float:
    best = float("inf")
    for _ in range(2):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def test_one_huge_turn_is_read_and_segmented_in_linear_time(tmp_path, nlp_da):
    small = _one_turn_file(tmp_path / "small", 50_000)
    big = _one_turn_file(tmp_path / "big", 200_000)
    segment(ingest([small]).transcripts, nlp=nlp_da)  # warm the tokenizer and lemma caches
    # four times the words: about four times the time (the quadratic turn assembly took 20x to read)
    read_small, read_big = _cpu(lambda: ingest([small])), _cpu(lambda: ingest([big]))
    assert read_big < 8 * read_small, (read_small, read_big)
    t_small = _cpu(lambda: segment(ingest([small]).transcripts, nlp=nlp_da))
    made = {}  # the big file's last timed reading and segmentation, checked below (not made a fifth time)

    def big_read_and_segmented():
        made["corpus"] = ingest([big])
        made["seg"] = segment(made["corpus"].transcripts, nlp=nlp_da)

    t_big = _cpu(big_read_and_segmented)
    assert t_big < 8 * t_small, (t_small, t_big)
    corpus, seg = made["corpus"], made["seg"]
    source = corpus.transcripts[0].text
    assert corpus.n_words >= 200_000 and len(seg.units) > 5_000
    for u in seg.units[::97]:  # every unit's span points at its own words in the source
        assert " ".join(source[u.start:u.end].split()) == u.text


def test_fingerprints_hashed_in_one_pass_match_word_by_word():
    text = "Naboen zqxholm kom ikke til mødet i går, men han ringede bagefter og sagde det til Zqxholm."
    singles, shingles = word_hashes(text)
    words = WORD_RE.findall(text.casefold())
    assert singles == {fingerprint_hash("w:" + w) for w in words}
    assert shingles == {fingerprint_hash("s:" + " ".join(words[i:i + 4])) for i in range(len(words) - 3)}
    assert len(shingles) == len(words) - 3  # no two shingles of different words collide


def test_withdrawn_passage_is_found_again_by_its_words_and_shingles():
    found = find_withdrawn("Godt. [[withdrawn]] Min nabo zqxholm drikker hver eneste aften. [[/withdrawn]] Ja.", "a.txt")
    assert found.words and found.shingles
    assert withdrawn_overlap("I går sagde Zqxholm hej.", found.words, found.shingles) == "word"
    assert withdrawn_overlap("Han drikker hver eneste aften, siger de.", found.words, found.shingles) == "shingle"
    assert withdrawn_overlap("Han drikker hver aften eneste.", found.words, found.shingles) == ""


def _align_by_analysis(text, surfaces, language):
    """align() as it reads from the full analysis of every text (the reference for the fast paths)."""
    analysed = analyse(text, language)
    flags, sentences, pos, k, sent = [], [], 0, 0, 0
    for s in surfaces:
        at = text.find(s, pos)
        neg = False
        if at >= 0:
            pos = at + len(s)
            while k < len(analysed) and analysed[k].end <= at:
                k += 1
            if k < len(analysed) and analysed[k].start < pos:
                neg = analysed[k].negated and not analysed[k].cue
                sent = analysed[k].sentence
        flags.append(neg)
        sentences.append(sent)
    return flags, sentences


PIECES = ["ikke", "Ikke", "IKKE", "uden", "ej", "vej", "hverken", "eller", "kun", "not", "no", "NOT", "don't",
          "won’t", "n't", "nor", "neither", "only", "doubt", "beboerne", "we", "asked", "men", "but", "x'ikke",
          "İkke", ".", "...", "…", "!", "?", ",", "(", ")", "'", "’", "-", "_", "3", " ", " ", " ", "\t"]


@pytest.mark.parametrize("language", ["da", "en"])
def test_negation_fast_paths_agree_with_the_full_analysis(language):
    rng = random.Random(11)
    checked = 0
    for _ in range(4000):
        text = "".join(rng.choice(PIECES) + rng.choice(["", " "]) for _ in range(rng.randint(0, 25)))
        tokens = re.findall(r"\w+(?:['’]\w+)*|[^\w\s]", text)
        surfaces = [t for t in tokens if rng.random() < 0.8]
        assert align(text, surfaces, language) == _align_by_analysis(text, surfaces, language), (text, surfaces)
        if not may_negate(text, language):
            assert not any(w.negated for w in analyse(text, language)), text
            checked += 1
    assert checked > 200  # the no-cue path was exercised


FP_PIECES = ["Beboerne", "ÆBLE", "straße", "İkke", "naïve", "é", "e\u0301", "’", "–", "…", "«", "»", "_", "__x",
             "x_y", "3", "½", "²", "٣", "Ωmega", "ﬁ", "\u00a0", "\u2009", "\t", "\u0085", "\u3000", ".", "?!",
             "-", "'", "🙂", "漢字", "ǅ", " ", "  "]


def test_fingerprint_cut_from_bytes_equals_the_regex_definition(sample_units):
    """fingerprint() cuts words from UTF-8 bytes; it must give the regex substitution's hash for every
    text: the sample's units and random mixes of odd letters, digits, marks and spaces."""
    from condense.model import _fingerprint_by_regex, fingerprint

    rng = random.Random(5)
    texts = [u.text for u in sample_units.units] + ["", " ", "_", "…", "a…b", "ÆØÅ æøå"]
    texts += ["".join(rng.choice(FP_PIECES) for _ in range(rng.randint(1, 20))) for _ in range(3000)]
    assert [fingerprint(t) for t in texts] == [_fingerprint_by_regex(t) for t in texts]
    assert fingerprint("Vi  talte, om   DET!") == fingerprint("vi talte om det")


@pytest.mark.parametrize("mode", ["window", "sentence", "turn"])
def test_a_units_fingerprint_made_from_its_pieces_is_its_texts(sample_units, write, mode):
    """The segmenter hashes a unit from the words of its space-separated pieces (kept with each piece's
    tokens): every unit's fingerprint is fingerprint(unit.text), on the sample, the English sample and turns
    of odd letters, marks, punctuation and spaces, including sentences cut inside a piece ("slut.Næste"),
    double spaces and whitespace the pieces cannot be joined over (tabs, no-break spaces)."""
    from condense.ingest import read_transcript
    from condense.model import fingerprint, fingerprint_words, words_digest
    from condense.segment import Settings
    from conftest import SAMPLE

    rng = random.Random(11)
    words = FP_PIECES + ["Ja.", "slut.Næste", "Nej!", "kr.", "50", "Og", "Så", "...", "(griner)", "[anon]", "ikke"]
    turns = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 40))).replace("\n", " ") for _ in range(400)]
    lines = ["---", "id: odd", "interviewer_labels: [I]", "---"]
    for turn in turns:
        lines += ["I: Og så?", "", f"R: {turn}", ""]
    transcripts = ([read_transcript(write("odd.txt", "\n".join(lines)))] + ingest([SAMPLE]).transcripts
                   + ingest([SAMPLE / "en"]).transcripts)
    units = segment(transcripts, settings=Settings(mode=mode, max_sentences=2, max_words=12)).units
    assert len(units) > 900
    assert [u.fingerprint for u in units] == [fingerprint(u.text) for u in units]
    for text in turns + [u.text for u in sample_units.units]:  # a text's words are its pieces' words joined
        assert words_digest(b" ".join(filter(None, map(fingerprint_words, text.split(" "))))) == fingerprint(text)


def test_coder_present_by_set_intersection_equals_the_ordered_scan(sample_units):
    """Coder._present finds a unit's term carriers by a set intersection and orders them by first
    occurrence: the same dict (keys, carriers and order) as scanning the distinct lemmas in order, on every
    sample unit and on random lemma sequences of terms, their compounds, repeats and unseen words."""
    from condense.codebook import load_codebook
    from condense.coding import Coder
    from conftest import CODEBOOK_DA

    coder = Coder(load_codebook(CODEBOOK_DA))

    def scanned(lemmas):
        present = {}
        for lemma in dict.fromkeys(lemmas):
            for h in coder.heads(lemma):
                present.setdefault(h, lemma)
        return present

    words = sorted(coder.term_lemmas)[:60] + ["beboerundersøgelse", "gårdmøde", "zqxbeboer", "og", "vi", "det"]
    rng = random.Random(9)
    sequences = [u.lemmas for u in sample_units.units]
    sequences += [tuple(rng.choice(words) + rng.choice(["", "", "s", "-x"]) for _ in range(rng.randint(0, 12)))
                  for _ in range(2000)]
    for lemmas in sequences:
        got = coder._present(lemmas)
        assert list(got.items()) == list(scanned(lemmas).items()), lemmas


def test_loose_marker_search_and_near_words_keep_their_definitions():
    """The loose "with drawn" search spells out re.IGNORECASE's letters as classes, and _near rejects a word
    with more than two letters its target lacks before the edit distance: the same answers as the case-blind
    regex and the plain edit distance, on random words near and far from "withdrawn" and mixed-case texts."""
    from condense.ingest.withdrawn import _LOOSE, _near

    def distance(a, b):
        prev = list(range(len(b) + 1))
        for i, x in enumerate(a, start=1):
            cur = [i]
            for j, y in enumerate(b, start=1):
                cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
            prev = cur
        return prev[-1]

    blind = re.compile(r"with[ \t]*drawn", re.I)
    rng = random.Random(4)
    letters = "withdrawnxyzeoæ"
    for _ in range(4000):
        word = list("withdrawn")
        for _ in range(rng.randint(0, 4)):
            k = rng.randrange(len(word) + 1)
            op = rng.choice("ids")
            if op == "i":
                word.insert(k, rng.choice(letters))
            elif word and k < len(word):
                if op == "d":
                    del word[k]
                else:
                    word[k] = rng.choice(letters)
        w = "".join(word) if rng.random() < 0.8 else "".join(rng.choice(letters) for _ in range(rng.randint(5, 12)))
        assert _near(w, "withdrawn") == (distance(w, "withdrawn") <= 2), w
        text = "".join(c.upper() if rng.random() < 0.3 else c for c in f"x {w[:4]}{rng.choice(['', ' ', chr(9), '  '])}{w[4:]} y")
        text = text.replace("i", rng.choice(["i", "İ", "ı", "I"]))
        assert bool(_LOOSE.search(text)) == bool(blind.search(text)), text


def test_marker_look_alike_checks_with_the_folded_text_give_the_plain_answers():
    """find_withdrawn's prefilter: _loose given the case-folded text skips the "with drawn" search only where
    "drawn" is absent, _has_fragment answers as a FRAGMENT search, and BRACKETED starting at a literal "[" finds what ``\\[{1,3}…`` found: the same answers
    on texts with brackets, near-miss markers, odd cases and long-s/Kelvin/dotted-I letters."""
    from condense.ingest.withdrawn import BRACKETED, FRAGMENT, _has_fragment, _loose

    old_bracketed = re.compile(r"\[{1,3}[ \t]*/?[ \t]*(?P<inner>[^\[\]\n]{4,25}?)[ \t]*\]{1,3}")
    rng = random.Random(11)
    parts = ["[", "[[", "[[[", "]", "]]", "]]]", " ", "\t", "\n", "\n", "/", "with", "drawn", "WITH", "DRAWN", "Drawn",
             "withdrawn", "witdrawn", "withdrawm", "İthdrawn", "ſ", "\u212a", "griner", "anonymiseret", "x", "æøå"]
    for _ in range(3000):
        text = "".join(rng.choice(parts) for _ in range(rng.randint(1, 14)))
        folded = text.casefold()
        assert _loose(text, folded) == _loose(text), text
        assert _has_fragment(text) == bool(FRAGMENT.search(text)), text
        assert [m.group(0, "inner") for m in BRACKETED.finditer(text)] == \
               [m.group(0, "inner") for m in old_bracketed.finditer(text)], text


def test_units_carry_their_fields_in_order(sample_corpus, sample_units):
    """segment builds MeaningUnit by position (keywords cost most of the object): every field holds what its
    name says on the sample's units, and the field order is the one _UnitMaker writes."""
    import dataclasses

    from condense.model import MeaningUnit, fingerprint

    assert [f.name for f in dataclasses.fields(MeaningUnit)] == [
        "unit_id", "fingerprint", "transcript", "turn", "position", "speaker", "role", "text", "start", "end",
        "question", "question_turn", "timestamp", "cases", "anonymous", "language", "n_words", "lemmas", "surfaces"]
    by_id = {t.id: t for t in sample_corpus.transcripts}
    for u in sample_units.units:
        t = by_id[u.transcript]
        turn = t.turns[u.turn]
        assert u.unit_id == f"{u.transcript}:{u.turn:04d}:{u.position}" and u.position >= 1
        assert (u.speaker, u.role, u.timestamp, u.language) == (turn.speaker, "respondent", turn.timestamp, t.language)
        assert u.text in turn.text and u.fingerprint == fingerprint(u.text)
        assert u.cases == t.cases and u.cases is not t.cases and u.anonymous == t.is_anonymous(turn.speaker)
        assert u.n_words == len(u.lemmas) == len(u.surfaces)
        assert t.text[u.start:].startswith(u.text.split(" ")[0]) and u.start < u.end <= len(t.text)
        if u.question_turn is not None:
            assert t.turns[u.question_turn].text == u.question and u.question_turn < u.turn


def test_turn_texts_go_on_where_a_turn_gets_text_again():
    """_TurnTexts joins a turn's pieces when text comes for another turn; a turn given text again later goes on
    from its joined text, with its pieces' offsets, as when every turn's pieces were kept to the end."""
    from condense.ingest.turns import _TurnTexts
    from condense.model import Turn

    first, second = Turn(0, "I", "", "", 0, 0, 1), Turn(1, "R", "", "", 0, 0, 2)
    texts = _TurnTexts()
    texts.add(first, "Hvordan gik det?", 3)
    texts.add(second, "Godt.", 25)
    texts.add(first, "Og så (1.04.46) bagefter", 40)
    texts.finish()
    assert first.text == "Hvordan gik det? Og så bagefter" and second.text == "Godt."
    assert first.pieces == [(0, 3, 16), (17, 40, 5), (23, 56, 8)] and second.pieces == [(0, 25, 5)]
    assert (first.start, first.end, second.start, second.end) == (3, 64, 25, 30)


def test_a_turn_of_one_piece_maps_offsets_as_the_bisecting_map():
    """_OnePiece (a turn made of one stretch of source text) gives every start and end offset that
    _SourceMap gives for the same turn, inside the turn, at its ends and beyond them."""
    from condense.segment import _OnePiece, _SourceMap

    for source in (0, 1, 17, 4000):
        for length in (0, 1, 5, 80):
            piece = (0, source, length)
            one, full = _OnePiece(piece), _SourceMap([piece])
            for offset in range(-2, length + 4):
                assert one.start(offset) == full.start(offset), (piece, offset)
                assert one.end(offset) == full.end(offset), (piece, offset)
