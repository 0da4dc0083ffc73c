"""Weight of a visit (issue 15): hashed, immutable, precompressed static files.

Every static file a page refers to has a content-hashed name (made by `make install`,
scripts/fingerprint_static.py) and is served by WhiteNoise, wrapped round the WSGI
app, with a year's ``immutable`` cache and its Brotli or gzip variant. A first visit to
the home page (the page and everything it loads) is at most 60 KB on the wire; a repeat
visit fetches only the HTML, because nothing else needs re-checking.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from community.staticfiles import MANIFEST

FIRST_VISIT_LIMIT = 60 * 1024
HASHED = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")
PAGE_REFERENCES = re.compile(r"""<(?:link|script)\b[^>]*?\b(?:href|src)="([^"]+)\"""")
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")
JS_IMPORT = re.compile(r"""(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']""")
PAGES = ("/", "/consultations/", "/accessibility", "/framework/")


def _wire_size(response) -> int:
    """Bytes on the wire for one HTTP/1.1 response: status line, headers and body."""
    head = f"HTTP/1.1 {response.status}\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in response.headers.items()
    )
    return len(head.encode("latin-1")) + 2 + len(response.get_data())


def _static_references(html: str) -> list[str]:
    return [u for u in PAGE_REFERENCES.findall(html) if u.startswith("/static/")]


def _assets_loaded_by(client, page: str) -> dict[str, object]:
    """Every static file a browser loads for ``page``: its links and scripts, then
    whatever those import (JS modules) or refer to (CSS ``url()``), fetched with
    ``Accept-Encoding: br, gzip`` like a browser."""
    html = client.get(page).get_data(as_text=True)
    queue, fetched = list(_static_references(html)), {}
    while queue:
        url = queue.pop(0).split("#")[0].split("?")[0]
        if url in fetched:
            continue
        response = client.get(url, headers={"Accept-Encoding": "br, gzip"})
        fetched[url] = response
        if url.endswith(".css"):
            found = CSS_URL.findall(_decoded(response))
        elif url.endswith((".js", ".mjs")):
            found = JS_IMPORT.findall(_decoded(response))
        else:
            found = []
        queue += [urljoin(url, u) for u in found if not u.startswith(("data:", "http:", "https:"))]
    return fetched


def _decoded(response) -> str:
    body = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        import brotli

        body = brotli.decompress(body)
    elif encoding == "gzip":
        import gzip

        body = gzip.decompress(body)
    return body.decode("utf-8")


def test_the_build_made_a_manifest(app):
    assert (Path(app.static_folder) / MANIFEST).is_file(), "run make install"


@pytest.mark.parametrize("page", PAGES)
def test_every_static_reference_is_hashed_immutable_and_precompressed(client, page):
    response = client.get(page)
    assert response.status_code == 200
    references = _static_references(response.get_data(as_text=True))
    assert any(u.endswith(".css") for u in references), references
    for url in references:
        assert HASHED.search(url), f"{url} on {page} has no content hash"
        for asked, expected in (("br, gzip", "br"), ("gzip", "gzip")):
            asset = client.get(url, headers={"Accept-Encoding": asked})
            assert asset.status_code == 200, url
            assert asset.headers["Cache-Control"] == "max-age=31536000, public, immutable"
            assert "Accept-Encoding" in asset.headers.get("Vary", "")
            if not url.endswith((".png", ".woff2", ".ico")):
                assert asset.headers.get("Content-Encoding") == expected, (url, asked)
        plain = client.get(url)
        assert plain.status_code == 200 and "Content-Encoding" not in plain.headers


def test_modules_and_stylesheets_refer_only_to_hashed_files(client):
    fetched = _assets_loaded_by(client, "/")
    assert any(u.endswith(".mjs") for u in fetched) and any("govuk-frontend" in u for u in fetched)
    for url, response in fetched.items():
        assert response.status_code == 200, url
        assert HASHED.search(url), f"{url} (loaded by the home page) has no content hash"


def test_plain_names_still_work_with_a_short_cache(client):
    response = client.get("/static/css/main.css", headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "max-age=60, public"
    assert response.headers["Content-Encoding"] == "br"
    assert client.get("/static/no-such-file.css").status_code == 404


def test_static_files_are_nosniff_and_an_svg_has_a_pages_policy(client):
    from community.security import CONTENT_SECURITY_POLICY

    response = client.get("/static/images/favicon.svg")
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert client.get("/static/js/init.js").headers["X-Content-Type-Options"] == "nosniff"


def test_first_visit_to_the_home_page_is_at_most_60_kb(client):
    page = client.get("/", headers={"Accept-Encoding": "br, gzip"})
    assert page.status_code == 200
    sizes = {"/ (HTML)": _wire_size(page)}
    sizes.update({url: _wire_size(r) for url, r in _assets_loaded_by(client, "/").items()})
    total = sum(sizes.values())
    print("\nfirst visit to /, bytes on the wire (headers + body):")
    for url, size in sizes.items():
        print(f"  {size:>7}  {url}")
    print(f"  {total:>7}  total ({total / 1024:.1f} KiB; limit {FIRST_VISIT_LIMIT})")
    assert len(sizes) >= 5, sizes  # the page, a stylesheet, the favicon, scripts
    assert total <= FIRST_VISIT_LIMIT, sizes


def test_a_repeat_visit_fetches_only_the_html(client):
    page = client.get("/", headers={"Accept-Encoding": "br, gzip"})
    # The page itself is re-checked on every visit ...
    assert page.headers["Cache-Control"] in {"no-cache", "no-store"}
    # ... but nothing it loads is: each is fresh for a year and immutable.
    fetched = _assets_loaded_by(client, "/")
    for url, response in fetched.items():
        control = response.headers["Cache-Control"]
        assert "immutable" in control and "max-age=31536000" in control, (url, control)
        assert "no-cache" not in control and "must-revalidate" not in control
    print(f"\nrepeat visit to /: {_wire_size(page)} bytes (the HTML only)")


def test_a_file_edited_since_the_build_falls_back_to_plain_names(app, tmp_path):
    from shutil import copytree

    from community.staticfiles import current_manifest

    static = copytree(app.static_folder, tmp_path / "static")
    assert current_manifest(static)["js/init.js"] != "js/init.js"
    (static / "js" / "init.js").write_text("// edited, not rebuilt\n")
    assert current_manifest(static) == {}
