"""`flask conversations import|analyse`: bring Pol.is exports in, or analyse them as they are."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..extensions import db

conversations_cli = AppGroup("conversations", help="Consensus conversations (Pol.is data).")


@conversations_cli.command("import")
@click.argument("path", type=click.Path(exists=True))
@click.option("--consultation", "slug", help="Add it to this consultation (by slug).")
@click.option("--question", default=None, help="The question (default: summary.csv's topic).")
@click.option("--attribution", default="", help="The licence statement the data requires.")
def import_command(path: str, slug: str | None, question: str | None, attribution: str) -> None:
    """Import a Pol.is export folder or .zip (votes.csv or participants-votes.csv).

    Without --consultation a new draft consultation is made for it. Everything is
    imported in one transaction: on a bad file nothing is kept.
    """
    from ..audit.service import record
    from ..consultations.models import Consultation
    from ..consultations.service import unique_slug
    from . import polis

    started = time.perf_counter()
    try:
        if slug:
            consultation = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
            if consultation is None:
                raise click.ClickException(f"there is no consultation with the slug “{slug}”")
        else:
            title = (question or polis.read_summary_of(path).get("topic") or Path(path).stem)[:160]
            consultation = Consultation(slug=unique_slug(title), title=title, documents=[])
            db.session.add(consultation)
            db.session.flush()
            click.echo(f"New draft consultation: {consultation.slug}")
        conversation = polis.import_export(
            consultation, path, question=question, attribution=attribution, progress=click.echo
        )
        record("conversation.imported", "conversation", conversation.id)
        db.session.commit()
    except polis.PolisImportError as error:
        db.session.rollback()
        raise click.ClickException(f"{error} (nothing was imported)") from None
    except BaseException:
        db.session.rollback()
        raise
    click.echo(
        f"Imported conversation {conversation.id} into “{consultation.slug}” in "
        f"{time.perf_counter() - started:.1f} s; results are computed by the worker."
    )


@conversations_cli.command("analyse")
@click.argument("path", type=click.Path(exists=True))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True))
@click.option(
    "--groups-from-export", is_flag=True, help="Use Pol.is's own group-id labels, not ours."
)
def analyse_command(path: str, out: str, groups_from_export: bool) -> None:
    """Analyse a Pol.is export without storing it; write the analysis as JSON."""
    from ..consensus import read_polis_export
    from ..consensus.analyse import analyse_export
    from ..consensus.polis_io import PolisFormatError
    from . import polis

    try:
        with polis.export_folder(path) as folder:
            export = read_polis_export(folder)
    except (polis.PolisImportError, PolisFormatError) as error:
        raise click.ClickException(str(error)) from None
    if groups_from_export and not any(g is not None for g in export.group_labels.values()):
        raise click.ClickException("--groups-from-export: participants-votes.csv has no groups")
    result = analyse_export(export, groups_from_export=groups_from_export)
    Path(out).write_text(json.dumps(result, indent=1), encoding="utf-8")
    click.echo(
        f"{len(result['per_comment'])} statements, {len(result['participant_groups'])} "
        f"participants, {len(result['repness'])} groups; {result['runtime_s']} s -> {out}"
    )
