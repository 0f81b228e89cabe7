"""The nearest shelters to a point: every shelter as a unit vector on the sphere, so one
matrix-vector product ranks them all by great-circle distance (10,000 shelters in well under a
millisecond; scripts/bench_shelters.py measures it)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from madoguchi.model import Shelter

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)
ARRAY_NAME = "shelters.xyz"  # the unit vectors' section in the index file


@dataclass(frozen=True)
class Nearby:
    """One shelter found, with its great-circle distance in metres."""

    shelter: Shelter
    metres: float


def unit_vectors(latitudes: Sequence[float], longitudes: Sequence[float]) -> np.ndarray:
    """N×3 unit vectors of points given in degrees."""
    lat = np.radians(np.asarray(latitudes, dtype=np.float64))
    lon = np.radians(np.asarray(longitudes, dtype=np.float64))
    cos_lat = np.cos(lat)
    return np.column_stack((cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)))


class ShelterIndex:
    """The workbook's shelters, searchable by distance, whether open and the hazards they serve."""

    def __init__(self, shelters: Sequence[Shelter], xyz: np.ndarray | None = None) -> None:
        self.shelters = tuple(shelters)
        count = len(self.shelters)
        if xyz is None or xyz.shape != (count, 3):
            xyz = unit_vectors(
                [s.latitude for s in self.shelters], [s.longitude for s in self.shelters]
            )
        self.xyz = np.ascontiguousarray(xyz, dtype=np.float64)
        self.open = np.array([s.open is True for s in self.shelters], dtype=bool)
        self._hazards = [frozenset(s.hazards) for s in self.shelters]

    def __len__(self) -> int:
        return len(self.shelters)

    @property
    def any_open(self) -> bool:
        """True when staff marked at least one shelter 開設."""
        return bool(self.open.any())

    def nearest(
        self,
        latitude: float,
        longitude: float,
        k: int = 5,
        *,
        open_only: bool = False,
        hazards: Sequence[str] = (),
    ) -> list[Nearby]:
        """Up to `k` shelters, nearest first; `hazards` (e.g. a notice's) put the shelters that
        serve one of them first, each group by distance."""
        if not self.shelters or k <= 0:
            return []
        point = unit_vectors([latitude], [longitude])[0]
        closeness = self.xyz @ point  # cos of the central angle: larger is nearer
        candidates = np.flatnonzero(self.open) if open_only else np.arange(len(self.shelters))
        if not len(candidates):
            return []
        if hazards:
            wanted = set(hazards)
            serving = np.array(
                [bool(self._hazards[i] & wanted) for i in candidates.tolist()], dtype=bool
            )
            first = self._closest(candidates[serving], closeness, k)
            rest = self._closest(candidates[~serving], closeness, k - len(first))
            chosen = [*first, *rest]
        else:
            chosen = self._closest(candidates, closeness, k)
        return [Nearby(self.shelters[i], _metres(float(closeness[i]))) for i in chosen]

    @staticmethod
    def _closest(candidates: np.ndarray, closeness: np.ndarray, k: int) -> list[int]:
        if k <= 0 or not len(candidates):
            return []
        values = closeness[candidates]
        if len(candidates) > k:
            part = np.argpartition(-values, k - 1)[:k]
            candidates, values = candidates[part], values[part]
        order = np.argsort(-values, kind="stable")
        return [int(i) for i in candidates[order]]


def _metres(cos_angle: float) -> float:
    """Great-circle distance from the cosine of the central angle (via the chord, which stays
    accurate for nearby points where acos would not)."""
    chord = math.sqrt(max(0.0, 2.0 - 2.0 * min(1.0, cos_angle)))
    return 2.0 * EARTH_RADIUS_M * math.asin(min(1.0, chord / 2.0))
