"""Suggestions as pure functions: stems, keyword seeds, and the classifier on a generated corpus."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from community.tagging.suggestions.classifier import (
    Classifier,
    analyse,
    keyword_seeds,
    keyword_suggestions,
    stem,
    train,
)
from tests.tagging.corpus import generate


@pytest.mark.parametrize(
    ("words", "same"),
    [
        (("lights", "lighting", "lit"), ("lights", "lighting")),
        (("crimes", "crime"), ("crimes", "crime")),
        (("burglaries", "burglary"), ("burglaries", "burglary")),
        (("dealing", "dealers", "deal"), ("dealing", "deal")),
        (("closed", "close", "closing"), ("closed", "close", "closing")),
    ],
)
def test_stems_join_forms_of_a_word(words, same):
    assert len({stem(w) for w in same}) == 1, [stem(w) for w in words]


def test_keyword_seeds_come_from_names_and_descriptions_and_weigh_shared_words_less():
    seeds = keyword_seeds(
        [
            ("term-1", "Road safety", "Speeding, crossings and dangerous driving."),
            ("term-2", "Anti-social behaviour", "Noise, litter and graffiti."),
            ("theme-3", "Street lighting", "Dark roads and broken lights."),
        ]
    )
    text = "Broken street lights make the road dark; cars speeding past the crossing"
    found = keyword_suggestions(text, seeds)
    assert [s.key for s in found] == ["theme-3", "term-1"]
    assert all(s.method == "keywords" for s in found)
    assert keyword_suggestions(text, seeds, exclude={"theme-3"})[0].key == "term-1"
    assert keyword_suggestions("Nothing relevant here at all", seeds) == []


def _split(corpus, share=0.7):
    cut = int(len(corpus) * share)
    return corpus[:cut], corpus[cut:]


def test_the_classifier_beats_the_most_frequent_code_on_a_generated_corpus():
    corpus = generate(n=600, seed=7)
    train_set, test_set = _split(corpus)
    classifier = train([t for t, _ in train_set], [labels for _, labels in train_set])
    assert classifier is not None and len(classifier.labels) == 8
    probabilities = classifier.probabilities([t for t, _ in test_set])

    # Top-1 accuracy: is the most likely code one of the text's codes?
    predicted = [classifier.labels[i] for i in probabilities.argmax(axis=1)]
    accuracy = np.mean([p in labels for p, (_, labels) in zip(predicted, test_set, strict=True)])
    most_frequent = Counter(x for _, labels in train_set for x in labels).most_common(1)[0][0]
    baseline = np.mean([most_frequent in labels for _, labels in test_set])

    # Micro-F1 of the codes it would suggest (probability ≥ 0.5) against the baseline's.
    def micro_f1(predictions):
        tp = fp = fn = 0
        for guess, (_, labels) in zip(predictions, test_set, strict=True):
            tp, fp, fn = (
                tp + len(guess & labels),
                fp + len(guess - labels),
                fn + len(labels - guess),
            )
        return 2 * tp / (2 * tp + fp + fn)

    suggested = [
        {classifier.labels[i] for i, p in enumerate(row) if p >= 0.5} for row in probabilities
    ]
    f1, baseline_f1 = micro_f1(suggested), micro_f1([{most_frequent}] * len(test_set))
    print(
        f"\nsuggestions on {len(train_set)} training / {len(test_set)} held-out generated texts:"
        f"\n  top-1 accuracy: classifier {accuracy:.3f}, most-frequent baseline {baseline:.3f}"
        f"\n  micro-F1:       classifier {f1:.3f}, most-frequent baseline {baseline_f1:.3f}"
    )
    assert accuracy > baseline + 0.3
    assert f1 > baseline_f1 + 0.3


def test_stored_arrays_predict_what_the_trained_tf_idf_would():
    corpus = generate(n=200, seed=3)
    texts, labels = [t for t, _ in corpus], [x for _, x in corpus]
    classifier = train(texts, labels)
    reference = TfidfVectorizer(analyzer=analyse, sublinear_tf=True, min_df=2).fit(texts)
    unseen = [t for t, _ in generate(n=20, seed=99)]
    ours = classifier.features(unseen).toarray()
    assert np.allclose(ours, reference.transform(unseen).toarray())
    restored = Classifier.from_bytes(classifier.to_bytes())
    assert restored.labels == classifier.labels
    assert np.allclose(restored.probabilities(unseen), classifier.probabilities(unseen), atol=1e-5)


def test_no_classifier_until_two_codes_have_five_examples_each():
    few = [("dark street no lights", {"a"})] * 5 + [("knife crime", {"b"})] * 4
    assert train([t for t, _ in few], [x for _, x in few]) is None
    enough = few + [("knives again", {"b"})]
    classifier = train([t for t, _ in enough], [x for _, x in enough])
    assert classifier is not None and classifier.labels == ["a", "b"]
    best = classifier.suggest("the lights are out and the street is dark")[0]
    assert best.key == "a" and best.method == "classifier"
    assert classifier.suggest("the street is dark", allowed={"b"}, threshold=0.0)[0].key == "b"
