"""TF-IDF inside one group of documents, from term counts counted once per run.

Condensation weighs a sub-group's units (and a draft's candidate sentences) by TF-IDF fitted on that
group alone: a word common in the group weighs little there. Fitting a vectorizer per group recounted every
unit once per row it appears on (a theme row and its sub-group), so the counts now live in a
:class:`CountRows` made once per run, and :func:`group_tfidf` computes a group's matrix from its rows: the
same weights scikit-learn's ``TfidfVectorizer(min_df=1, max_df=1.0)`` gives when fitted on the group
(smooth idf, ``ln((1 + n) / (1 + df)) + 1``; raw or ``1 + ln(tf)`` term frequency; rows of unit length),
sparse, so memory follows the words of the group rather than groups × vocabulary.
"""
from __future__ import annotations

import numpy as np

__all__ = ["CountRows", "group_tfidf", "centroid_cosines", "column_means"]


class CountRows:
    """Term counts per document (a unit, a sentence), keyed by the caller, and other per-unit results of one
    run (:meth:`memo`); the vocabulary is shared."""

    def __init__(self):
        self.vocabulary: dict[str, int] = {}
        self._rows: dict = {}
        self._memo: dict = {}

    def memo(self, key, make):
        """``make()``, computed once per ``key`` for the run (a unit's sentences, a quote's readability)."""
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = make()
            return value

    def row(self, key, tokens) -> tuple[np.ndarray, np.ndarray]:
        """(term ids, counts) of a document; ``tokens`` is called only the first time ``key`` is asked for."""
        got = self._rows.get(key)
        if got is None:
            counts: dict[int, int] = {}
            vocabulary = self.vocabulary
            for t in tokens():
                i = vocabulary.setdefault(t, len(vocabulary))
                counts[i] = counts.get(i, 0) + 1
            got = (np.fromiter(counts.keys(), dtype=np.int64, count=len(counts)),
                   np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
            self._rows[key] = got
        return got


def group_tfidf(rows: list[tuple[np.ndarray, np.ndarray]], *, sublinear: bool = False):
    """The group's TF-IDF matrix (scipy CSR, one row per document, columns: the group's own terms), or
    ``None`` when the group has no term at all (scikit-learn's "empty vocabulary")."""
    from scipy.sparse import csr_matrix

    lengths = np.fromiter((len(r[0]) for r in rows), dtype=np.int64, count=len(rows))
    if not lengths.sum():
        return None
    ids = np.concatenate([r[0] for r in rows])
    tf = np.concatenate([r[1] for r in rows])
    columns, inverse = np.unique(ids, return_inverse=True)
    df = np.bincount(inverse, minlength=len(columns)).astype(np.float64)
    idf = np.log((len(rows) + 1) / (df + 1)) + 1
    data = (np.log(tf) + 1 if sublinear else tf) * idf[inverse]
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    row_of = np.repeat(np.arange(len(rows)), lengths)
    norms = np.sqrt(np.bincount(row_of, weights=data * data, minlength=len(rows)))
    norms[norms == 0] = 1.0
    data = data / norms[row_of]
    return csr_matrix((data, inverse, indptr), shape=(len(rows), len(columns)))


def centroid_cosines(X) -> tuple[np.ndarray, np.ndarray]:
    """(each row · the centroid of the rows, the centroid) for a CSR matrix of unit-length rows."""
    centroid = column_means(X)
    return np.asarray(X @ centroid).ravel(), centroid


def column_means(X, start: int = 0, stop: int | None = None) -> np.ndarray:
    """The mean of rows ``start:stop`` of a CSR matrix, bit for bit what ``X[start:stop].mean(axis=0)`` gives,
    read from its arrays: scipy scales the values by 1 / rows and adds each column's values row by row, in the
    order they are stored (a sparse product with a row of ones), as ``np.bincount`` adds its weights. scipy's
    way costs about 0.18 ms a call on a small group; a run asks it for every row of the table (draft, centrality),
    about 400 times on the sample."""
    stop = X.shape[0] if stop is None else stop
    lo, hi = X.indptr[start], X.indptr[stop]
    return np.bincount(X.indices[lo:hi], weights=X.data[lo:hi] * (1.0 / (stop - start)), minlength=X.shape[1])
