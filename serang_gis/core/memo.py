"""Results kept in this process: several pages of one build, or many kab/kota of one batch worker, ask for the same
cleaned coverage, topology or table. ``Memo`` keeps a few by key (cleared whole when full) and hands each caller a
copy, so that nothing one caller does to its result reaches the next. ``core.cache`` keeps results between runs."""

from __future__ import annotations

import copy
import hashlib


class Memo:
    def __init__(self, size: int, *, copies: bool = True):
        self.size, self.copies, self._kept = size, copies, {}

    def get(self, key, compute):
        """What ``compute()`` returned for ``key`` in this process (a copy, with ``copies``)."""
        if key not in self._kept:
            if len(self._kept) >= self.size:
                self._kept.clear()
            self._kept[key] = compute()
        return copy.deepcopy(self._kept[key]) if self.copies else self._kept[key]

    def clear(self) -> None:
        self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)


def geometry_key(geoms) -> str:
    """A short hash of geometries' WKB, in order: the key of a result computed from them alone."""
    import numpy as np
    import shapely

    return hashlib.blake2b(b"".join(shapely.to_wkb(np.asarray(geoms))), digest_size=16).hexdigest()
