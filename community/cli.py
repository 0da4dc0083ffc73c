"""Flask commands: seed, demo, worker, create-admin."""

from __future__ import annotations

import signal

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .extensions import db


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(create_admin_command)
    app.cli.add_command(retention_command)
    from .conversations.cli import conversations_cli

    app.cli.add_command(conversations_cli)


@click.command("seed")
@with_appcontext
@click.option("--file", "path", default=None, help="Framework data file (TOML).")
def seed_command(path: str | None) -> None:
    """Load the partnership's framework; running it again changes nothing."""
    from .framework.service import seed
    from .moderation.service import seed_templates
    from .plan.service import seed_plan

    report = seed(path or current_app.config["FRAMEWORK_FILE"])
    reasons = seed_templates()
    db.session.flush()
    plan_loaded = seed_plan(current_app.config["PLAN_FILE"])
    db.session.commit()
    click.echo(
        f"Framework: {report.vocabularies_added} vocabularies and "
        f"{report.terms_added} terms added" + ("" if report.changed else " (already up to date)")
    )
    click.echo(f"Moderation: {reasons} rejection reasons added")
    click.echo("Plan: " + ("loaded" if plan_loaded else "already loaded (edit it in the app)"))


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load demo data: the framework and one account for each role."""
    from .demo import load_demo

    for line in load_demo():
        click.echo(line)


@click.command("worker")
@with_appcontext
@click.option("--once", is_flag=True, help="Run every job once, then stop.")
def worker_command(once: bool) -> None:
    """Deliver mail and run background jobs until stopped."""
    from . import jobs
    from .notifications import service  # noqa: F401  (registers the mail job)
    from .privacy import retention  # noqa: F401  (registers retention and mail scrubbing)

    click.echo("Worker started" + (" (once)" if once else ""))
    stopping = []

    def _stop(signum, _frame):
        """Stop at once when waiting; otherwise after the job in hand (nothing half-sent)."""
        stopping.append(signum)
        if jobs.waiting():
            raise SystemExit(0)

    if not once:
        signal.signal(signal.SIGTERM, _stop)
    try:
        jobs.work_forever(
            current_app._get_current_object(), once=once, should_stop=lambda: stopping
        )
    except jobs.transient_errors() as error:
        raise click.ClickException(
            f"A server is unavailable, nothing was run: {jobs.describe(error)}"
        )
    click.echo("Worker stopped")


@click.command("retention")
@with_appcontext
def retention_command() -> None:
    """Apply the retention periods in the settings, and say what was done (safe to repeat)."""
    from .privacy.retention import apply_retention

    report = apply_retention()
    for line in report.lines(current_app.config):
        click.echo(line)
    if not report.changed:
        click.echo("Nothing was due.")


@click.command("create-admin")
@with_appcontext
@click.option("--email", prompt=True)
@click.option("--name", "display_name", prompt="Display name")
@click.password_option()
def create_admin_command(email: str, display_name: str, password: str) -> None:
    """Create a verified administrator account (for a new deployment)."""
    from .accounts.models import AgeBand, Role, User
    from .accounts.passwords import hash_password
    from .accounts.service import find_by_email, normalise_email
    from .models_base import utcnow

    if find_by_email(email):
        raise click.ClickException("An account with that email already exists")
    db.session.add(
        User(
            email=normalise_email(email),
            display_name=display_name,
            password_hash=hash_password(password),
            role=Role.ADMIN,
            age_band=AgeBand.AGE_25_34,
            email_verified_at=utcnow(),
        )
    )
    db.session.commit()
    click.echo(f"Administrator {email} created")
