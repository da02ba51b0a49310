"""Recurring recommendations: near-duplicate recommendations made in different cases (learning made again).

Method, chosen to group 50,000 recommendations in seconds without a quadratic comparison:
1. Each text becomes its set of content words (lower case, common English and DHR boilerplate words dropped).
2. MinHash signatures (numpy) estimate how many content words two texts share; locality-sensitive hashing
   over bands of the signature proposes candidate pairs: texts that agree on every value of some band.
3. Each candidate pair from two different cases is checked exactly with rapidfuzz's token_sort_ratio on the
   content words; pairs at or above `threshold` are linked.
4. Linked recommendations form groups (connected components). A group counts only when it spans two or
   more cases. Its representative is the member with most links; `similarity` is each member's score
   against it (1.0 for the representative).
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

DEFAULT_THRESHOLD = 0.8
BANDS, ROWS = 16, 3  # 48 hash values: pairs sharing half their content words are proposed ~95% of the time
LARGE_BUCKET = 200  # beyond this many texts in one bucket, link each to the bucket's first (avoids n^2 pairs)
_SEED = 20110413  # fixed so that groups are the same on every run

_STOP_WORDS = frozenset(
    """a about above after again all also an and any are as at be been being both but by can could did do does
    for from further had has have having he her here hers him his how i if in into is it its itself may me
    more most must my no nor not of off on once only or other our out over own same shall she should so some
    such than that the their them then there these they this those through to too under until up upon very
    was we were what when where which while who whom why will with within would you your
    agency agencies ensure ensures ensuring recommendation recommendations review reviewed consider
    considered appropriate relevant including include where necessary domestic abuse da dhr""".split()
)
_WORD = re.compile(r"[a-z0-9]+")
COLUMNS = ["group_id", "recommendation_id", "case_id", "similarity"]


def content_words(text: str) -> list[str]:
    """Distinct content words of `text`, sorted: what recommendations are compared on."""
    words = {w for w in _WORD.findall(str(text).lower()) if w not in _STOP_WORDS and len(w) > 1}
    return sorted(words)


def _signatures(word_sets: list[list[str]]) -> np.ndarray:
    """MinHash signature per text (rows), BANDS * ROWS values each; empty texts get all-max rows."""
    vocabulary: dict[str, int] = {}
    ids = [[vocabulary.setdefault(w, len(vocabulary)) for w in words] for words in word_sets]
    rng = np.random.default_rng(_SEED)
    # One random 32-bit value per word and hash function: min over a text's words is its MinHash.
    word_hashes = rng.integers(0, 2**32 - 1, size=(len(vocabulary) + 1, BANDS * ROWS), dtype=np.uint32)
    empty = len(vocabulary)
    word_hashes[empty] = np.iinfo(np.uint32).max
    lengths = np.array([max(len(i), 1) for i in ids])
    flat = np.fromiter((w for i in ids for w in (i or [empty])), dtype=np.int64, count=int(lengths.sum()))
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    return np.minimum.reduceat(word_hashes[flat], starts, axis=0)


def _candidate_pairs(signatures: np.ndarray, cases: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """(i, j) index pairs, i < j, from different cases, that share a whole band of their signatures."""
    found = []
    for band in range(BANDS):
        block = signatures[:, band * ROWS:(band + 1) * ROWS].astype(np.uint64)
        keys = block[:, 0]
        for col in range(1, ROWS):
            keys = keys * np.uint64(1_000_003) ^ block[:, col]
        keys = keys[usable]
        index = np.flatnonzero(usable)
        order = np.argsort(keys, kind="stable")
        keys, index = keys[order], index[order]
        run_starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        run_ends = np.concatenate((run_starts[1:], [len(keys)]))
        for start, end in zip(run_starts[run_ends - run_starts > 1], run_ends[run_ends - run_starts > 1]):
            members = index[start:end]
            if len(np.unique(cases[members])) < 2:
                continue
            if len(members) > LARGE_BUCKET:
                found.append(np.column_stack((np.full(len(members) - 1, members[0]), members[1:])))
            else:
                i, j = np.triu_indices(len(members), k=1)
                found.append(np.column_stack((members[i], members[j])))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.sort(np.concatenate(found), axis=1)
    pairs = pairs[cases[pairs[:, 0]] != cases[pairs[:, 1]]]
    return np.unique(pairs, axis=0)


def _components(n: int, edges: np.ndarray) -> np.ndarray:
    """Connected-component label per node (union-find with path halving)."""
    parent = np.arange(n)

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([root(x) for x in range(n)])


def group_recommendations(df: pd.DataFrame, threshold: float = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Group near-duplicate recommendations across cases.

    `df` has columns recommendation_id, case_id, text (one row per recommendation, usually each case's
    latest plan version). Returns columns group_id, recommendation_id, case_id, similarity (0..1 against
    the group's representative), only for groups that span at least two cases; group ids run from 1 in
    order of each group's lowest recommendation_id.
    """
    missing = {"recommendation_id", "case_id", "text"} - set(df.columns)
    if missing:
        raise ValueError(f"group_recommendations needs columns: {', '.join(sorted(missing))}")
    if df.empty:
        return pd.DataFrame(columns=COLUMNS)
    df = df.reset_index(drop=True)
    word_sets = [content_words(t) for t in df["text"].fillna("")]
    texts = [" ".join(words) for words in word_sets]
    cases = df["case_id"].to_numpy()
    usable = np.array([len(words) >= 2 for words in word_sets])  # one-word texts say too little to compare
    pairs = _candidate_pairs(_signatures(word_sets), cases, usable)
    cutoff = threshold * 100
    linked = [
        (i, j) for i, j in pairs.tolist() if fuzz.token_sort_ratio(texts[i], texts[j], score_cutoff=cutoff)
    ]
    if not linked:
        return pd.DataFrame(columns=COLUMNS)
    edges = np.array(linked)
    labels = _components(len(df), edges)
    degree = np.bincount(edges.ravel(), minlength=len(df))
    return _members(df, labels, degree, texts)


def _members(df: pd.DataFrame, labels: np.ndarray, degree: np.ndarray, texts: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame({
        "row": np.arange(len(df)),
        "label": labels,
        "degree": degree,
        "recommendation_id": df["recommendation_id"].to_numpy(),
        "case_id": df["case_id"].to_numpy(),
    })
    frame = frame[frame["degree"] > 0]
    spans = frame.groupby("label")["case_id"].transform("nunique")
    frame = frame[spans >= 2]
    # Representative: most links, then the lowest recommendation id.
    ranked = frame.sort_values(["label", "degree", "recommendation_id"], ascending=[True, False, True])
    representative = ranked.groupby("label")["row"].first()
    frame = frame.assign(rep=frame["label"].map(representative))
    frame["similarity"] = [
        1.0 if row == rep else round(fuzz.token_sort_ratio(texts[row], texts[rep]) / 100, 3)
        for row, rep in zip(frame["row"], frame["rep"])
    ]
    first_id = frame.groupby("label")["recommendation_id"].transform("min")
    frame["group_id"] = first_id.rank(method="dense").astype(int)
    frame = frame.sort_values(["group_id", "similarity", "recommendation_id"], ascending=[True, False, True])
    return frame[COLUMNS].reset_index(drop=True)
