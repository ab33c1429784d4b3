"""Segmentation (STC step 2): respondent turns → meaning units.

Modes: ``window`` (default; up to ``max_sentences`` sentences and ``max_words`` words inside one turn),
``turn`` (a turn is a unit) and ``sentence``. Units never cross a turn; a turn that is only a backchannel
("ja", "mm", "okay", "nej nej") is no unit. Every unit keeps the interviewer question that prompted it.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import compress
from typing import Callable, Iterable, TypeVar

from .model import INTERVIEWER, RESPONDENT, MeaningUnit, Transcript, fingerprint, gc_paused, make_unit_id
from .nlp import BACKCHANNEL_CHARS, is_backchannel

__all__ = [
    "MODES", "Settings", "Question", "Segmentation", "segment", "segment_shares", "segment_map",
]

MODES = ("window", "sentence", "turn")
R = TypeVar("R")
PREFILL_MIN = 4000  # new word pieces worth tokenizing in worker processes (fewer: here)


@dataclass(frozen=True, slots=True)
class Settings:
    mode: str = "window"
    max_sentences: int = 3
    max_words: int = 80

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"segmentation mode must be one of {', '.join(MODES)}, not {self.mode!r}")
        if self.max_sentences < 1 or self.max_words < 1:
            raise ValueError("max_sentences and max_words must be at least 1")


@dataclass(slots=True)
class Question:
    """An interviewer turn, with its lemmas for the coder's question cues and guide context."""

    transcript: str
    turn: int
    text: str
    lemmas: tuple[str, ...]
    surfaces: tuple[str, ...]


@dataclass
class Segmentation:
    units: list[MeaningUnit]
    questions: list[Question] = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)
    _index: dict | None = field(default=None, repr=False, compare=False)

    @property
    def by_id(self) -> dict[str, MeaningUnit]:
        """unit id → unit (built once, rebuilt if the list of units changed length)."""
        if self._index is None or len(self._index) != len(self.units):
            self._index = {u.unit_id: u for u in self.units}
        return self._index

    def unit(self, unit_id: str) -> MeaningUnit:
        """A unit by its id."""
        return self.by_id[unit_id]

    def to_frame(self):
        import pandas as pd

        rows = [u.as_row() for u in self.units]
        return pd.DataFrame(rows, columns=list(rows[0]) if rows else
                            ["unit_id", "fingerprint", "transcript", "turn", "position", "speaker", "role", "start",
                             "end", "timestamp", "n_words", "text", "question", "cases", "anonymous"])


def segment(
    transcripts: Iterable[Transcript],
    *,
    settings: Settings | None = None,
    nlp=None,
) -> Segmentation:
    """Split the respondent turns of ``transcripts`` into meaning units.

    >>> seg = segment(corpus.transcripts)                  # doctest: +SKIP
    >>> seg.units[0].unit_id, seg.units[0].question[:30]    # doctest: +SKIP
    """
    return _segment_paused(list(transcripts), settings or Settings(), nlp, True)


def segment_shares(transcripts: list[Transcript], settings: Settings, nlp, jobs: int) -> Segmentation:
    """:func:`segment` over the transcripts in ``jobs`` forked processes (parallel.py; the same result).

    The word-piece cache is filled first, its new pieces split between the workers, and merged here, so
    that the segmenting workers fork with every piece known: each would otherwise tokenize and lemmatise
    the corpus's common words again (with 2 jobs, segmenting took as long as with 1).
    """
    return segment_map(transcripts, settings, nlp, jobs)[0]


def segment_map(transcripts: list[Transcript], settings: Settings, nlp, jobs: int,
                then: Callable[[Segmentation], R] | None = None,
                meanwhile: Callable[[], None] | None = None) -> tuple[Segmentation, list[R]]:
    """:func:`segment_shares`, and ``then(seg)`` run on each share's segmentation in the process that made it,
    before its units and questions are sent back (they go back as ``then`` left them): the whole
    segmentation and ``then``'s value per share. With one job, ``then`` runs here on the whole segmentation.
    The next per-transcript step of a run rides on the same workers this way (pipeline.py: privacy and the
    rule coder), instead of a map of its own that forks and sends every unit again. ``meanwhile()``: what
    ``then`` needs made here, called while the word pieces are tokenized in workers (else first)."""
    from .parallel import available_jobs, map_shares, rows

    then = then or (lambda seg: None)
    pending = [meanwhile] if meanwhile is not None else []
    jobs = available_jobs(jobs)
    if jobs <= 1 or len(transcripts) < 2:
        _call(pending)
        seg = segment(transcripts, settings=settings, nlp=nlp)
        return seg, [then(seg)]
    own = _own(nlp)
    if own:
        for language in sorted({t.language for t in transcripts}):
            _prefill(language, [turn.text for t in transcripts if t.language == language for turn in t.turns], jobs,
                     pending)
    _call(pending)

    def share(ts: list[Transcript]):
        seg = _segment_paused(ts, settings, nlp, not own)
        value = then(seg)
        return _packed(seg), value

    parts = map_shares(share, transcripts, jobs, weight=lambda t: len(t.text))
    with gc_paused():
        units = [u for p in parts for u in rows(MeaningUnit, p[0][0])]
        questions = [q for p in parts for q in rows(Question, p[0][1])]
    return Segmentation(units, questions, settings), [p[1] for p in parts]


def _packed(seg: Segmentation) -> tuple[tuple[list, ...], tuple[list, ...]]:
    """A worker's units and questions as columns (parallel.columns: half the pickling time)."""
    from .parallel import columns

    return columns(seg.units, MeaningUnit), columns(seg.questions, Question)


def _prefill(language: str, texts: list[str], jobs: int, pending: list | None = None) -> None:
    """The piece cache of a language filled for ``texts``, the new pieces tokenized in ``jobs`` workers;
    ``pending``: work of this process's own (functions), done meanwhile and removed from the list."""
    from .nlp import add_pieces, merge_facts, new_pieces, piece_facts, types_for
    from .parallel import map_shares

    types = types_for(language)
    pieces = new_pieces(texts, types)
    if len(pieces) < PREFILL_MIN:  # a worker costs more than it saves
        add_pieces(pieces, types)
        return
    for facts in map_shares(lambda share: piece_facts(share, types), pieces, jobs,
                            meanwhile=lambda: _call(pending or [])):
        merge_facts(types, facts)


def _call(pending: list) -> None:
    """Call the functions of ``pending`` and empty it."""
    while pending:
        pending.pop(0)()


def _segment_paused(transcripts: list[Transcript], settings: Settings, nlp, fill: bool) -> Segmentation:
    with gc_paused():
        return _segment(transcripts, settings, nlp, fill)


def _segment(transcripts: list[Transcript], settings: Settings, nlp, fill: bool = True) -> Segmentation:
    units: list[MeaningUnit] = []
    questions: list[Question] = []
    by_language: dict[str, list[Transcript]] = {}
    for t in transcripts:
        by_language.setdefault(t.language, []).append(t)
    order = {t.id: i for i, t in enumerate(transcripts)}
    for language, group in by_language.items():
        analyse = _analyser(nlp, language)
        whole = _whole_unit(nlp, language, settings)
        words = _question_words(nlp, language, analyse)
        turns = [(t, turn) for t in group for turn in t.turns]
        if fill:  # (not when segment_shares filled the cache before forking)
            _fill(nlp, language)
        last_question: dict[str, tuple[int, str]] = {}
        for transcript, turn in turns:
            if turn.role == INTERVIEWER:
                lem, surf = words(turn.text)
                questions.append(Question(transcript.id, turn.index, turn.text, lem, surf))
                last_question[transcript.id] = (turn.index, turn.text)
                continue
            if turn.role != RESPONDENT or is_backchannel(turn.text, language):
                continue
            make = _UnitMaker(transcript, turn, last_question.get(transcript.id, (None, "")), language)
            found = (whole or analyse)(turn.text)
            if len(found) == 3:  # the whole turn is one unit (its text passed the backchannel test above)
                units.append(make(1, 0, len(turn.text), *found))
                continue
            starts, lemmas, texts, offset = found
            fingerprint_of = getattr(offset, "fingerprint", None)  # (nlp._ChunkOffsets: joined from pieces)
            for position, (start_tok, end_tok) in enumerate(_windows(starts, len(lemmas), lemmas, settings, texts), start=1):
                while end_tok - 1 > start_tok and texts[end_tok - 1].isspace():  # the tab or spaces before the next
                    end_tok -= 1  # sentence are in neither unit (a fingerprint hashes words: it is the same)
                span_start = offset(start_tok)
                span_end = offset(end_tok - 1) + len(texts[end_tok - 1])
                if span_end - span_start <= BACKCHANNEL_CHARS and is_backchannel(turn.text[span_start:span_end], language):
                    continue  # (a longer window is none: its text is not cut out twice to find that)
                fp = fingerprint_of(start_tok, end_tok, span_start, span_end) if fingerprint_of is not None else None
                units.append(make(position, span_start, span_end, *_content(lemmas, texts, start_tok, end_tok), fp))
    if len(by_language) > 1:
        units.sort(key=lambda u: (order[u.transcript], u.turn, u.position))
        questions.sort(key=lambda q: (order[q.transcript], q.turn))
    _renumber(units)
    return Segmentation(units, questions, settings)


class _UnitMaker:
    """The meaning units of one respondent turn: what they share (transcript, speaker, question, cases,
    anonymity, the map to source offsets) is worked out once per turn."""

    __slots__ = ("transcript", "turn", "question", "language", "source", "anonymous")

    def __init__(self, transcript: Transcript, turn, question: tuple[int | None, str], language: str):
        self.transcript = transcript
        self.turn = turn
        self.question = question
        self.language = language
        self.source = _SourceMap(turn.pieces) if len(turn.pieces) != 1 else _OnePiece(turn.pieces[0])
        self.anonymous = transcript.is_anonymous(turn.speaker)

    def __call__(self, position: int, span_start: int, span_end: int, lem: tuple, surf: tuple,
                 fp: str | None = None) -> MeaningUnit:
        """The unit; ``fp``: its text's fingerprint, when the analysis made it from the pieces' words."""
        turn, transcript = self.turn, self.transcript
        text = turn.text[span_start:span_end]
        # the fields in their order, by position: nineteen keywords cost 4 of the 5 microseconds the object
        # takes (matched name by name), 0.03 CPU s over ecape_da's 13,083 units
        return MeaningUnit(
            make_unit_id(transcript.id, turn.index, position),  # unit_id
            fp or fingerprint(text),
            transcript.id,  # transcript
            turn.index,  # turn
            position,
            turn.speaker,  # speaker
            turn.role,  # role
            text,
            self.source.start(span_start),  # start
            self.source.end(span_end),  # end
            self.question[1],  # question
            self.question[0],  # question_turn
            turn.timestamp,  # timestamp
            list(transcript.cases),  # cases
            self.anonymous,  # anonymous
            self.language,  # language
            len(lem),  # n_words
            lem,  # lemmas
            surf,  # surfaces
        )


class _SourceMap:
    """Offsets in a turn's text → offsets in the source text, by bisection over the turn's pieces (the same
    answers as ``Turn.source_start``/``source_end``, which walk every piece: quadratic in one huge turn)."""

    __slots__ = ("pieces", "t_offs", "ends")

    def __init__(self, pieces: list[tuple[int, int, int]]):
        self.pieces = pieces
        self.t_offs = [p[0] for p in pieces]
        self.ends = [p[0] + p[2] for p in pieces]

    def start(self, offset: int) -> int:
        """The first piece that ends after ``offset`` holds it (else: the end of the last piece)."""
        i = bisect_right(self.ends, offset)
        if i < len(self.pieces):
            t_off, s_off, _ = self.pieces[i]
            return s_off + max(0, offset - t_off)
        t_off, s_off, length = self.pieces[-1]
        return s_off + length

    def end(self, offset: int) -> int:
        """An exclusive end: in the last piece that starts before ``offset`` (else: the first piece's start)."""
        i = bisect_left(self.t_offs, offset) - 1
        if i < 0:
            return self.pieces[0][1]
        t_off, s_off, length = self.pieces[i]
        return s_off + min(length, offset - t_off)


class _OnePiece:
    """:class:`_SourceMap` of a turn made of one stretch of source text (most turns: one line or paragraph),
    without the lists to bisect."""

    __slots__ = ("source", "length")

    def __init__(self, piece: tuple[int, int, int]):
        _, self.source, self.length = piece  # the turn offset of the one piece is 0

    def start(self, offset: int) -> int:
        return self.source + min(max(offset, 0), self.length)

    end = start  # an exclusive end maps alike with one piece


def _renumber(units: list[MeaningUnit]) -> None:
    """Positions count kept units only, so ids have no gaps where a backchannel window was dropped."""
    prev = None
    k = 0
    for u in units:
        key = (u.transcript, u.turn)
        k = k + 1 if key == prev else 1
        prev = key
        if u.position != k:
            u.position = k
            u.unit_id = make_unit_id(u.transcript, u.turn, k)


def _analyser(nlp, language: str):
    """text → (sentence starts, lemmas, token texts, token index → character offset).

    Without a pipeline (or with condense's own) this is :func:`condense.nlp.analyze_text` (spaCy's
    tokenizer rules per distinct space-separated piece, no spaCy objects); with a user's trained pipeline
    it runs the whole pipeline and reads its sentences and lemmas.
    """
    from .nlp import analyze_text, settled_starts, types_for

    if _own(nlp):
        types = types_for(language)

        def fast(text: str):
            return analyze_text(text, types)

        return fast

    types = types_for(language)

    def full(text: str):
        doc = nlp(text)
        texts = [t.text for t in doc]
        starts = settled_starts([s.start for s in doc.sents], texts, types)  # as condense's own rules place them
        return starts, [t.lemma_ if not t.is_punct else "" for t in doc], texts, lambda i: doc[i].idx

    return full


def _whole_unit(nlp, language: str, settings: Settings):
    """text → (content lemmas, surface words, fingerprint) when the whole turn is one unit, else what the
    analyser gives (condense's own path: :func:`condense.nlp.whole_unit`); None when the pipeline is a user's."""
    if not _own(nlp):
        return None
    from .nlp import types_for, whole_unit

    types = types_for(language)
    limit = 1 << 62  # no limit
    if settings.mode == "turn":
        sentences, words = limit, limit
    elif settings.mode == "sentence":
        sentences, words = 1, limit
    else:
        sentences, words = settings.max_sentences, settings.max_words
    return lambda text: whole_unit(text, types, sentences, words, fingerprint=True)


def _question_words(nlp, language: str, analyse):
    """text → (content lemmas, their surface words): :func:`condense.nlp.content_words` on condense's own
    path (an interviewer's turn needs no sentences or offsets), else read from ``analyse``."""
    if _own(nlp):
        from .nlp import content_words, types_for

        types = types_for(language)
        return lambda text: content_words(text, types)

    def read(text: str):
        _, lemmas, texts, _ = analyse(text)
        return _content(lemmas, texts, 0, len(lemmas))

    return read


def _own(nlp) -> bool:
    """No pipeline given, or condense's own blank one: the spaCy-free path applies."""
    return nlp is None or nlp.pipe_names == ["condense_sentences", "condense_lemmas"]


def _fill(nlp, language: str) -> None:
    """With condense's own pipeline: the piece cache kept within its bound before a run. New pieces are
    tokenized as analyze_text meets them (tokenizing them all up front split and scanned every turn twice:
    0.07 s of 0.8 s on ecape_da's warm segmentation, for the same cache)."""
    if _own(nlp):
        from .nlp import bound_chunks, types_for

        bound_chunks(types_for(language))


# Where a run-on "sentence" is best cut: before a word that starts a clause, or after a comma.
_CLAUSE_OPENERS = frozenset({"og", "men", "så", "fordi", "eller", "altså", "hvis", "når", "da",
                             "and", "but", "so", "because", "or", "if", "when", "then"})


def _by_length(start: int, end: int, lemmas: list[str], texts: list[str], max_words: int) -> list[tuple[int, int]]:
    """A sentence of more than twice ``max_words`` content words (speech-to-text without punctuation gives
    turns of hundreds of words with no sentence end; ecape_da's punctuated interviews have two such sentences in
    13,086 units) cut into near-equal pieces of at most about ``max_words``, each cut moved to the nearest word
    that opens a clause or follows a comma within a few words. Shorter sentences are kept whole, as ever."""
    if end - start <= 2 * max_words:  # (no more words than tokens: nearly every sentence stops here)
        return [(start, end)]
    content = [i for i in range(start, end) if lemmas[i]]
    if len(content) <= 2 * max_words:
        return [(start, end)]
    n = -(-len(content) // max_words)
    cuts = [start]
    for k in range(1, n):
        if cuts[-1] + 1 > end - 1:  # a cut moved to a clause near the end left no room: the rest is one piece
            break                   # (past it, cuts ran beyond the sentence: `max_words: 1` raised IndexError)
        target = content[len(content) * k // n]
        cuts.append(_near_clause(target, cuts[-1] + 1, end - 1, texts))
    return [(a, b) for a, b in zip(cuts, cuts[1:] + [end]) if b > a]


def _near_clause(target: int, low: int, high: int, texts: list[str], reach: int = 8) -> int:
    """The token index nearest ``target`` (within ``reach``, inside [low, high]) that opens a clause."""
    for d in range(reach + 1):
        for i in (target - d, target + d):
            if low <= i <= high and (texts[i].lower() in _CLAUSE_OPENERS or texts[i - 1] == ","):
                return i - 1 if i - 1 > low and texts[i - 1].lower() in _CLAUSE_OPENERS else i  # "og | så": "| og så"
    return max(low, min(target, high))


def _content(lemmas: list[str], texts: list[str], start: int, end: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The lemmas of the content tokens of a window and their surface words (C-level filtering)."""
    window = lemmas[start:end]
    return tuple(filter(None, window)), tuple(compress(texts[start:end], window))


def _windows(starts: list[int], n_tokens: int, lemmas: list[str], settings: Settings,
             texts: list[str] | None = None) -> list[tuple[int, int]]:
    """Token ranges of the units of one turn."""
    if not n_tokens:
        return []
    if settings.mode == "turn":
        return [(0, n_tokens)]
    bounds = starts + [n_tokens]
    sents = [(bounds[i], bounds[i + 1]) for i in range(len(starts))]
    if texts is not None:
        sents = [piece for start, end in sents for piece in _by_length(start, end, lemmas, texts, settings.max_words)]
    if settings.mode == "sentence":
        return sents
    out = []
    cur_start = None
    cur_end = 0
    n_sent = 0
    n_words = 0
    for start, end in sents:
        words = end - start - lemmas[start:end].count("")
        if cur_start is not None and (n_sent + 1 > settings.max_sentences or n_words + words > settings.max_words):
            out.append((cur_start, cur_end))
            cur_start = None
        if cur_start is None:
            cur_start, n_sent, n_words = start, 0, 0
        cur_end = end
        n_sent += 1
        n_words += words
    if cur_start is not None:
        out.append((cur_start, cur_end))
    return out
