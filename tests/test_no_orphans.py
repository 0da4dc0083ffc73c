"""No orphan pages: for each role, every GET page the access matrix lets it open can be
reached by following links from its landing page and its navigation.

The crawl starts at the home page and (signed in) at the landing page, follows every
link and every GET form on each page it opens, and records the endpoint of each
address it meets. A page is reached when its endpoint is met; the crawl opens at most
a few pages per endpoint, so it stays quick whatever the data. Pages people reach from
a mail, a token or an API client (not from a page) are listed below with the reason.
"""

from __future__ import annotations

from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from tests.conftest import ROLES, sign_in_client
from tests.test_access_matrix import MATRIX, OK, ids  # noqa: F401  (ids is a fixture)

#: Reached from outside the pages, so no page links to them (each for its reason).
NOT_FROM_PAGES = {
    "static": "files the pages load, not pages",
    "main.health": "for load balancers",
    "accounts.check_email": "shown after registering, by redirect",
    "accounts.verify_email": "the link in the verification mail",
    "accounts.reset_password": "the link in the reset mail",
    "consultations.unsubscribe": "the one-click link in a mail",
    "plan.stop_hearing_back": "the one-click link in the outcome mail",
    "main.ready": "for load balancers",
    "privacy.account_deleted": "shown after deleting an account, by redirect",
    "survey_builder.new_question": "the redirect of the choose-a-question-type form (a POST)",
}
#: Pages for people signed out: signed in, the sign-in page that links them is not shown.
SIGNED_OUT_PAGES = {"accounts.forgot_password", "accounts.resend_verification"}
#: Linked only when there is something to show, which the access matrix's data lacks:
#: a free-text answer, a second section, consensus figures over time.
LINKED_WITH_DATA = {
    "survey_results.answers": "from a free-text question's results once it has answers",
    "survey_builder.relocate_question": "from a question when its survey has two sections",
    "insights.term": "from the partnership's consensus page once a term has quarters",
    "insights.answers_list": "from a consensus figure once it has answers behind it",
}
#: The partner API answers programs, described by its OpenAPI document (linked from open data).
API_PREFIX = "api."
#: How many pages of one endpoint to open (every link on every page is still recorded).
PAGES_PER_ENDPOINT = 3


class _Links(HTMLParser):
    """Every link target and GET form action in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.found.append(attrs["href"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self.found.append(attrs.get("action") or "")


def crawl(app, client, starts: list[str]) -> set[str]:
    """The endpoints of every local address met while crawling from ``starts``."""
    adapter = app.url_map.bind("localhost")
    reached: set[str] = set()
    opened: Counter = Counter()
    queue = deque(starts)
    seen = set(starts)
    while queue:
        url = queue.popleft()
        parts = urlsplit(url)
        try:
            endpoint, _args = adapter.match(parts.path, method="GET")
        except HTTPException:
            continue
        reached.add(endpoint)
        if endpoint == "static" or opened[endpoint] >= PAGES_PER_ENDPOINT:
            continue
        opened[endpoint] += 1
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        parser = _Links()
        parser.feed(response.get_data(as_text=True))
        for href in parser.found:
            target = urljoin(url, href)
            split = urlsplit(target)
            if split.scheme not in ("", "http") or split.netloc not in ("", "localhost"):
                continue
            local = split._replace(scheme="", netloc="", fragment="").geturl()
            if local not in seen:
                seen.add(local)
                queue.append(local)
    return reached


def allowed_pages(role: str) -> set[str]:
    """GET endpoints the access matrix lets this role open, less those reached from outside."""
    return {
        name
        for name, route in MATRIX.items()
        if route.method == "GET"
        and route.expected(role) == OK
        and name not in NOT_FROM_PAGES
        and name not in LINKED_WITH_DATA
        and not (role != "visitor" and name in SIGNED_OUT_PAGES)
        and not name.startswith(API_PREFIX)
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_may_open_is_linked(app, role, users, ids):  # noqa: F811
    client = app.test_client() if role == "visitor" else sign_in_client(app, users[role])
    starts = ["/"] if role == "visitor" else ["/account", "/"]
    reached = crawl(app, client, starts)
    orphans = sorted(allowed_pages(role) - reached)
    assert not orphans, f"{role} can open these pages but no link leads to them: {orphans}"
