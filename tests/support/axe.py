"""Run axe-core in a Playwright page and fail with a readable list of violations."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

#: The WCAG 2.2 AA rule set (axe has no wcag22a tag: its 2.2 A rules are in wcag21a/wcag2a).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}

_axe = Axe()


def axe_violations(page) -> list[dict]:
    """axe's violations for the page as it is now."""
    return _axe.run(page, options=AXE_OPTIONS).response["violations"]


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


def assert_accessible(page, label: str | None = None) -> None:
    """Zero axe violations (WCAG 2.0–2.2 A/AA rules) on the page as it is now."""
    # axe.run is asynchronous: with JavaScript off its promise never settles and
    # page.evaluate would wait for ever. Check such pages with a snapshot instead.
    assert not getattr(page, "_javascript_disabled", False), (
        "axe cannot run in a page with JavaScript disabled; check a snapshot of it"
    )
    page.wait_for_load_state("load")
    violations = axe_violations(page)
    checked = getattr(page, "_axe_checked", None)
    if checked is not None:
        # Which document was checked, so the page fixture can tell if one was missed.
        checked.add(page.evaluate("String(performance.timeOrigin)"))
    where = label or page.url
    assert not violations, (
        f"{len(violations)} accessibility violation(s) on {where} "
        f"(title {page.title()!r}):\n{describe(violations)}"
    )
