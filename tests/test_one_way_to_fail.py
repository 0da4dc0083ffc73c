"""One way to fail: a view never commits, rolls back or retries on its own. It calls its
service through ``failures.attempt``, which commits once, or rolls back and shows the
refusal (README, "Failures"). Read from the source, so a new view that slips back into
``db.session.commit()`` fails here, before anyone reviews it."""

from __future__ import annotations

import ast
from pathlib import Path

import community

PACKAGE = Path(community.__file__).parent

#: What a view must not call itself: the unit of work belongs to ``attempt``.
FORBIDDEN = {"commit", "rollback", "run_in_transaction"}


def _view_modules() -> list[Path]:
    return sorted(
        p for p in PACKAGE.rglob("*.py") if p.stem == "views" or p.stem.endswith("_views")
    )


def _calls(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else node.func.id
                if isinstance(node.func, ast.Name)
                else None
            )
            if name in FORBIDDEN:
                found.append((node.lineno, name))
    return found


def test_there_are_view_modules_to_check():
    # The glob must keep finding the views (a rename would otherwise pass everything).
    assert len(_view_modules()) >= 30


def test_no_view_commits_rolls_back_or_retries_itself():
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line} calls {name}()"
        for path in _view_modules()
        for line, name in _calls(ast.parse(path.read_text(), str(path)))
    ]
    assert not offenders, "use failures.attempt(...) instead:\n" + "\n".join(offenders)


def test_the_check_sees_a_commit_written_in_a_view():
    tree = ast.parse("def view():\n    db.session.commit()\n    run_in_transaction(f)\n")
    assert [name for _, name in _calls(tree)] == ["commit", "run_in_transaction"]
