"""The nearest shelters to a point: every shelter as a unit vector on the sphere, so one
matrix-vector product ranks them all by great-circle distance (10,000 shelters in well under a
millisecond; scripts/bench_shelters.py measures it)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from madoguchi.model import Shelter
from madoguchi.shelters.hazards import HAZARDS

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
        self._records: list[dict[str, Any]] | None = None
        self._shelters: list[Shelter | None] = list(shelters)
        self._setup([(s.latitude, s.longitude, s.open, s.hazards) for s in shelters], xyz)

    @classmethod
    def from_records(
        cls, records: Sequence[dict[str, Any]], xyz: np.ndarray | None = None
    ) -> ShelterIndex:
        """The index of stored shelters (Shelter.to_dict); each Shelter is made when found."""
        index = cls.__new__(cls)
        index._records = list(records)
        index._shelters = [None] * len(records)
        facts = [
            (float(r["latitude"]), float(r["longitude"]), r.get("open"), r.get("hazards") or ())
            for r in records
        ]
        index._setup(facts, xyz)
        return index

    def _setup(
        self,
        facts: Sequence[tuple[float, float, bool | None, Sequence[str]]],
        xyz: np.ndarray | None,
    ) -> None:
        count = len(facts)
        if xyz is None or xyz.shape != (count, 3):
            xyz = unit_vectors([f[0] for f in facts], [f[1] for f in facts])
        self.xyz = np.ascontiguousarray(xyz, dtype=np.float64)
        self.open = np.array([f[2] is True for f in facts], dtype=bool)
        self._hazards = np.array([hazard_bits(f[3]) for f in facts], dtype=np.int32)

    @property
    def shelters(self) -> tuple[Shelter, ...]:
        """Every shelter, in the sheet's order."""
        return tuple(self.shelter(i) for i in range(len(self)))

    def records(self) -> list[dict[str, Any]]:
        """Every shelter in its stored form (Shelter.to_dict)."""
        if self._records is not None:
            return list(self._records)
        return [self.shelter(i).to_dict() for i in range(len(self))]

    def shelter(self, number: int) -> Shelter:
        """One shelter by its place in the list."""
        found = self._shelters[number]
        if found is None:
            assert self._records is not None
            found = self._shelters[number] = Shelter.from_dict(self._records[number])
        return found

    def __len__(self) -> int:
        return len(self._shelters)

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
        if not len(self) or k <= 0:
            return []
        point = unit_vectors([latitude], [longitude])[0]
        closeness = self.xyz @ point  # cos of the central angle: larger is nearer
        candidates = np.flatnonzero(self.open) if open_only else np.arange(len(self))
        if not len(candidates):
            return []
        if hazards:
            serving = (self._hazards[candidates] & hazard_bits(hazards)) != 0
            first = self._closest(candidates[serving], closeness, k)
            rest = self._closest(candidates[~serving], closeness, k - len(first))
            chosen = [*first, *rest]
        else:
            chosen = self._closest(candidates, closeness, k)
        return [Nearby(self.shelter(i), _metres(float(closeness[i]))) for i in chosen]

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


def hazard_bits(hazards: Sequence[str]) -> int:
    """The hazards as one bit each (HAZARDS order), so a whole list is filtered at once."""
    return sum(1 << HAZARDS.index(h) for h in set(hazards) if h in HAZARDS)


def _metres(cos_angle: float) -> float:
    """Great-circle distance from the cosine of the central angle (via the chord, which stays
    accurate for nearby points where acos would not)."""
    chord = math.sqrt(max(0.0, 2.0 - 2.0 * min(1.0, cos_angle)))
    return 2.0 * EARTH_RADIUS_M * math.asin(min(1.0, chord / 2.0))
