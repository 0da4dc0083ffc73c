"""The WSGI entry point for gunicorn: ``gunicorn wsgi:app`` (and ``FLASK_APP`` for the CLI)."""

import gc

import click

from community import create_app

#: Served by gunicorn, the app leaves out Flask-Migrate and Alembic (about 11 MB in each
#: worker, never used there); the ``flask`` command (``flask db upgrade``) loads it.
app = create_app(None if click.get_current_context(silent=True) else {"MIGRATIONS": False})

#: What the worker loaded to start (modules, templates, mappers: about 200,000 objects)
#: lives as long as it does: kept out of the garbage collector's full passes, which
#: walked all of it every few requests (about 40 ms each; 6 % of a survey response's
#: time in the load benchmark, issue 15).
gc.freeze()
