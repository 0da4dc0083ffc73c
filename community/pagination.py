"""Pagination of a select, with the page number from the query string."""

from __future__ import annotations

from flask import request

from .extensions import db


def paginate(stmt, per_page: int = 25):
    page = request.args.get("page", 1, type=int) or 1
    return db.paginate(stmt, page=max(page, 1), per_page=per_page, error_out=False)
