"""Pause Python's cyclic garbage collector while a bulk step builds many objects.

Loading and importing a large bank allocates hundreds of thousands of dicts, lists and
models, none of them garbage in a cycle: every few hundred allocations the collector
scans them anyway, and each of its full passes walks every object of the process (a
third of a 10,000-question import's time). Reference counting still frees everything
as usual; cycles made meanwhile are collected once the collector is back on."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """The collector off inside the block (or the decorated function); nested pauses and
    a caller that had it off already leave it as they found it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
