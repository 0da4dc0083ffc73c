"""Pages kept for visitors (community/pagecache/): sent again with no SQL while
nothing they were drawn from has changed, drawn afresh as soon as anything has, by
whatever means it changed; never a signed-in person's page, never another visitor's
form token, never another language; and Redis failing costs nothing but speed."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, text, update

from community import pagecache
from community.consultations.models import Consultation
from community.extensions import db
from community.framework.models import Term
from community.pagecache import pages
from community.pagecache.statements import written
from tests.conftest import count_queries, sign_in_client
from tests.support.env import REDIS_URL, redis_available, require
from tests.support.factories import make_consultation, make_user


def _title(html: str) -> str:
    found = re.search(
        r'<h2 class="govuk-heading-m"><a class="govuk-link" href="[^"]+">([^<]+)<', html
    )
    return found.group(1) if found else ""


def _kept(app) -> int:
    return app.extensions["community_pages"].hits


@pytest.fixture
def listed(app):
    with app.app_context():
        return make_consultation(title="Lighting on the riverside").id


def test_a_visitors_second_view_runs_no_sql_and_any_change_shows_at_once(app, client, listed):
    first = client.get("/consultations/").get_data(as_text=True)
    assert _title(first) == "Lighting on the riverside"
    with count_queries(app) as statements:
        again = client.get("/consultations/")
    assert again.status_code == 200 and statements == [] and _kept(app) == 1
    assert _title(again.get_data(as_text=True)) == "Lighting on the riverside"

    # The ORM.
    with app.app_context():
        db.session.get(Consultation, listed).title = "Lighting, by the ORM"
        db.session.commit()
    assert _title(client.get("/consultations/").get_data(as_text=True)) == "Lighting, by the ORM"
    # A Core UPDATE.
    with app.app_context():
        db.session.execute(
            update(Consultation).where(Consultation.id == listed).values(title="By Core")
        )
        db.session.commit()
    assert _title(client.get("/consultations/").get_data(as_text=True)) == "By Core"
    # Text SQL.
    with app.app_context():
        db.session.execute(
            text("UPDATE consultations SET title = :t WHERE id = :i"), {"t": "By text", "i": listed}
        )
        db.session.commit()
    assert _title(client.get("/consultations/").get_data(as_text=True)) == "By text"
    # A change rolled back changes nothing, and the page is kept again.
    with app.app_context():
        db.session.get(Consultation, listed).title = "Never committed"
        db.session.flush()
        db.session.rollback()
    hits = _kept(app)
    assert _title(client.get("/consultations/").get_data(as_text=True)) == "By text"
    assert _kept(app) == hits + 1


@pytest.mark.usefixtures("framework")
def test_a_change_to_a_link_table_shows_at_once(app, client, listed):
    """Tagging a consultation with a ward writes only consultation_terms: the ward
    filter's page read that table, so it is drawn again."""
    assert "Lighting" not in client.get("/consultations/?ward=tolworth").get_data(as_text=True)
    client.get("/consultations/?ward=tolworth")
    with app.app_context():
        tolworth = db.session.scalar(select(Term).where(Term.code == "tolworth"))
        consultation = db.session.get(Consultation, listed)
        consultation.terms.append(tolworth)
        db.session.commit()
    assert "Lighting" in client.get("/consultations/?ward=tolworth").get_data(as_text=True)


def test_signed_in_people_never_get_or_leave_a_kept_page(app, client, listed):
    with app.app_context():
        person = make_user(display_name="Priya Visitor-Not")
    client.get("/consultations/")
    client.get("/consultations/")
    hits = _kept(app)
    signed_in = sign_in_client(app, person)
    for _ in range(2):
        page = signed_in.get("/consultations/").get_data(as_text=True)
        assert "Sign out" in page and "Follow a ward" in page
    assert _kept(app) == hits
    assert "Sign out" not in client.get("/consultations/").get_data(as_text=True)


def test_each_visitor_gets_their_own_form_token(app, listed):
    """The cookie notice is a form: its CSRF token is cut out of the kept page and the
    visitor's own put in, bound to their session."""
    tokens = []
    for _ in range(3):
        visitor = app.test_client()
        page = visitor.get("/consultations/")
        html = page.get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        with visitor.session_transaction() as session:
            assert session.get("csrf_token")  # the secret the token is signed from
        assert "cv-csrf-token" not in html
        tokens.append(token)
    assert len(set(tokens)) == 3 and _kept(app) == 2


def test_languages_and_the_cookie_notice_are_kept_apart(app, client, listed):
    english = client.get("/consultations/").get_data(as_text=True)
    korean = client.get("/consultations/", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert 'lang="en-GB"' in english and 'lang="ko"' in korean
    assert 'lang="ko"' in client.get("/consultations/", headers={"Accept-Language": "ko"}).text
    with client.session_transaction() as session:
        session["cookie_notice_hidden"] = True
    assert "govuk-cookie-banner" in english
    assert "govuk-cookie-banner" not in client.get("/consultations/").get_data(as_text=True)


def test_pages_are_drawn_again_when_they_are_older_than_the_limit(app, client, listed, monkeypatch):
    """A page can change with the clock alone (a consultation opens at nine)."""
    now = [1000.0]
    monkeypatch.setattr(pages.time, "monotonic", lambda: now[0])
    client.get("/consultations/")
    client.get("/consultations/")
    assert _kept(app) == 1
    now[0] += app.extensions["community_pages"].seconds
    with count_queries(app) as statements:
        client.get("/consultations/")
    assert statements and _kept(app) == 1


def test_a_get_that_changes_the_session_or_writes_is_not_kept(app, client, listed):
    assert client.get("/language/pl?next=/consultations/").status_code == 302
    hits = _kept(app)
    for _ in range(2):
        assert client.get("/language/ko?next=/consultations/").status_code == 302
    assert _kept(app) == hits
    assert written("INSERT INTO votes (a) VALUES (1)") == "votes"
    assert written('UPDATE "users" SET x = 1') == "users"
    assert written("DELETE FROM consultation_terms WHERE 1") == "consultation_terms"
    assert written("WITH x AS (SELECT 1) UPDATE users SET a = 1") == "*"
    assert written("  SELECT 1 FROM votes") is None
    assert written("LOCK TABLE votes IN SHARE MODE") is None  # the recompute's claim


@pytest.fixture
def redis_pages(make_app):
    require(redis_available(), "Redis")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    return lambda: make_app(REDIS_URL=REDIS_URL, PAGE_CACHE="redis")


def test_two_workers_sharing_redis_see_each_others_changes(app, redis_pages, listed):
    """Two app objects stand for two gunicorn workers: a change committed through one
    is seen by the other's visitors at once, because the versions are in Redis."""
    first, second = redis_pages(), redis_pages()
    one, two = first.test_client(), second.test_client()
    for client in (one, two, one, two):
        assert _title(client.get("/consultations/").text) == "Lighting on the riverside"
    assert _kept(first) == 1 and _kept(second) == 1
    with first.app_context():
        db.session.get(Consultation, listed).title = "Changed in worker one"
        db.session.commit()
    assert _title(two.get("/consultations/").text) == "Changed in worker one"
    assert _title(one.get("/consultations/").text) == "Changed in worker one"


def test_a_kept_page_is_checked_against_its_own_tables_versions_only(app, redis_pages, listed):
    """Every table's version (about seventy keys from Redis) is read only to draw a page;
    sending a kept one asks for the versions of the tables it was drawn from, and a
    change to one of them is still seen at once."""
    served = redis_pages()
    store = served.extensions["community_pages"]
    asked: list[list[str]] = []
    real_read = store.versions.read
    store.versions.read = lambda tables: real_read(asked.append(list(tables)) or asked[-1])
    visitor = served.test_client()
    visitor.get("/consultations/")
    assert [sorted(a) for a in asked] == [sorted(store.known)] and len(store.known) > 40
    kept = next(iter(store.kept._entries.values()))
    drawn_from = {t for t, _ in kept.versions if t != "epoch"}
    assert "consultations" in drawn_from and "*" in drawn_from
    assert len(drawn_from) < len(store.known) / 3

    asked.clear()
    assert _title(visitor.get("/consultations/").text) == "Lighting on the riverside"
    assert [set(a) for a in asked] == [drawn_from] and _kept(served) == 1

    asked.clear()
    with served.app_context():
        db.session.get(Consultation, listed).title = "Changed after it was kept"
        db.session.commit()
    assert _title(visitor.get("/consultations/").text) == "Changed after it was kept"
    # Its tables' versions said it was stale; then every table's, to draw it afresh.
    assert [set(a) for a in asked] == [drawn_from, set(store.known)]


def test_redis_down_draws_pages_afresh_and_never_fails(app, make_app, listed):
    down = make_app(REDIS_URL="redis://127.0.0.1:1/0", PAGE_CACHE="redis")
    visitor = down.test_client()
    for _ in range(3):
        page = visitor.get("/consultations/")
        assert page.status_code == 200 and _title(page.text) == "Lighting on the riverside"
    assert _kept(down) == 0
    # After a failure Redis is left alone for a few seconds: an outage must not add a
    # connection timeout to every visitor's request.
    versions = down.extensions["community_pages"].versions
    asked = []
    real_mget = versions._client.mget
    versions._client.mget = lambda *a, **k: asked.append(1) or real_mget(*a, **k)
    visitor.get("/consultations/")
    assert asked == []
    with down.app_context():
        db.session.get(Consultation, listed).title = "Changed while Redis is down"
        db.session.commit()  # the version cannot move: nothing was kept to go stale
    assert _title(visitor.get("/consultations/").text) == "Changed while Redis is down"


def test_a_page_drawn_from_another_cache_depends_on_what_that_cache_read(app, client):
    """The home page's figures are counted once a minute (shortcache): a page drawn
    from the kept figures, with no SQL for them, still depends on the tables they
    were counted from, so a new contribution draws it again."""
    from community import shortcache
    from tests.support.factories import make_contribution

    with app.app_context():
        consultation = make_consultation()
    shortcache.forget("home_figures")
    client.get("/")
    pagecache.forget(app)
    client.get("/")  # drawn again, the figures from shortcache
    assert client.get("/").status_code == 200 and _kept(app) == 1
    with app.app_context():
        make_contribution(db.session.merge(consultation), status="published")
        db.session.commit()
    client.get("/")
    assert _kept(app) == 1  # not sent from the cache: drawn again


def test_a_statement_that_matches_no_row_changes_nothing(app, client, listed):
    client.get("/consultations/")
    with app.app_context():
        db.session.execute(update(Consultation).where(Consultation.id == -1).values(title="x"))
        db.session.commit()
    client.get("/consultations/")
    assert _kept(app) == 1


def test_a_connection_the_database_dropped_rolls_back_without_a_new_error(app):
    """A database outage invalidates the connection in the middle of a transaction;
    the rollback that follows must raise nothing of the page cache's own (it raised
    PendingRollbackError, which `flask worker` does not wait out: it exited)."""
    with app.app_context():
        with db.engine.connect() as conn:
            transaction = conn.begin()
            conn.execute(update(Term).where(Term.id == -1).values(name="x"))
            conn.execute(text("SELECT 1"))
            conn.invalidate()  # what the driver's "server closed the connection" does
            transaction.rollback()
            assert conn.invalidated
        # The pool gives a working connection again.
        assert db.session.scalar(text("SELECT 1")) == 1
