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
from rapidfuzz import fuzz, process

DEFAULT_THRESHOLD = 0.8
BANDS, ROWS = 16, 3  # 48 hash values: pairs sharing half their content words are proposed ~95% of the time
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
    """Distinct content words of `text`, sorted: what recommendations are compared on (numbers and
    boilerplate dropped)."""
    words = {w for w in _WORD.findall(str(text).lower()) if w not in _STOP_WORDS and len(w) > 1 and not w.isdigit()}
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
    """(i, j) index pairs, i < j, from different cases, that agree on a whole band of their signatures.

    Within a bucket (same band values) each text is paired with the bucket's first and with the one
    before it: linear in the bucket's size, yet every pair of a bucket of three, and enough links for the
    groups, which are connected components; the other bands give further chances.
    """
    index_all = np.flatnonzero(usable)
    found = []
    for band in range(BANDS):
        block = signatures[index_all, band * ROWS:(band + 1) * ROWS].astype(np.uint64)
        keys = block[:, 0]
        for col in range(1, ROWS):
            keys = keys * np.uint64(1_000_003) ^ block[:, col]
        order = np.argsort(keys, kind="stable")
        keys, index = keys[order], index_all[order]
        same_as_previous = np.concatenate(([False], keys[1:] == keys[:-1]))
        run_start = np.maximum.accumulate(np.where(same_as_previous, 0, np.arange(len(keys))))
        later = np.flatnonzero(same_as_previous)
        found.append(np.column_stack((index[later - 1], index[later])))  # with the one before
        found.append(np.column_stack((index[run_start[later]], index[later])))  # with the bucket's first
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.sort(np.concatenate(found), axis=1)
    pairs = pairs[(cases[pairs[:, 0]] != cases[pairs[:, 1]]) & (pairs[:, 0] != pairs[:, 1])]
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
    texts = [" ".join(content_words(t)) for t in df["text"].fillna("")]
    # Identical content words are compared once: rows map to unique texts, linked to each other for free.
    unique_texts, text_of_row = np.unique(np.array(texts, dtype=object), return_inverse=True)
    unique_texts = unique_texts.tolist()
    cases = df["case_id"].to_numpy()
    edges = [_same_text_edges(text_of_row, cases)]
    # LSH runs over unique texts; a text's "cases" for the different-case test is any one of its rows' cases,
    # so texts shared by several cases are marked with a case id of their own (-1 - text index).
    text_case = _case_per_text(text_of_row, cases, len(unique_texts))
    usable = np.array([t.count(" ") >= 1 for t in unique_texts])  # one-word texts say too little to compare
    pairs = _candidate_pairs(_signatures([t.split() for t in unique_texts]), text_case, usable)
    if len(pairs):
        scores = process.cpdist(
            [unique_texts[i] for i in pairs[:, 0]], [unique_texts[j] for j in pairs[:, 1]],
            scorer=fuzz.token_sort_ratio, workers=-1,
        )
        text_edges = pairs[scores >= threshold * 100]
        edges.append(_rows_of_text_edges(text_edges, text_of_row, cases))
    edges = np.concatenate(edges) if edges else np.empty((0, 2), dtype=np.int64)
    if not len(edges):
        return pd.DataFrame(columns=COLUMNS)
    labels = _components(len(df), edges)
    degree = np.bincount(edges.ravel(), minlength=len(df))
    return _members(df, labels, degree, texts)


def _same_text_edges(text_of_row: np.ndarray, cases: np.ndarray) -> np.ndarray:
    """Links each row to the first row with the same content words from another case."""
    order = np.lexsort((np.arange(len(text_of_row)), text_of_row))
    edges = []
    for rows in np.split(order, np.flatnonzero(np.diff(text_of_row[order])) + 1):
        if len(rows) > 1 and len(np.unique(cases[rows])) > 1:
            first_other = {}
            for row in rows:
                first_other.setdefault(cases[row], row)
            anchors = list(first_other.values())
            edges += [(anchors[0], a) for a in anchors[1:]]  # one row per case links the cases
            edges += [(first_other[cases[row]], row) for row in rows if row not in anchors]
    return np.array(edges, dtype=np.int64).reshape(-1, 2)


def _case_per_text(text_of_row: np.ndarray, cases: np.ndarray, count: int) -> np.ndarray:
    frame = pd.DataFrame({"text": text_of_row, "case": cases}).groupby("text")["case"].agg(["first", "nunique"])
    text_case = frame["first"].to_numpy().astype(np.int64)
    shared = frame["nunique"].to_numpy() > 1
    text_case[shared] = -1 - np.flatnonzero(shared)
    return text_case[:count]


def _rows_of_text_edges(text_edges: np.ndarray, text_of_row: np.ndarray, cases: np.ndarray) -> np.ndarray:
    """Turns links between unique texts into links between rows of different cases."""
    first_row = pd.Series(np.arange(len(text_of_row))).groupby(text_of_row).first().to_numpy()
    return first_row[text_edges].reshape(-1, 2)


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
