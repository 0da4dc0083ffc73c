"""Run axe-core in a Playwright page and fail with a readable list of violations.

axe cannot see reflow (WCAG 2.2 success criterion 1.4.10: no scrolling in two
directions at 320 CSS px), so every page checked here is also laid out at 320 px
wide and must not be wider than that.
"""

from __future__ import annotations

import hashlib
import re

from axe_playwright_python.sync_playwright import Axe

#: The WCAG 2.2 AA rule set (axe has no wcag22a tag: its 2.2 A rules are in wcag21a/wcag2a).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}

_axe = Axe()

#: WCAG 1.4.10: content reflows at 320 CSS px (a 1,280 px screen at 400% zoom).
REFLOW_WIDTH = 320

#: The elements that stick out of a 320 px page, outside any scrolling table region.
_WIDE_ELEMENTS = """(width) => {
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.cv-table-scroll') && !el.classList.contains('cv-table-scroll')) continue;
    const box = el.getBoundingClientRect();
    if (box.right > width + 0.5 && box.width > 0) {
      const kids = [...el.children].some((c) => c.getBoundingClientRect().right > width + 0.5);
      if (!kids) {
        const name = `${el.tagName.toLowerCase()}.${String(el.className).trim()}`;
        const text = (el.textContent || '').trim().slice(0, 60);
        found.push(`${name} (right edge ${Math.round(box.right)} px): ${text}`);
      }
    }
    if (found.length >= 5) break;
  }
  return found;
}"""


def reflow_overflow(page) -> tuple[int, list[str]]:
    """The page's width laid out at 320 px, and what sticks out (the viewport is restored)."""
    size = page.viewport_size or {"width": 1280, "height": 900}
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": size["height"]})
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        culprits = page.evaluate(_WIDE_ELEMENTS, REFLOW_WIDTH) if width > REFLOW_WIDTH else []
    finally:
        page.set_viewport_size(size)
    return width, culprits


def assert_reflows(page, label: str | None = None) -> None:
    """No sideways scrolling at 320 CSS px: the document is no wider than the viewport."""
    width, culprits = reflow_overflow(page)
    assert width <= REFLOW_WIDTH, (
        f"{label or page.url} is {width} px wide at {REFLOW_WIDTH} px (WCAG 1.4.10 reflow):\n"
        + "\n".join(f"    {c}" for c in culprits)
    )


def preload_axe(context) -> None:
    """Put axe in every document the context loads, before the page's own scripts.

    Chromium compiles an init script once per context, so this costs next to nothing
    per page; sending axe's 570 kB to each page to evaluate took about 0.1 s a check.
    """
    context.add_init_script(_axe.axe_script)


def axe_violations(page) -> list[dict]:
    """axe's violations for the page as it is now."""
    if not page.evaluate("typeof window.axe === 'object' && typeof axe.run === 'function'"):
        page.evaluate(_axe.axe_script)  # a context without preload_axe
    return page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]


def describe(violations: list[dict]) -> str:
    """One paragraph per violation: id, impact, help and every failing node's target."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'no impact'}): {violation['help']}"
            f" [{violation.get('helpUrl', '')}]"
        )
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    at {target}: {summary}")
    return "\n".join(lines)


#: What axe and the reflow check see of a document: its markup as it is now (form
#: tokens and script nonces, which differ on every response, left out), the focused
#: element, the viewport and the media a context may emulate (colour scheme, forced
#: colours, pixel ratio). The stylesheets and scripts are the same files all run.
_STATE = """() => [
  document.documentElement.outerHTML,
  document.activeElement ? document.activeElement.outerHTML.slice(0, 300) : '',
  `${innerWidth}x${innerHeight}@${devicePixelRatio}`,
  ['(prefers-color-scheme: dark)', '(forced-colors: active)', '(prefers-contrast: more)']
    .map((query) => matchMedia(query).matches).join(),
]"""
_PER_RESPONSE = re.compile(r'(name="csrf_token"[^>]*\bvalue="|\bnonce=")[^"]*')

#: Documents this process has found accessible (digests of ``_STATE``). The same
#: document, met again in another journey (the sign-in page, a landing page), gives
#: the same result; in a full run about one check in five was such a repeat.
_passed: set[str] = set()


def _digest(page) -> str:
    state = page.evaluate(_STATE)
    state[0] = _PER_RESPONSE.sub(r"\1", state[0])
    return hashlib.sha256("\x00".join(state).encode()).hexdigest()


def assert_accessible(page, label: str | None = None) -> None:
    """Zero axe violations (WCAG 2.0–2.2 A/AA rules) on the page as it is now, and no
    sideways scrolling at 320 px; a document already found so is not checked again."""
    # axe.run is asynchronous: with JavaScript off its promise never settles and
    # page.evaluate would wait for ever. Check such pages with a snapshot instead.
    assert not getattr(page, "_javascript_disabled", False), (
        "axe cannot run in a page with JavaScript disabled; check a snapshot of it"
    )
    page.wait_for_load_state("load")
    checked = getattr(page, "_axe_checked", None)
    if checked is not None:
        # Which document was checked, so the page fixture can tell if one was missed.
        checked.add(page.evaluate("String(performance.timeOrigin)"))
    digest = _digest(page)
    if digest in _passed:
        return
    violations = axe_violations(page)
    where = label or page.url
    assert not violations, (
        f"{len(violations)} accessibility violation(s) on {where} "
        f"(title {page.title()!r}):\n{describe(violations)}"
    )
    assert_reflows(page, where)
    _passed.add(digest)
