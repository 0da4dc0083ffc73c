"""``flask search-reindex``: rebuild the search index from the source tables."""

from __future__ import annotations

import click

from ..extensions import db
from .index import reindex


@click.command("search-reindex")
def reindex_command() -> None:
    """Rebuild the index (after a restore, or on a database older than search)."""
    count = reindex(db.session)
    db.session.commit()
    click.echo(f"Search index rebuilt: {count} entries.")
