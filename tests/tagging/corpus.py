"""A generated, labelled corpus of short contributions, for measuring the suggestions.

Each code has its own words; a text mixes words of its one or two codes with
everyday filler and, sometimes, a stray word of an unrelated code. A few labels
are wrong on purpose. Codes are unequally common, so a "most frequent code"
baseline is not a straw man.
"""

from __future__ import annotations

import random

VOCABULARIES = {
    "lighting": "lamp lamps streetlight dark darkness unlit bulb lighting lit gloomy shadows torch",
    "knife": "knife knives blade stabbing weapon carrying machete stabbed sword arms amnesty bleed",
    "drugs": "drugs dealing dealer cannabis needles weed cocaine county lines smell spliff deal",
    "asb": "noise shouting litter graffiti loitering vandalism rowdy nuisance smashed fireworks",
    "roads": "speeding cars traffic crossing pavement cyclists junction lorry zebra parking",
    "youth": "youth club closed bored teenagers activities football mentors apprenticeships centre",
    "vawg": "harassment catcalling followed women girls stalking unsafe walking alone wolf whistle",
    "scams": "scam fraud phone doorstep pensioner bank cold caller online fake email courier",
}
_FILLER_TEXT = (
    "near my home the street at night every week around here i feel we see our area "
    "it is getting worse please do something council police residents neighbours children "
    "evening weekend station park shops high road estate school bus stop since last year "
    "often sometimes always never really quite very much too many lots of kids people"
)
FILLER = _FILLER_TEXT.split()
#: How common each code is as the main code of a text (most frequent first).
WEIGHTS = [30, 16, 14, 11, 10, 8, 6, 5]


def generate(n: int = 600, seed: int = 7) -> list[tuple[str, set[str]]]:
    rng = random.Random(seed)
    codes = list(VOCABULARIES)
    words = {code: text.split() for code, text in VOCABULARIES.items()}
    corpus = []
    for _ in range(n):
        main = rng.choices(codes, weights=WEIGHTS)[0]
        labels = {main}
        parts = rng.choices(words[main], k=rng.randint(2, 5))
        if rng.random() < 0.25:
            second = rng.choice([c for c in codes if c != main])
            labels.add(second)
            parts += rng.choices(words[second], k=rng.randint(1, 3))
        if rng.random() < 0.3:  # a stray word of a code the text is not about
            parts.append(rng.choice(words[rng.choice(codes)]))
        parts += rng.choices(FILLER, k=rng.randint(4, 10))
        rng.shuffle(parts)
        if rng.random() < 0.05:  # a coding mistake
            labels = {rng.choice(codes)}
        corpus.append((" ".join(parts), labels))
    return corpus
