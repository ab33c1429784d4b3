"""Stop lists of spoken language, one word a line in ``<language>.txt`` (``#`` starts a comment).

:func:`stop_words` is what every part of condense drops before it weighs words (key terms, candidate themes,
term suggestions, learned features): the package's spoken list plus the fillers and one-word backchannels of
:mod:`condense.nlp`. Both lists are read once per language; neither loads spaCy.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

__all__ = ["spoken_stop_words", "stop_words"]


@lru_cache(maxsize=4)
def spoken_stop_words(language: str) -> frozenset[str]:
    """The package's stop list of spoken language (``condense/stopwords/<language>.txt``; English for others)."""
    name = f"{language}.txt" if language in ("da", "en") else "en.txt"
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=4)
def stop_words(language: str) -> frozenset[str]:
    """The spoken stop list + condense's fillers and one-word backchannels, lower case, for one language."""
    from ..nlp import BACKCHANNELS, FILLERS

    words = set(FILLERS.get(language, set())) | spoken_stop_words(language)
    words |= {w for w in BACKCHANNELS.get(language, set()) if " " not in w}
    return frozenset(w.lower() for w in words)
