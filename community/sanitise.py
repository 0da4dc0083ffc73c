"""Sanitising rich text on the way in, with named profiles (bleach).

bleach is imported when text is first cleaned, not with the app: only an officer
saving rich text (or the demo data) cleans any, and loaded with the app it was about
2.5 MB of every web worker (#15's memory target) that residents' requests never use.
"""

from __future__ import annotations

import re

#: Officers' rich text: headings, lists, links, emphasis. No images, no styles, no scripts.
RICH_TEXT = {
    "tags": {"h2", "h3", "p", "ul", "ol", "li", "a", "strong", "em", "br", "blockquote"},
    "attributes": {"a": ["href", "title"]},
    "protocols": {"http", "https", "mailto"},
}


#: Elements whose content is code or hidden text, not words for the page: removed with
#: their tags (bleach's strip keeps the text of a removed tag, leaving "alert(2)" behind).
_DROP_WITH_CONTENT = re.compile(
    r"<(script|style|template|noscript|iframe|object|textarea|title)\b[^>]*>.*?(</\1\s*>|$)",
    re.IGNORECASE | re.DOTALL,
)

#: Only text written as a web address becomes a link: "Pol.is" or "e.g." stays text.
_WRITTEN_AS_URL = re.compile(r"^(https?://|www\.)", re.IGNORECASE)


def _add_link_class(attrs, new=False):
    if new and not _WRITTEN_AS_URL.match(attrs.get("_text", "")):
        return None
    attrs[(None, "class")] = "govuk-link"
    return attrs


def drop_code(html: str) -> str:
    """Remove script-like elements together with what is inside them."""
    previous = None
    while previous != html:  # nested or overlapping tricks are removed until none is left
        previous, html = html, _DROP_WITH_CONTENT.sub("", html)
    return html


def rich_text(html: str) -> str:
    """Clean officer-written HTML to the rich-text profile, with GOV.UK classes added."""
    import bleach
    from bleach.linkifier import Linker

    cleaned = bleach.clean(
        drop_code(html or ""),
        tags=RICH_TEXT["tags"],
        attributes=RICH_TEXT["attributes"],
        protocols=RICH_TEXT["protocols"],
        strip=True,
        strip_comments=True,
    )
    cleaned = Linker(callbacks=[_add_link_class]).linkify(cleaned)
    return _govuk_classes(cleaned)


def _govuk_classes(html: str) -> str:
    replacements = {
        "<h2>": '<h2 class="govuk-heading-m">',
        "<h3>": '<h3 class="govuk-heading-s">',
        "<p>": '<p class="govuk-body">',
        "<ul>": '<ul class="govuk-list govuk-list--bullet">',
        "<ol>": '<ol class="govuk-list govuk-list--number">',
    }
    for plain, classed in replacements.items():
        html = html.replace(plain, classed)
    return html
