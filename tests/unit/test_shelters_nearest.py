"""The nearest shelters: great-circle distances, open ones only, a notice's hazards first."""

from __future__ import annotations

import math

import pytest

from madoguchi.model import Shelter
from madoguchi.shelters import ShelterIndex, hazards_named
from madoguchi.shelters.nearest import EARTH_RADIUS_M


def shelter(name, lat, lon, *, open=None, hazards=()):
    return Shelter(name, "", lat, lon, hazards=tuple(hazards), open=open)


SHELTERS = [
    shelter("北", 35.605, 138.5, open=True, hazards=("地震",)),
    shelter("南", 35.590, 138.5, open=True, hazards=("洪水",)),
    shelter("中央", 35.601, 138.5, open=False),
    shelter("西", 35.600, 138.499),
]


def test_distances_are_great_circle_metres():
    [north] = ShelterIndex(SHELTERS).nearest(35.6, 138.5, 1, open_only=True)
    expected = EARTH_RADIUS_M * math.radians(0.005)  # along a meridian
    assert north.shelter.name == "北" and north.metres == pytest.approx(expected, rel=1e-6)


def test_nearest_first_and_open_only_when_asked():
    index = ShelterIndex(SHELTERS)
    assert [n.shelter.name for n in index.nearest(35.6, 138.5)] == ["西", "中央", "北", "南"]
    assert [n.shelter.name for n in index.nearest(35.6, 138.5, 2)] == ["西", "中央"]
    assert [n.shelter.name for n in index.nearest(35.6, 138.5, open_only=True)] == ["北", "南"]


def test_a_hazard_puts_its_shelters_first():
    found = ShelterIndex(SHELTERS).nearest(35.6, 138.5, open_only=True, hazards=("洪水",))
    assert [n.shelter.name for n in found] == ["南", "北"]


def test_nothing_open_or_nothing_listed_gives_nothing():
    assert ShelterIndex([SHELTERS[2]]).nearest(35.6, 138.5, open_only=True) == []
    assert ShelterIndex([]).nearest(35.6, 138.5) == []


@pytest.mark.parametrize(
    ("text", "hazards"),
    [
        ("台風10号が近づいています", ("洪水", "土砂", "高潮")),
        ("地震による津波警報が出ています", ("地震", "津波")),
        ("窓口は午後3時で閉まります", ()),
    ],
)
def test_the_hazards_a_notice_names(text, hazards):
    assert hazards_named(text) == hazards
