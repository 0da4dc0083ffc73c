"""A small in-process cache of computed figures, keyed by what they were computed from.

The key of an entry includes a fingerprint of its inputs (for a survey: how many
responses, the newest, the last change, how many "about you" answers, and the wording
of its agreement items), so a new or changed response gives a new key and the old
entry is never read again: nothing has to be invalidated, and nothing stale is shown.
Each web process keeps its own entries (at most ``size``, least recently used out);
a process computes a survey's figures once per change, not once per request.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


def _find_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, where the C library has it (elsewhere: nothing to do)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None


_malloc_trim = _find_trim()


def give_back_memory() -> None:
    """Return the heap freed by a large computation to the system.

    Computing a big survey's figures reads every answer (a million rows at 100,000
    responses); the rows are freed afterwards but glibc keeps the pages, so a web
    worker's memory grew by the size of its largest computation for the rest of its
    life (issue 15: +37 MB after /consensus/ with 110,000 responses, given back here).
    """
    if _malloc_trim is not None:
        _malloc_trim(0)


class FigureCache:
    def __init__(self, size: int = 512) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The entry for ``key``, computing (outside the lock) and keeping it if missing."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key]  # type: ignore[return-value]
            self.misses += 1
        value = compute()
        give_back_memory()
        self.put(key, value)
        return value

    def peek(self, key: Hashable) -> object | None:
        """The entry for ``key`` if kept (counted as a hit), else None (a miss)."""
        with self._lock:
            if key not in self._entries:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return self._entries[key]

    def put(self, key: Hashable, value: object) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)


#: One per process: entries are keyed by database too, so apps on other databases
#: (tests, benchmarks) never share an entry.
figures = FigureCache()
