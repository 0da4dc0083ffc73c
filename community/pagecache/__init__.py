"""Pages as a visitor sees them, kept until a table they were read from changes.

Most requests to a popular consultation are visitors reading the same public pages
(the consultations list, a consultation, results, the plan): each drew the same HTML
again, 15-35 ms of templates per page, and at 32 concurrent readers they queued
behind one another (issue 15). A page a visitor is sent is kept in the process and
sent again while nothing it was drawn from has changed:

- **What it was drawn from** is recorded as it is drawn: every SQL statement the
  request runs is read for the names of the tables in it (over-approximated: any
  table named anywhere in the statement), so no page has to declare what it reads.
- **Change** is counted per table: every INSERT, UPDATE or DELETE (by the ORM, Core
  or text) marks its table on its connection; once the transaction has committed,
  each marked table's version goes up (in Redis when ``REDIS_URL`` is set, so every
  gunicorn worker and ``flask worker`` share them; in the process otherwise). A
  statement whose table cannot be read (DDL, anything unusual) moves ``*``, which
  every page depends on.
- **Order** makes it never stale: a request reads the versions *before* it reads
  anything else, and versions move only *after* the commit. So a page is kept under
  versions at least as old as what it shows; once a change has committed and its
  version moved, no request can be answered with a page drawn before it. A kept page
  is checked against the versions of the tables it was drawn from only (a handful);
  every table's (about seventy) is read only when a page is drawn.
- **Time**: a page can also change with the clock alone (a consultation opens at
  nine, "closes in 3 days"), so nothing is kept longer than ``PAGE_CACHE_SECONDS``
  (60 by default). A change made outside the app (psql, a restore) shows within that
  time too.

Only what no one else could be shown differently is kept: a GET by a visitor who is
not signed in, presents no API token and has nothing in their session but a language
choice, a hidden cookie notice and a CSRF secret, answered 200 with HTML or JSON,
that set no cookie, put nothing else in the session and wrote nothing, and is not a
health check. A form's CSRF token is cut out of the kept page and each visitor's own
put in when it is sent. The key is the database, the full URL, the language, the
cookie notice, and the request's other cookies and ``Accept`` header. Redis failing
is not an error: the page is drawn as if nothing were kept.
"""

from __future__ import annotations

from .pages import forget, init_app
from .statements import depends_on, recording

__all__ = ["depends_on", "forget", "init_app", "recording"]
