"""Keep the garbage collector off what a long-running process loaded at start-up."""

from __future__ import annotations

import gc


def freeze_startup_heap() -> None:
    """Move every object alive now (modules, the ORM's mappings, the classifier when loaded here) into the
    permanent generation, so that later collections do not traverse them.

    Why: a worker allocates many short-lived objects per batch, and each full collection walked the whole start-up
    heap — measured on a worker's write path, 1.09 → 0.97 ms a post from this alone. Call it once, after warm-up;
    objects frozen are never freed (they live as long as the process anyway).
    """
    gc.collect()
    gc.freeze()
