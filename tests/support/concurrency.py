"""Requests at the same moment: a double tap, twenty people pressing one button."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def at_once(work: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """``work(item)`` for every item, each in its own thread, all released together by a
    barrier; the results in the items' order."""
    items = list(items)
    barrier = threading.Barrier(len(items))
    results: list = [None] * len(items)

    def run(index: int, item: T) -> None:
        barrier.wait()
        results[index] = work(item)

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(items)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
