"""The markers `make test` chooses by (scripts/run-tests.sh): a test that never asks for
the app touches no database and runs once, in the SQLite run; one that does runs on
both databases."""

from __future__ import annotations


def test_a_test_without_the_app_is_marked_no_database(request):
    assert request.node.get_closest_marker("no_database") is not None


def test_a_test_with_the_app_through_another_fixture_is_not(request, client):
    assert "app" in request.fixturenames
    assert request.node.get_closest_marker("no_database") is None
