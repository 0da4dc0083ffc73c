"""Automatic holds on a corpus of examples, and no hold on ordinary text."""

from __future__ import annotations

import pytest

from community.moderation.detect import find, reasons, redact

HELD = [
    ("email me at jo.bloggs+test@example.co.uk please", "email"),
    ("JO@EXAMPLE.COM", "email"),
    ("call 07700 900123 after six", "phone"),
    ("ring +44 7700 900123", "phone"),
    ("office: +44 (0)20 7946 0958", "phone"),
    ("landline 020-7946-0958", "phone"),
    ("my number is 07700900123", "phone"),
    ("(020) 8547 5000 is the council", "phone"),
    ("I live at KT1 1EU", "postcode"),
    ("near kt11eu", "postcode"),
    ("SW1A 1AA", "postcode"),
    ("it happened outside 12 Acacia Avenue", "address"),
    ("4a Penrhyn Road was broken into", "address"),
    ("the flat at 221 Baker Street", "address"),
    ("lives at 7, Old Malden Lane", "address"),
    ("he is a total scumbag", "abuse"),
]

ORDINARY = [
    "the park near the station",
    "I feel unsafe near the station after 10pm",
    "There were 3 parks closed in 2023 and 12 youth clubs",
    "Buses every 15 minutes would help",
    "in the last 2 years things got worse on the high street",
    "My score is 7 out of 10",
    "Kingston Town ward has 5 main roads",
    "Call the police on 999 or 101",
    "it costs £20,000 a year",
    "version 2.0 of the plan",
    "meet at 7 the green",
    "The A3 and the A307 are dangerous",
    "Surbiton Hill is lovely",
]


@pytest.mark.parametrize("text, kind", HELD)
def test_personal_data_and_abuse_are_held(text, kind):
    assert kind in reasons(find(text, abuse_words=["scumbag"])), text


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_is_not_held(text):
    assert find(text, abuse_words=["scumbag"]) == [], text


def test_abuse_words_match_whole_words_only():
    assert reasons(find("Scunthorpe is a town", abuse_words=["cunt"])) == []
    assert reasons(find("what a CUNT", abuse_words=["cunt"])) == ["abuse"]


def test_redaction_removes_personal_data_only():
    text = "Email jo@example.com or call 07700 900123 at 12 Acacia Avenue, KT1 1EU. Idiots."
    assert redact(text) == "Email [removed] or call [removed] at [removed], [removed]. Idiots."


def test_findings_report_where_they_are():
    (finding,) = find("call 07700 900123")
    assert (
        finding.kind == "phone" and "call 07700 900123"[finding.start : finding.end] == finding.text
    )
