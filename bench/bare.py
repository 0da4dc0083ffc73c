"""The yardstick for bench/load.py: a Flask app whose one endpoint does one INSERT.

Served by the same gunicorn, against the same PostgreSQL, driven by the same load
generator, so every figure of the real app is given as a ratio to it.
"""

from __future__ import annotations

import os

import psycopg
from flask import Flask

app = Flask(__name__)
DSN = os.environ["BARE_DSN"]
_connection: psycopg.Connection | None = None


def connection() -> psycopg.Connection:
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(DSN, autocommit=True)
    return _connection


@app.post("/insert")
def insert():
    connection().execute("INSERT INTO bench_bare (note) VALUES ('x')")
    return "ok"
