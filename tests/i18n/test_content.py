"""Consultations in several languages: officers translate, residents read their
language where it exists (English with a note where not), and answers are stored,
moderated and counted the same whatever language the page was in."""

from __future__ import annotations

from sqlalchemy import select

from community.accounts.models import Role
from community.contributions.models import Contribution
from community.extensions import db
from community.multilingual.models import ContentTranslation
from community.surveys.models import Answer
from tests.conftest import count_queries, sign_in_client
from tests.support.factories import make_consultation, make_survey, make_user

KO = {"Accept-Language": "ko-KR,ko;q=0.9"}
CHOICES = ["Street lighting", "More patrols", "Youth clubs"]
KO_CHOICES = ["가로등", "순찰 강화", "청소년 클럽"]


def _consultation():
    consultation = make_consultation(title="Safer streets", commit=False)
    consultation.summary, consultation.body_html = "Tell us what would help", "<p>Read this</p>"
    survey = make_survey(
        consultation,
        [
            (
                "Your views",
                [
                    {"kind": "single_choice", "text": "What would help most?",
                     "options": {"choices": CHOICES}},
                    {"kind": "long_text", "text": "Anything else?"},
                ],
            )
        ],
    )  # fmt: skip
    return consultation, survey


class Ids:
    """What a test needs to reach the consultation, read in its own app context."""

    def __init__(self, app, officer_role=Role.OFFICER):
        with app.app_context():
            consultation, survey = _consultation()
            self.officer = make_user(officer_role)
            self.consultation, self.slug, self.survey = (
                consultation.id,
                consultation.slug,
                survey.id,
            )
            self.section = survey.sections[0].id
            self.q1, self.q2 = (q.id for q in survey.questions)

    def translate(self, app):
        from community.consultations.models import Consultation
        from community.surveys.models import Survey

        with app.app_context():
            consultation = db.session.get(Consultation, self.consultation)
            survey = db.session.get(Survey, self.survey)
            answer = _translate_everything(sign_in_client(app, self.officer), consultation, survey)
            db.session.remove()
        return answer


def _translate_everything(client, consultation, survey):
    from community.multilingual.service import units

    korean = {
        "consultation_{id}_title": "더 안전한 거리",
        "consultation_{id}_summary": "무엇이 도움이 될지 알려 주세요",
        "consultation_{id}_body_html": "<p>읽어 주세요</p><script>alert(1)</script>",
    }
    data = {k.format(id=consultation.id): v for k, v in korean.items()}
    q1, q2 = survey.questions
    data[f"survey_{survey.id}_title"] = "여러분의 의견"
    data[f"section_{survey.sections[0].id}_title"] = "의견"
    data[f"question_{q1.id}_text"] = "무엇이 가장 도움이 될까요?"
    data[f"question_{q1.id}_choices"] = "\n".join(KO_CHOICES)
    data[f"question_{q2.id}_text"] = "더 하실 말씀이 있나요?"
    assert {u.name for u in units(consultation)} == set(data)
    return client.post(f"/manage/consultations/{consultation.id}/translations/ko", data=data)


def test_officers_translate_a_consultation_and_see_which_languages_are_complete(app):
    ids = Ids(app)
    client = sign_in_client(app, ids.officer)
    page = client.get(f"/manage/consultations/{ids.consultation}/translations").get_data(True)
    assert "0 of 8" in page and "Not started" in page
    assert ids.translate(app).status_code == 302
    page = client.get(f"/manage/consultations/{ids.consultation}/translations").get_data(True)
    assert "8 of 8" in page and "Complete" in page
    with app.app_context():
        body = db.session.scalar(
            select(ContentTranslation.text).where(ContentTranslation.field == "body_html")
        )
    assert "<script>" not in body and "읽어 주세요" in body  # sanitised like the English
    # The edit form shows the English beside each box, and the saved translation in it.
    form = client.get(f"/manage/consultations/{ids.consultation}/translations/ko").get_data(True)
    assert '<span lang="en-GB" dir="ltr">What would help most?</span>' in form
    assert "무엇이 가장 도움이 될까요?" in form and 'lang="ko"' in form


def test_options_must_keep_their_number(app):
    ids = Ids(app)
    answer = sign_in_client(app, ids.officer).post(
        f"/manage/consultations/{ids.consultation}/translations/ko",
        data={f"question_{ids.q1}_choices": "가로등\n순찰 강화"},
    )
    assert answer.status_code == 200
    assert "Give one translation for each of the 3 options" in answer.get_data(True)
    with app.app_context():
        assert db.session.scalar(select(ContentTranslation.id)) is None


def test_residents_see_their_language_where_it_exists_and_english_with_a_note(app, client):
    ids = Ids(app)
    page = client.get(f"/consultations/{ids.slug}", headers=KO).get_data(True)
    assert "Safer streets" in page and "한국어" in page  # the note names the language
    assert "cv-translation-note" in page
    ids.translate(app)
    page = client.get(f"/consultations/{ids.slug}", headers=KO).get_data(True)
    assert "더 안전한 거리" in page and "읽어 주세요" in page
    assert "cv-translation-note" not in page
    listing = client.get("/consultations/", headers=KO).get_data(True)
    assert "더 안전한 거리" in listing
    # English readers still read the English.
    page = client.get(f"/consultations/{ids.slug}").get_data(True)
    assert "Safer streets" in page and "더 안전한" not in page


def test_answers_in_any_language_are_stored_moderated_and_counted_the_same(app):
    ids = Ids(app)
    ids.translate(app)
    texts = {}
    with app.app_context():
        clients = [sign_in_client(app, make_user()) for _ in range(2)]
    for resident, headers, free_text in (
        (clients[0], KO, "제 번호는 010-1234-5678입니다"),
        (clients[1], {}, "Lights please"),
    ):
        resident.post(f"/surveys/{ids.survey}/begin", headers=headers)
        page = resident.get(f"/surveys/{ids.survey}/sections/{ids.section}", headers=headers)
        texts[bool(headers)] = page.get_data(True)
        resident.post(
            f"/surveys/{ids.survey}/sections/{ids.section}",
            data={f"q{ids.q1}": "More patrols", f"q{ids.q2}": free_text},
            headers=headers,
        )
        assert resident.post(f"/surveys/{ids.survey}/submit", headers=headers).status_code == 302
    # The Korean page shows Korean labels on the original values.
    assert 'value="More patrols"' in texts[True] and "순찰 강화" in texts[True]
    assert "무엇이 가장 도움이 될까요?" in texts[True]
    assert "순찰 강화" not in texts[False]
    with app.app_context():
        from community.surveys.models import Question

        values = db.session.scalars(select(Answer.value).where(Answer.question_id == ids.q1)).all()
        assert values == [{"choice": "More patrols"}, {"choice": "More patrols"}]
        # Free text is kept as written; a Korean phone number is held like an English one.
        bodies = {c.body: c.hold_reasons for c in db.session.scalars(select(Contribution))}
        assert bodies["제 번호는 010-1234-5678입니다"] == ["phone"]
        assert not bodies["Lights please"]
        # The analysis is the same whatever language it is read in.
        q1 = db.session.get(Question, ids.q1)
        counts = {o["label"]: o["count"] for o in q1.type.aggregate(q1, values)["options"]}
        assert counts == {"Street lighting": 0, "More patrols": 2, "Youth clubs": 0}
    officer = sign_in_client(app, ids.officer)
    english = officer.get(f"/consultations/{ids.slug}/results")
    korean = officer.get(f"/consultations/{ids.slug}/results", headers=KO)
    assert english.status_code == korean.status_code


def test_a_translated_survey_page_reads_its_translations_in_one_query(app):
    ids = Ids(app)
    ids.translate(app)
    with app.app_context():
        resident = sign_in_client(app, make_user())
    resident.post(f"/surveys/{ids.survey}/begin", headers=KO)
    url = f"/surveys/{ids.survey}/sections/{ids.section}"
    with count_queries(app) as statements:
        page = resident.get(url, headers=KO)
    assert page.status_code == 200 and "무엇이 가장 도움이 될까요?" in page.get_data(True)
    reads = [s for s in statements if "FROM content_translations" in s]
    assert len(reads) == 1  # every translation of the consultation, once
