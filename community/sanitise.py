"""Sanitising rich text on the way in, with named profiles (bleach)."""

from __future__ import annotations

import bleach
from bleach.linkifier import Linker

#: Officers' rich text: headings, lists, links, emphasis. No images, no styles, no scripts.
RICH_TEXT = {
    "tags": {"h2", "h3", "p", "ul", "ol", "li", "a", "strong", "em", "br", "blockquote"},
    "attributes": {"a": ["href", "title"]},
    "protocols": {"http", "https", "mailto"},
}


def _add_link_class(attrs, new=False):
    attrs[(None, "class")] = "govuk-link"
    return attrs


def rich_text(html: str) -> str:
    """Clean officer-written HTML to the rich-text profile, with GOV.UK classes added."""
    cleaned = bleach.clean(
        html or "",
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
