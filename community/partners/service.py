"""Sharing consultations with partners, and partner figures (suppressed for publication).

``partner_figures`` is what other features call (the evidence matrix, the API): every
figure attached to an issue and ward, with counts too small to publish withheld, and
ward figures protected against the whole-area figure they add up to.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.models import Organisation
from ..audit.service import record
from ..consultations.models import Consultation
from ..consultations.phases import PHASE_ALLOWS
from ..disclosure import threshold
from ..extensions import db
from ..failures import ServiceError
from ..framework.models import Term, Vocabulary
from ..opendata import suppression
from .models import ConsultationShare, PartnerFigure, SharingAgreement


class PartnerDataError(ServiceError):
    """A rule was broken; the message is safe to show."""


# --- sharing consultations -----------------------------------------------------------


def shared_organisations(consultation: Consultation) -> set[Organisation]:
    return set(
        db.session.scalars(
            select(ConsultationShare.organisation).where(
                ConsultationShare.consultation_id == consultation.id
            )
        )
    )


def is_shared_with(consultation: Consultation, organisation: Organisation | None) -> bool:
    if organisation is None:
        return False
    return (
        db.session.scalar(
            select(ConsultationShare.id).where(
                ConsultationShare.consultation_id == consultation.id,
                ConsultationShare.organisation == organisation,
            )
        )
        is not None
    )


def readable_consultations(organisation: Organisation | None):
    """A select of the ids of consultations a partner organisation may read in full:
    results public to everyone (closed, results public), or shared with it.

    The one rule for every partner-facing view: the evidence matrix, its cells, the
    report, and the API (``may_read``), so the web never shows a partner what its
    API token would be refused.
    """
    public_phases = [p.value for p, rules in PHASE_ALLOWS.items() if rules["results"] == "public"]
    public = select(Consultation.id).where(
        Consultation.phase.in_(public_phases), Consultation.results_public.is_(True)
    )
    if organisation is None:
        return public
    shared = select(ConsultationShare.consultation_id).where(
        ConsultationShare.organisation == organisation
    )
    return public.union(shared)


def may_read(consultation: Consultation, organisation: Organisation | None) -> bool:
    """``readable_consultations`` for one consultation."""
    ids = readable_consultations(organisation).subquery()
    return db.session.scalar(select(ids.c[0]).where(ids.c[0] == consultation.id)) is not None


def set_shares(consultation: Consultation, organisations: set[Organisation], user) -> None:
    """Share the consultation's analysis with exactly these organisations (audited)."""
    current = {
        share.organisation: share
        for share in db.session.scalars(
            select(ConsultationShare).where(ConsultationShare.consultation_id == consultation.id)
        )
    }
    added = organisations - current.keys()
    removed = current.keys() - organisations
    for organisation in sorted(added):
        db.session.add(
            ConsultationShare(
                consultation_id=consultation.id,
                organisation=organisation,
                shared_by_id=getattr(user, "id", None),
            )
        )
    for organisation in removed:
        db.session.delete(current[organisation])
    if added or removed:
        record(
            "consultation.shared",
            "consultation",
            consultation.id,
            actor=user,
            added=sorted(o.value for o in added),
            removed=sorted(o.value for o in removed),
        )


# --- agreements and figures ----------------------------------------------------------


def agreements() -> list[SharingAgreement]:
    return list(
        db.session.scalars(
            select(SharingAgreement).order_by(
                SharingAgreement.signed_on.desc(), SharingAgreement.id
            )
        )
    )


@dataclass
class AgreementData:
    organisation: Organisation
    name: str
    reference: str
    signed_on: date
    purpose: str = ""


def save_agreement(agreement: SharingAgreement | None, data: AgreementData, user):
    """Create (when ``agreement`` is None) or change an agreement (audited)."""
    new = agreement is None
    agreement = agreement or SharingAgreement(created_by_id=getattr(user, "id", None))
    agreement.organisation = data.organisation
    agreement.name = data.name.strip()
    agreement.reference = data.reference.strip()
    agreement.signed_on = data.signed_on
    agreement.purpose = data.purpose.strip()
    db.session.add(agreement)
    db.session.flush()
    record(
        "sharing_agreement.created" if new else "sharing_agreement.changed",
        "sharing_agreement",
        agreement.id,
        actor=user,
    )
    return agreement


def _term(term_id: int | None, vocabulary: str) -> Term | None:
    if term_id is None:
        return None
    return db.session.scalar(
        select(Term).join(Vocabulary).where(Term.id == term_id, Vocabulary.code == vocabulary)
    )


@dataclass
class FigureData:
    agreement_id: int
    issue_id: int
    ward_id: int | None
    measure: str
    period_start: date
    period_end: date
    value: int
    counts_youth: bool = False
    notes: str = ""


def save_figure(figure: PartnerFigure | None, data: FigureData, user) -> PartnerFigure:
    """Create or change a partner figure, checking what the database cannot say nicely."""
    if db.session.get(SharingAgreement, data.agreement_id) is None:
        raise PartnerDataError(_("Choose the information-sharing agreement"))
    if _term(data.issue_id, "issue") is None:
        raise PartnerDataError(_("Choose an issue"))
    if data.ward_id is not None and _term(data.ward_id, "area") is None:
        raise PartnerDataError(_("Choose a ward, or the whole area"))
    if data.period_end < data.period_start:
        raise PartnerDataError(_("The period must end on or after the day it starts"))
    if data.value < 0:
        raise PartnerDataError(_("The figure cannot be negative"))
    clash = db.session.scalar(
        select(PartnerFigure.id).where(
            PartnerFigure.agreement_id == data.agreement_id,
            PartnerFigure.measure == data.measure.strip(),
            PartnerFigure.issue_id == data.issue_id,
            PartnerFigure.ward_id.is_(None)
            if data.ward_id is None
            else PartnerFigure.ward_id == data.ward_id,
            PartnerFigure.period_start == data.period_start,
            PartnerFigure.id != (figure.id if figure else -1),
        )
    )
    if clash is not None:
        raise PartnerDataError(_("There is already a figure for this measure, place and period"))
    new = figure is None
    figure = figure or PartnerFigure(created_by_id=getattr(user, "id", None))
    for name in (
        "agreement_id",
        "issue_id",
        "ward_id",
        "period_start",
        "period_end",
        "value",
        "counts_youth",
    ):
        setattr(figure, name, getattr(data, name))
    figure.measure = data.measure.strip()
    figure.notes = data.notes.strip()
    db.session.add(figure)
    db.session.flush()
    record(
        "partner_figure.created" if new else "partner_figure.changed",
        "partner_figure",
        figure.id,
        actor=user,
    )
    return figure


def figures_query(issue_id: int | None = None, ward_id: int | None = None):
    stmt = select(PartnerFigure).order_by(
        PartnerFigure.period_start.desc(), PartnerFigure.measure, PartnerFigure.id
    )
    if issue_id is not None:
        stmt = stmt.where(PartnerFigure.issue_id == issue_id)
    if ward_id is not None:
        stmt = stmt.where(PartnerFigure.ward_id == ward_id)
    return stmt


# --- published (suppressed) figures --------------------------------------------------


@dataclass(frozen=True)
class PublishedFigure:
    """A partner figure as it may be shown beside community evidence."""

    id: int
    organisation: Organisation
    agreement_name: str
    agreement_reference: str
    agreement_signed_on: date
    issue_code: str
    issue_name: str
    ward_code: str | None
    ward_name: str | None
    measure: str
    period_start: date
    period_end: date
    #: None when withheld (too small, or it would give a small one away).
    value: int | None
    counts_youth: bool

    @property
    def suppressed(self) -> bool:
        return self.value is None


def _suppress(figures: list[PartnerFigure]) -> dict[int, bool]:
    """Whether each figure is withheld: small ones, and ward figures that would give a
    small one away against the whole-area figure for the same measure and period."""
    groups: dict[tuple, list[PartnerFigure]] = defaultdict(list)
    for figure in figures:
        key = (
            figure.agreement.organisation,
            figure.measure,
            figure.issue_id,
            figure.period_start,
            figure.period_end,
        )
        groups[key].append(figure)
    hidden: dict[int, bool] = {}
    for members in groups.values():
        members.sort(key=lambda f: (f.ward_id is None, f.id))
        wards = [f for f in members if f.ward_id is not None]
        whole = [f for f in members if f.ward_id is None]
        counts = [f.value for f in members]
        limits = [threshold(youth=f.counts_youth) for f in members]
        lines = []
        if len(whole) == 1 and wards:
            lines.append(suppression.Line(tuple(range(len(wards))), len(wards)))
        cells = suppression.suppress_lines(counts, lines, limits)
        for figure, cell in zip(members, cells, strict=True):
            hidden[figure.id] = cell.suppressed
    return hidden


def partner_figures(
    issue_id: int | None = None, ward_id: int | None = None
) -> list[PublishedFigure]:
    """Partner figures for an issue and/or ward, suppressed like every published count.

    Suppression looks at every ward of the same measure and period (not only the ones
    asked for), so a figure is withheld the same way whatever the question.
    """
    wanted = db.session.scalars(figures_query(issue_id, ward_id)).unique().all()
    if not wanted:
        return []
    issue_ids = {f.issue_id for f in wanted}
    related = (
        db.session.scalars(select(PartnerFigure).where(PartnerFigure.issue_id.in_(issue_ids)))
        .unique()
        .all()
    )
    hidden = _suppress(list(related))
    return [
        PublishedFigure(
            id=f.id,
            organisation=f.agreement.organisation,
            agreement_name=f.agreement.name,
            agreement_reference=f.agreement.reference,
            agreement_signed_on=f.agreement.signed_on,
            issue_code=f.issue.code,
            issue_name=f.issue.name,
            ward_code=f.ward.code if f.ward else None,
            ward_name=f.ward.name if f.ward else None,
            measure=f.measure,
            period_start=f.period_start,
            period_end=f.period_end,
            value=None if hidden[f.id] else f.value,
            counts_youth=f.counts_youth,
        )
        for f in wanted
    ]


def withheld_ids(figures: list[PartnerFigure]) -> set[int]:
    """For officers' lists: which of these figures the public would not see."""
    if not figures:
        return set()
    issue_ids = {f.issue_id for f in figures}
    related = (
        db.session.scalars(select(PartnerFigure).where(PartnerFigure.issue_id.in_(issue_ids)))
        .unique()
        .all()
    )
    hidden = _suppress(list(related))
    return {f.id for f in figures if hidden.get(f.id)}
