"""A second reading of each text's topic themes: word weights learned from hand-labelled texts.

The rules of data/reference/themes.csv find a theme wherever its words appear, so they over-count a theme
whose agency is only named ("leaflets in GP surgeries") and miss one put in words no rule foresaw. The
model reads the whole text: one logistic regression per topic theme over its words and word pairs
(tf-idf weighted). It confirms or questions each theme the rules found, and adds a theme the rules missed
when it is sure:
- a rule's theme stands when the model gives it at least `confirm`, or has never seen the words it matched;
- a theme no rule found is added when the model gives it at least `add`, with the words that weighed most
  for it as its evidence.
Both thresholds are shared by every theme but those in OWN_THRESHOLDS.
The model is data, data/reference/theme_model.npz, trained by scripts/train_theme_model.py from the
labelled texts (never the held-out ones). Reading it needs numpy and scipy; training needs scikit-learn.
"""
from __future__ import annotations

import math
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path
from typing import NamedTuple

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix

from dhrlearn import config

MODEL_FILE = config.REFERENCE_DIR / "theme_model.npz"
# Words of two or more characters with at least one letter: a date or a count ("10", "2021") tells nothing
# of a theme, and as evidence it would only puzzle a reader.
TOKEN_PATTERN = r"(?u)\b(?=\w*[^\W\d_])\w\w+\b"  # as scikit-learn is told to read a text
TOKEN = re.compile(r"(?=\w*[^\W\d_])\w\w+")  # the same words, found faster: a run without a letter has none
# In ASCII text without "_" (nearly every text) a word character is a letter or a digit: the same words are
# the runs left when every other byte becomes a space, read three times faster than by the regex.
_ASCII_SPACES = bytes.maketrans(bytes(range(128)), bytes(c if chr(c).isalnum() else 32 for c in range(128)))
# Staff named in update logs ("DS B. Sample", "(Dr P. Marsh)"): a surname that is also a word ("Sample",
# "Brief") says nothing of what the text is about, and shown as evidence it would show a person's name. An
# initial with a capitalised name after it, with a title or not, is read as a blank (not after "&" or "/":
# "L&D. Measure: 90%" keeps its words).
_SURNAME_START = r"(?:Ma?c|O['’])?[A-Z][a-z]"
STAFF_NAME = re.compile(r"(?<![\w&/.])(?:(?:Dr|DS|DC|DI|DCI|Sgt|PC|PS|Insp|Cllr|Mr|Mrs|Ms|Miss|Prof)\.?\s)?"
                        r"(?:[A-Z]\.\s?){1,3}" + _SURNAME_START + r"+(?:-[A-Z][a-z]+)?\b")
# The last initial and the start of the surname, found fast (the pattern begins with a plain "."): most texts
# have none, and skip STAFF_NAME.
_NAME_HINT = re.compile(r"\.(?<=[A-Z]\.)\s?" + _SURNAME_START)
EVIDENCE_WORDS = 3  # words shown for a theme the model added
CONFIRM = 0.35  # a rule's theme is dropped when the model gives it less than this
ADD = 0.80  # a theme no rule found is added when the model gives it this much or more
# Themes the shared pair leaves below 0.85 on one side, on readings of the labelled texts by models that did not
# learn them (5 folds), with the pair whose lower figure is highest there: information sharing reads 0.91 / 0.79
# (precision / recall) at 0.35 / 0.80 and 0.86 / 0.85 at 0.30 / 0.60. Every other theme reads 0.87 or more on
# both sides at the shared pair.
OWN_THRESHOLDS = {"information_sharing": (0.30, 0.60)}  # theme -> (confirm, add)
# Words that weigh for a theme but tell a reader nothing, left out of the evidence shown for it.
FUNCTION_WORDS = frozenset("""
a about after all also an and any are as at be been before being but by can could did do does done eg
etc for from had has have he her his ie if in into is it its may more must no not now of on or our out
over per re she should so such than that the their them then there these they this those to up via was
we were what when where which who will with would
""".split())
# Topic themes the model leaves to the rules: "toxic trio" is labelled only where the text names it.
RULES_ONLY = ("toxic_trio",)


def tokens(read: str) -> list[str]:
    """The words of a text as TOKEN finds them: runs of two or more word characters with a letter among them."""
    if read.isascii() and "_" not in read:
        return [word for word in read.encode().translate(_ASCII_SPACES).decode().split()
                if len(word) > 1 and not word.isdigit()]
    return TOKEN.findall(read)


def prepared(text: str) -> str:
    """A text as the model reads it, in training and after: staff names blanked, lower case."""
    return (STAFF_NAME.sub(" ", text) if _NAME_HINT.search(text) else text).lower()


class ThemeModelError(config.ReferenceFileError):
    """The model file cannot be used; the message names the file and how to rebuild it."""


class Reading(NamedTuple):
    scores: list[float]  # log-odds of each of the model's themes
    sure: tuple[int, ...]  # the themes (columns) at their `add` or more
    vector: tuple[np.ndarray, np.ndarray] | None = None  # the text's tf-idf (rows, values), where `sure` has any


@dataclass
class ThemeModel:
    themes: tuple[str, ...]  # topic theme ids, one column of weights each
    words: list[str]  # the word or word pair of each row of weights
    idf: np.ndarray  # per row
    weights: np.ndarray  # rows x themes
    intercepts: np.ndarray  # per theme
    confirm: np.ndarray  # per theme (one number stands for every theme)
    add: np.ndarray  # per theme, likewise

    def __post_init__(self):
        self.vocabulary = {word: row for row, word in enumerate(self.words)}
        self._column = {theme: column for column, theme in enumerate(self.themes)}
        self.confirm, self.add = (np.broadcast_to(np.asarray(t, dtype=np.float64), (len(self.themes),)).copy()
                                  for t in (self.confirm, self.add))
        # Probabilities are compared as log-odds: no exponential per text.
        self._intercepts = self.intercepts.tolist()
        self._confirm_logits = [_logit(p) for p in self.confirm.tolist()]
        self._add_logits = np.array([_logit(p) for p in self.add.tolist()])
        # For `readings`: a word pair is known by its two words' rows, as one number (first * size + second).
        # Both its words are features whenever the pair is: a pair in two texts puts each word in two texts.
        pairs = [(row, word.split(" ")) for row, word in enumerate(self.words) if " " in word]
        codes = np.array([self.vocabulary[first] * len(self.words) + self.vocabulary[second]
                          for _, (first, second) in pairs], dtype=np.int64)
        order = np.argsort(codes)
        self._pair_codes = codes[order]
        self._pair_rows = np.array([row for row, _ in pairs], dtype=np.intp)[order]

    def probabilities(self, read: str) -> np.ndarray:
        """The model's probability of each of its themes for a text as `prepared` gives it."""
        return 1.0 / (1.0 + np.exp(-np.array(self._scores(self._counts(read)))))

    def _counts(self, read: str) -> dict[int, int]:
        """How often each word and word pair of the model occurs in the text (scikit-learn's tokens)."""
        words = tokens(read)
        counts = Counter(map(self.vocabulary.get, words + list(map("{} {}".format, words, words[1:]))))
        counts.pop(None, None)  # words the model has not learnt
        return counts

    def _values(self, counts: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
        """The text's tf-idf vector as scikit-learn's TfidfVectorizer(ngram_range=(1, 2),
        sublinear_tf=True) makes it: the rows present and their L2-normalised values."""
        rows = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        values = (np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts))) + 1.0) * self.idf[rows]
        norm = math.sqrt(values @ values)
        return rows, values / norm if norm else values

    def _scores(self, counts: dict[int, int]) -> list[float]:
        """The log-odds of each theme."""
        if not counts:
            return list(self._intercepts)
        rows, values = self._values(counts)
        return (values @ self.weights[rows] + self.intercepts).tolist()

    def readings(self, read_texts: list[str]) -> list[Reading]:
        """The model's reading of many texts (as `prepared` gives them) at once. Only the tokenising is done
        text by text: counting words and word pairs, weighting them and scoring are a few array operations over all the
        texts, where one text at a time they would cost more in calls than in arithmetic."""
        get = self.vocabulary.get
        token_rows = [list(map(get, tokens(text), repeat(-1))) for text in read_texts]
        lengths = np.fromiter(map(len, token_rows), dtype=np.intp, count=len(token_rows))
        rows = np.fromiter(chain.from_iterable(token_rows), dtype=np.int64, count=int(lengths.sum()))
        del token_rows
        owners = np.repeat(np.arange(len(lengths)), lengths)
        rows, owners = self._with_pairs(rows, owners)
        shape = (len(lengths), len(self.words))
        counts = coo_matrix((np.ones(len(rows)), (owners, rows)), shape=shape).tocsr()
        counts.sum_duplicates()  # the count of each word and pair in its text
        values = (np.log(counts.data) + 1.0) * self.idf[counts.indices]
        owner = np.repeat(np.arange(shape[0]), np.diff(counts.indptr))
        norms = np.sqrt(np.bincount(owner, weights=values * values, minlength=shape[0]))
        values /= np.where(norms > 0, norms, 1.0)[owner]
        scores = csr_matrix((values, counts.indices, counts.indptr), shape=shape) @ self.weights + self.intercepts
        sure: dict[int, list[int]] = {}
        texts, columns = np.nonzero(scores >= self._add_logits)
        for text, column in zip(texts.tolist(), columns.tolist()):
            sure.setdefault(text, []).append(column)
        starts = counts.indptr.tolist()
        return [Reading(line, tuple(sure[text]), (counts.indices[starts[text]:starts[text + 1]],
                                                  values[starts[text]:starts[text + 1]]))
                if text in sure else Reading(line, ())
                for text, line in enumerate(scores.tolist())]

    def _with_pairs(self, rows: np.ndarray, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The known words (rows, with -1 for an unknown word) of texts laid end to end, and their word
        pairs the model knows (two known words in a row, in one text)."""
        known = rows >= 0
        if not len(self._pair_codes) or len(rows) < 2:
            return rows[known], owners[known]
        paired = known[:-1] & known[1:] & (owners[:-1] == owners[1:])
        codes = rows[:-1][paired] * len(self.words) + rows[1:][paired]
        at = np.minimum(np.searchsorted(self._pair_codes, codes), len(self._pair_codes) - 1)
        hit = self._pair_codes[at] == codes
        return (np.concatenate((rows[known], self._pair_rows[at[hit]])),
                np.concatenate((owners[known], owners[:-1][paired][hit])))

    def reading(self, read: str) -> Reading:
        """The model's reading of one text as `prepared` gives it (`readings` for many)."""
        counts = self._counts(read)
        scores = self._scores(counts)
        sure = tuple(np.flatnonzero(np.array(scores) >= self._add_logits).tolist())
        return Reading(scores, sure, self._values(counts) if sure else None)

    def review(self, text: str, found: dict[str, list[str]], reading: Reading | None = None) -> dict[str, list[str]]:
        """The topic themes found by the rules (theme -> matched words), as the model reads them: those it
        doubts dropped, those it is sure of added with their strongest words. `reading`: the text's, when
        worked out with other texts' (`readings`)."""
        scores, sure, vector = reading or self.reading(prepared(text))
        reviewed = dict(found)
        for theme, matched in found.items():
            column = self._column.get(theme)
            if column is not None and scores[column] < self._confirm_logits[column] and self._knows(matched):
                del reviewed[theme]
        added = [column for column in sure if self.themes[column] not in found]
        for column in added:
            reviewed[self.themes[column]] = self._strongest(*vector, column)
        return reviewed

    def _knows(self, matched: list[str]) -> bool:
        """Has the model learnt anything of the words a rule matched? Where it has not (a misspelling, a
        rare abbreviation), the rule alone has read them, and its theme stands."""
        return any(token in self.vocabulary for words in matched for token in tokens(words.lower()))

    def _strongest(self, rows: np.ndarray, values: np.ndarray, column: int) -> list[str]:
        """The words of the text (its tf-idf rows and values) that weighed most for a theme (at most
        EVIDENCE_WORDS, strongest first)."""
        weights = values * self.weights[rows, column]
        chosen: list[str] = []
        for i in np.lexsort((rows, -weights)).tolist():  # heaviest first, ties in vocabulary order
            if weights[i] <= 0 or len(chosen) == EVIDENCE_WORDS:
                break
            word = self.words[rows[i]]
            tokens = set(word.split())
            if not tokens <= FUNCTION_WORDS and not any(tokens & set(w.split()) for w in chosen):
                chosen.append(word)  # a word pair and its own words say the same: one of them
        return chosen


def _logit(p: float) -> float:
    return math.log(p / (1 - p)) if 0 < p < 1 else (-math.inf if p <= 0 else math.inf)


def save(model: ThemeModel, path: str | Path = MODEL_FILE) -> None:
    np.savez_compressed(
        path, themes=np.array(model.themes), words=np.array(model.words), idf=model.idf.astype(np.float32),
        weights=model.weights.astype(np.float32), intercepts=model.intercepts.astype(np.float32),
        thresholds=np.array([model.confirm, model.add], dtype=np.float32))  # 2 x themes


def load(path: str | Path = MODEL_FILE) -> ThemeModel:
    rebuild = "rebuild it with .venv/bin/python scripts/train_theme_model.py"
    try:
        with np.load(path, allow_pickle=False) as data:
            confirm, add = data["thresholds"].astype(np.float64)  # 2 x themes, or 2 from an older file
            model = ThemeModel(
                themes=tuple(str(t) for t in data["themes"]),
                words=[str(w) for w in data["words"]],
                idf=data["idf"].astype(np.float64), weights=data["weights"].astype(np.float64),
                intercepts=data["intercepts"].astype(np.float64), confirm=confirm, add=add)
    # A file that is not a zip is a ValueError; one cut short (a copy interrupted) is a BadZipFile.
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
        raise ThemeModelError(f"{path}: cannot be read as a theme model ({exc}); {rebuild}") from exc
    rows, columns = model.weights.shape if model.weights.ndim == 2 else (-1, -1)
    if rows != len(model.words) or rows != len(model.idf) or columns != len(model.themes) != len(model.intercepts):
        raise ThemeModelError(f"{path}: its words, weights and themes do not match in size; {rebuild}")
    return model


@lru_cache(maxsize=1)
def theme_model() -> ThemeModel | None:
    """The project's model, or None when the file is absent (the rules then stand alone)."""
    return load(MODEL_FILE) if MODEL_FILE.exists() else None


def train(texts: list[str], labels: list[set[str]], themes: list[str],
          confirm: float | None = None, add: float | None = None) -> ThemeModel:
    """Fit the model on labelled texts (scikit-learn, imported here: the dashboard never trains). The
    thresholds are CONFIRM and ADD, and OWN_THRESHOLDS for the themes there, unless `confirm` and `add`
    are given for every theme."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, preprocessor=prepared,
                                 token_pattern=TOKEN_PATTERN, dtype=np.float64)
    matrix = vectorizer.fit_transform(texts)
    modelled = [t for t in themes if t not in RULES_ONLY]
    weights = np.zeros((matrix.shape[1], len(modelled)))
    intercepts = np.zeros(len(modelled))
    for column, theme in enumerate(modelled):
        y = np.array([theme in label for label in labels])
        if y.sum() < 2 or y.all():
            raise ValueError(f"theme {theme!r} needs labelled texts with and without it to learn from")
        fitted = LogisticRegression(C=10, class_weight="balanced", max_iter=5000).fit(matrix, y)
        weights[:, column] = fitted.coef_[0]
        intercepts[column] = fitted.intercept_[0]
    own = [OWN_THRESHOLDS.get(theme, (CONFIRM, ADD)) for theme in modelled]
    return ThemeModel(themes=tuple(modelled), words=[str(w) for w in vectorizer.get_feature_names_out()],
                      idf=vectorizer.idf_.astype(np.float64), weights=weights, intercepts=intercepts,
                      confirm=[c for c, _ in own] if confirm is None else confirm,
                      add=[a for _, a in own] if add is None else add)
