"""A page of a select and its total come from one query (community/pagination.py)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from community.consultations.models import Consultation
from community.extensions import db
from community.pagination import paginate_select
from tests.conftest import count_queries
from tests.support.factories import make_consultation


def test_each_page_and_the_total_in_one_query(app):
    with app.app_context():
        ids = [make_consultation(commit=False) for _ in range(7)]
        db.session.commit()
        ids = sorted(c.id for c in ids)
    stmt = select(Consultation).options(selectinload(Consultation.terms)).order_by(Consultation.id)
    with app.app_context():
        seen = []
        for number, expected in ((1, 3), (2, 3), (3, 1)):
            with count_queries(app) as statements:
                page = paginate_select(stmt, page=number, per_page=3)
                assert (page.total, page.pages, len(page.items)) == (7, 3, expected)
            # the page with its total, and the terms of its consultations (selectin)
            assert len(statements) == 2, statements
            seen += [c.id for c in page.items]
        assert seen == ids
        # Past the end: no rows to carry the total, so it is counted as before.
        with count_queries(app) as statements:
            page = paginate_select(stmt, page=4, per_page=3)
            assert (page.total, page.items, page.has_prev) == (7, [], True)
        assert len(statements) == 2
        # Nothing at all: the empty first page says so without counting.
        with count_queries(app) as statements:
            page = paginate_select(stmt.where(Consultation.id < 0), page=1, per_page=3)
            assert (page.total, page.items, page.pages) == (0, [], 0)
        assert len(statements) == 1
