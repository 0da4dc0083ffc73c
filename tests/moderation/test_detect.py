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


# Kingston's languages: personal data in any script, glued to the words around it.
HELD_IN_OTHER_LANGUAGES = [
    ("제 번호는 010-1234-5678입니다", "phone"),
    ("전화는010 1234 5678로 주세요", "phone"),
    ("연락처: ０１０－１２３４－５６７８", "phone"),
    ("+82 10 1234 5678로 연락하세요", "phone"),
    ("민지@예시.한국으로 메일 주세요", "email"),
    ("minji.kim@naver.com으로 보내 주세요", "email"),
    ("이메일 minji＠example.com", "email"),
    ("우리 집은 KT3 4PQ에 있어요", "postcode"),
    ("என் எண் 07700 900123", "phone"),
    ("அழைக்கவும் +91 98765 43210", "phone"),
    ("கைபேசி 98765 43210", "phone"),
    ("என் எண் ௦௭௭௦௦ ௯௦௦௧௨௩", "phone"),
    ("மின்னஞ்சல் குமார்@எடுத்துக்காட்டு.இந்தியா", "email"),
    ("Mój numer to 600 123 456", "phone"),
    ("zadzwoń +48 600-123-456", "phone"),
    ("napisz na jan.kowalski@wp.pl", "email"),
    ("mieszkam przy KT1 2AB", "postcode"),
    ("رقمي ٠٧٧٠٠ ٩٠٠١٢٣ بعد السادسة", "phone"),
    ("اتصل على ۰۷۷۰۰۹۰۰۱۲۳", "phone"),
    ("اتصل بي على+44 7700 900123", "phone"),
    ("راسلني على user@مثال.مصر", "email"),
    ("أسكن في KT2 5AA قرب المحطة", "postcode"),
]

ORDINARY_IN_OTHER_LANGUAGES = [
    "역 근처 공원이 밤에 무서워요. 가로등 10개가 고장났어요",
    "2024년에 청소년 센터 3곳이 문을 닫았어요",
    "நிலையத்திற்கு அருகில் இரவில் பாதுகாப்பில்லை, 2023 முதல்",
    "Budżet to 20 000 000 zł na 5 lat",
    "W 2023 roku zamknięto 12 klubów młodzieżowych",
    "Koszt 500 000 000 zł",
    "الحديقة قرب المحطة غير آمنة بعد الساعة ١٠ مساءً",
    "أغلقت ٣ نوادٍ للشباب في عام ٢٠٢٣",
]


@pytest.mark.parametrize("text, kind", HELD_IN_OTHER_LANGUAGES)
def test_personal_data_is_held_in_korean_tamil_polish_and_arabic(text, kind):
    assert kind in reasons(find(text)), text


@pytest.mark.parametrize("text", ORDINARY_IN_OTHER_LANGUAGES)
def test_ordinary_text_in_other_languages_is_not_held(text):
    assert find(text) == [], text


def test_findings_keep_the_writers_own_digits():
    (finding,) = find("رقمي ٠٧٧٠٠ ٩٠٠١٢٣")
    assert finding.text == "٠٧٧٠٠ ٩٠٠١٢٣"
    assert redact("رقمي ٠٧٧٠٠ ٩٠٠١٢٣ شكرا") == "رقمي [removed] شكرا"


@pytest.mark.parametrize(
    ("words", "text"),
    [
        (["병신"], "이 병신아 꺼져"),  # a Korean particle written onto the word
        (["சனியன்"], "அந்த சனியனே போ"),  # a Tamil ending
        (["حمار"], "يا حمارا اسكت"),  # Arabic suffix
        (["kurw*"], "ty kurwo jedna"),  # a Polish stem with every ending
        (["idiota"], "Ty IDIOTA!"),
    ],
)
def test_each_languages_abuse_list_holds_its_words(words, text):
    assert reasons(find(text, abuse_words=words)) == ["abuse"], text


def test_polish_whole_words_stay_whole_without_a_star():
    assert find("Skurwysyn to nie kurwa", abuse_words=["kurwa"])[0].text == "kurwa"
    assert find("dziura w drodze", abuse_words=["dziur"]) == []
