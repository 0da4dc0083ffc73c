"""Suggesting codes for a contribution: keyword seeds first, then a classifier.

Pure functions over text and arrays (no Flask, no database), so they are tested
and measured on their own; ``suggestions.py`` wires them to the stored tags.

* Keywords: each code's name and description, cut to "stems" (a light suffix
  stripper, not a full Porter stemmer), weighted 2 for name words and 1 for
  description words, and divided by how many codes share the stem, so a word
  that says nothing about one code in particular counts for little.
* Classifier: TF-IDF (word stems and pairs of stems, sublinear tf) and one
  logistic regression per code (one-vs-rest, balanced class weights), trained on
  the officers' own tags. It is stored as plain arrays (``.npz``, no pickle:
  loading a database row can never run code) and predicts with numpy.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # NumPy is imported where a classifier is used, never by a page that
    import numpy as np  # only lists codes (a web worker: issue 15, test_weight.py)

#: Enough examples before a code is learned, and enough learned codes before the
#: classifier is used at all.
MIN_EXAMPLES = 5
MIN_LABELS = 2
#: A keyword suggestion needs this much weight (one specific name word is enough).
KEYWORD_THRESHOLD = 2.0
#: A classifier suggestion needs this probability.
CLASSIFIER_THRESHOLD = 0.5
MAX_SUGGESTIONS = 5

#: Words that say nothing about any code (English stop words and the plan's own filler).
_STOPWORD_TEXT = """
a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each few
for from further had has have having he her here hers herself him himself his how i if
in into is it its itself just me more most my myself no nor not now of off on once only
or other our ours ourselves out over own same she should so some such than that the
their theirs them themselves then there these they this those through to too under until
up very was we were what when where which while who whom why will with would you your
yours yourself yourselves get got really lot lots like much many make made one two way
ways thing things people local community communities partner partners partnership work
working issue issues level levels across whole well able need needs want wants think
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_WORD = re.compile(r"[^\W\d_]+")


def stem(word: str) -> str:
    """A light stem: plurals, -ing, -ed, -ly, -ment, -ness, -ation, a final e, doubled ends."""
    w = word.lower()
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("sses", "ches", "shes", "xes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ations", "ation", "ings", "ing", "ments", "ment", "ness", "edly", "ed", "ly"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    return w


def stems(text: str, min_length: int = 2) -> list[str]:
    """The text's words, lower-cased, without stop words, stemmed, in order."""
    return [
        stem(w) for w in _WORD.findall(text.lower()) if len(w) >= min_length and w not in STOPWORDS
    ]


def analyse(text: str) -> list[str]:
    """Features for the classifier: stems and pairs of neighbouring stems."""
    found = stems(text)
    return found + [f"{a} {b}" for a, b in zip(found, found[1:], strict=False)]


@dataclass(frozen=True)
class Suggestion:
    key: str
    method: str  # "keywords" or "classifier"
    score: float


# --- keyword seeds ---------------------------------------------------------


def keyword_seeds(codes: Iterable[tuple[str, str, str]]) -> dict[str, dict[str, float]]:
    """For ``(key, name, description)`` triples: each key's stems and their weights."""
    raw: dict[str, dict[str, float]] = {}
    for key, name, description in codes:
        weights: dict[str, float] = {}
        for s in stems(description, 3):
            weights[s] = max(weights.get(s, 0.0), 1.0)
        for s in stems(name, 3):
            weights[s] = 2.0
        raw[key] = weights
    shared = Counter(s for weights in raw.values() for s in weights)
    return {key: {s: w / shared[s] for s, w in weights.items()} for key, weights in raw.items()}


def keyword_suggestions(
    text: str,
    seeds: dict[str, dict[str, float]],
    *,
    exclude: Iterable[str] = (),
    threshold: float = KEYWORD_THRESHOLD,
    limit: int = MAX_SUGGESTIONS,
) -> list[Suggestion]:
    """Codes whose seed stems the text shares, strongest first."""
    present = set(stems(text, 3))
    skip = set(exclude)
    scored = []
    for key, weights in seeds.items():
        if key in skip:
            continue
        score = sum(w for s, w in weights.items() if s in present)
        if score >= threshold:
            scored.append(Suggestion(key, "keywords", round(score, 3)))
    scored.sort(key=lambda s: (-s.score, s.key))
    return scored[:limit]


# --- the classifier ------------------------------------------------------------


@dataclass
class Classifier:
    """TF-IDF + one logistic regression per label, as arrays."""

    labels: list[str]
    tokens: list[str]
    idf: np.ndarray
    coef: np.ndarray  # labels × tokens
    intercept: np.ndarray  # labels
    _vectorizer: object = field(default=None, repr=False, compare=False)

    def _counts(self, texts: Sequence[str]):
        if self._vectorizer is None:
            from sklearn.feature_extraction.text import CountVectorizer

            self._vectorizer = CountVectorizer(
                analyzer=analyse, vocabulary={t: i for i, t in enumerate(self.tokens)}
            )
        return self._vectorizer.transform(texts)

    def features(self, texts: Sequence[str]):
        """The same TF-IDF rows the trained vectoriser would give (sublinear tf, l2 norm)."""
        import numpy as np
        from scipy import sparse
        from sklearn.preprocessing import normalize

        counts = self._counts(texts).astype(np.float64)
        counts.data = np.log(counts.data) + 1.0
        return normalize(counts @ sparse.diags(self.idf), norm="l2")

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """P(label) for each text and label (rows: texts, columns: ``labels``)."""
        import numpy as np

        scores = self.features(texts) @ self.coef.T + self.intercept
        return 1.0 / (1.0 + np.exp(-np.asarray(scores)))

    def suggest(
        self,
        text: str,
        *,
        allowed: set[str] | None = None,
        exclude: Iterable[str] = (),
        threshold: float = CLASSIFIER_THRESHOLD,
        limit: int = MAX_SUGGESTIONS,
    ) -> list[Suggestion]:
        skip = set(exclude)
        row = self.probabilities([text])[0]
        found = [
            Suggestion(label, "classifier", round(float(p), 3))
            for label, p in zip(self.labels, row, strict=True)
            if p >= threshold and label not in skip and (allowed is None or label in allowed)
        ]
        found.sort(key=lambda s: (-s.score, s.key))
        return found[:limit]

    def to_bytes(self) -> bytes:
        import numpy as np

        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            labels=np.array(self.labels, dtype=str),
            tokens=np.array(self.tokens, dtype=str),
            idf=self.idf,
            coef=self.coef.astype(np.float32),
            intercept=self.intercept,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Classifier:
        import numpy as np

        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            return cls(
                labels=[str(x) for x in arrays["labels"]],
                tokens=[str(x) for x in arrays["tokens"]],
                idf=arrays["idf"].astype(np.float64),
                coef=arrays["coef"].astype(np.float64),
                intercept=arrays["intercept"].astype(np.float64),
            )


def trainable_labels(
    label_sets: Sequence[set[str]], min_examples: int = MIN_EXAMPLES
) -> dict[str, int]:
    """Labels with enough examples, and at least one coded text without them."""
    counts = Counter(label for labels in label_sets for label in labels)
    total = len(label_sets)
    return {k: n for k, n in sorted(counts.items()) if min_examples <= n < total}


def train(
    texts: Sequence[str],
    label_sets: Sequence[set[str]],
    *,
    min_examples: int = MIN_EXAMPLES,
    min_labels: int = MIN_LABELS,
) -> Classifier | None:
    """Learn from coded texts; None until enough codes have enough examples."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier

    labels = list(trainable_labels(label_sets, min_examples))
    if len(labels) < min_labels:
        return None
    vectorizer = TfidfVectorizer(
        analyzer=analyse, sublinear_tf=True, min_df=2 if len(texts) >= 20 else 1
    )
    try:
        features = vectorizer.fit_transform(texts)
    except ValueError:  # no words left (empty or one-word texts)
        return None
    targets = np.array([[label in given for label in labels] for given in label_sets], dtype=int)
    model = OneVsRestClassifier(
        LogisticRegression(
            C=4.0, class_weight="balanced", solver="liblinear", max_iter=1000, random_state=0
        )
    )
    model.fit(features, targets)
    vocabulary = vectorizer.vocabulary_
    tokens = [""] * len(vocabulary)
    for token, index in vocabulary.items():
        tokens[index] = token
    return Classifier(
        labels=labels,
        tokens=tokens,
        idf=np.asarray(vectorizer.idf_, dtype=np.float64),
        coef=np.vstack([e.coef_[0] for e in model.estimators_]),
        intercept=np.array([e.intercept_[0] for e in model.estimators_]),
    )
