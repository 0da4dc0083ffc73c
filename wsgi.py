"""The WSGI entry point for gunicorn: ``gunicorn wsgi:app`` (and ``FLASK_APP`` for the CLI)."""

import click

from community import create_app

#: Served by gunicorn, the app leaves out Flask-Migrate and Alembic (about 11 MB in each
#: worker, never used there); the ``flask`` command (``flask db upgrade``) loads it.
app = create_app(None if click.get_current_context(silent=True) else {"MIGRATIONS": False})
