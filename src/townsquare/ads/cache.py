"""Compiled-profile cache keyed by (profile id, version).

A profile save bumps its version, so a stale entry is simply never asked for again (and ages out of the LRU);
this also holds across processes, since every decision reads the current version from the database with the
campaign row. Thread-safe: lookups and inserts are under one lock, compiling happens outside it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from townsquare.ads.compiled import CompiledProfile, compile_profile
from townsquare.ads.spec import ProfileSpec


class ProfileCache:
    def __init__(self, maxsize: int = 4096) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[tuple[int, int], CompiledProfile] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, profile_id: int, version: int) -> CompiledProfile | None:
        with self._lock:
            found = self._data.get((profile_id, version))
            if found is None:
                self.misses += 1
                return None
            self._data.move_to_end((profile_id, version))
            self.hits += 1
            return found

    def put(self, spec: ProfileSpec, profile_id: int, version: int) -> CompiledProfile:
        compiled = compile_profile(spec, profile_id=profile_id, version=version)
        with self._lock:
            # drop older versions of the same profile at once: they can never be asked for again
            for key in [k for k in self._data if k[0] == profile_id and k[1] < version]:
                del self._data[key]
            self._data[(profile_id, version)] = compiled
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)
        return compiled

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


PROFILES = ProfileCache()
"""The process-wide cache used by the decision service."""
