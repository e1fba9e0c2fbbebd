"""Load a model or lexicon once per process, on first use, even with several threads asking."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def once(load: Callable[[], T]) -> Callable[[], T]:
    """``load`` runs on the first call only; every call returns what it returned.

    >>> calls = []
    >>> @once
    ... def model():
    ...     calls.append(1)
    ...     return {"loaded": True}
    >>> model() is model() and len(calls) == 1
    True
    """
    lock = threading.Lock()
    loaded: list[T] = []

    @functools.wraps(load)
    def get() -> T:
        if not loaded:
            with lock:
                if not loaded:
                    loaded.append(load())
        return loaded[0]

    return get
