"""The accessibility check itself (tests/support/axe.py): a document met again is not
checked again, one that changed is, and a violation still fails."""

from __future__ import annotations

import pytest

from tests.support import axe


def test_a_repeated_document_is_checked_once_and_a_changed_one_again(page, live_app, monkeypatch):
    runs: list[str] = []
    real = axe.axe_violations
    monkeypatch.setattr(axe, "axe_violations", lambda p: runs.append(p.url) or real(p))

    page.goto("/sign-in")
    axe.assert_accessible(page)
    # The same page again: a new response (its own form token), the same document.
    page.goto("/sign-in")
    axe.assert_accessible(page)
    assert len(runs) <= 1  # once, or not at all if another test met it first

    # The same markup in other media (a dark colour scheme) is another document to axe.
    before = len(runs)
    page.emulate_media(color_scheme="dark")
    axe.assert_accessible(page)
    assert len(runs) == before + 1
    page.emulate_media(color_scheme="light")

    before = len(runs)
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        " '<img src=\"/static/missing.png\">')"
    )
    with pytest.raises(AssertionError, match="image-alt"):
        axe.assert_accessible(page)
    assert len(runs) == before + 1
    with pytest.raises(AssertionError, match="image-alt"):
        axe.assert_accessible(page)  # a failure is never remembered as a pass
