"""Shelters from the `避難所` sheet: the hazards they serve, and the nearest ones to a resident."""

from __future__ import annotations

from madoguchi.shelters.hazards import HAZARDS, hazard_of, hazards_named
from madoguchi.shelters.nearest import Nearby, ShelterIndex

# Opens LINE's location picker from a menu button; the location comes back as a message.
LOCATION_PICKER_URL = "https://line.me/R/nv/location/"

__all__ = [
    "HAZARDS",
    "LOCATION_PICKER_URL",
    "Nearby",
    "ShelterIndex",
    "hazard_of",
    "hazards_named",
]
