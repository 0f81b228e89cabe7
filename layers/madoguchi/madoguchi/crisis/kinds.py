"""The kinds of danger a resident's message may signal, most urgent first."""

from __future__ import annotations

import enum


class CrisisKind(enum.StrEnum):
    """One kind of danger; the value is the search log's and the metric's word for it."""

    DANGER = "danger"  # immediate danger: a weapon, an intruder, a fire, "助けて"
    SUICIDE = "suicide"  # suicide or self-harm
    CHILD_ABUSE = "child_abuse"  # a child being abused, or a parent afraid of abusing
    DV = "dv"  # violence from a spouse or partner
    STALKING = "stalking"  # stalking or confinement
    BULLYING = "bullying"
    BASIC_NEEDS = "basic_needs"  # no food or no place to stay tonight


# Most urgent first: when a message signals several kinds, the first decides the reply's opening.
PRIORITY = tuple(CrisisKind)

# The words staff read (the 相談窓口 sheet's 種類, the report, the mail).
LABELS: dict[CrisisKind, str] = {
    CrisisKind.DANGER: "緊急",
    CrisisKind.SUICIDE: "自殺・自傷",
    CrisisKind.CHILD_ABUSE: "虐待",
    CrisisKind.DV: "DV",
    CrisisKind.STALKING: "ストーカー・監禁",
    CrisisKind.BULLYING: "いじめ",
    CrisisKind.BASIC_NEEDS: "食事・住まい",
}
