"""Synonym groups: each member becomes its group's canonical form, in FAQs and questions alike."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from madoguchi.search.normalize import fold_kana, phrase_pattern, surface

# Spelling variants and everyday words residents use for municipal terms; the first member is the
# canonical form. The workbook's 同義語 sheet comes first and overrides these.
DEFAULT_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("引越", "引っ越し", "引越し", "引っ越", "ひっこし"),
    ("子ども", "子供", "こども"),
    ("申込", "申し込み", "申込み", "申し込", "もうしこみ"),
    ("手続", "手続き", "手つづき", "てつづき"),
    ("問合せ", "問い合わせ", "問合わせ", "問い合せ", "といあわせ"),
    ("受付", "受け付け", "受付け"),
    ("届出", "届け出", "届出で", "届けで"),
    ("取扱", "取り扱い", "取扱い"),
    ("手数料", "料金", "費用", "値段", "いくら"),
    ("マイナンバーカード", "マイナカード", "個人番号カード", "まいなんばーかーど"),
    ("国民健康保険", "国保", "こくほ"),
    ("障害", "障がい", "障碍"),
    ("高齢者", "お年寄り", "老人"),
    ("再交付", "再発行"),
    ("紛失", "なくし", "無くし", "失くし", "落とし"),
    ("死亡", "亡くなっ", "亡くな", "死ん"),
    ("可燃ごみ", "燃えるごみ", "燃やすごみ", "もえるごみ", "もやすごみ"),
    ("不燃ごみ", "燃えないごみ", "燃やさないごみ", "もえないごみ", "もやさないごみ"),
    ("ごみ", "塵芥"),
    ("スマートフォン", "スマホ", "携帯電話", "ケータイ"),
    ("助成", "補助", "補助金", "助成金"),
    ("予防接種", "ワクチン"),
    ("保育所", "保育園"),
    ("市役所", "役所", "役場", "市庁舎"),
    ("開庁時間", "窓口時間", "受付時間", "営業時間", "開いている時間"),
)


class SynonymMap:
    """Rewrites members of synonym groups to the group's canonical form, longest member first."""

    def __init__(self, groups: Iterable[Sequence[str]]):
        self.canonical: dict[str, str] = {}
        for group in groups:
            members = [surface(m) for m in group if surface(m)]
            if len(members) < 2:
                continue
            for member in members:
                # The first group naming a member wins, so workbook groups beat the defaults.
                self.canonical.setdefault(fold_kana(member), members[0])
        # A member that is already canonical needs no rewrite, but stays in the pattern so a
        # longer member containing it cannot split it.
        self._pattern: re.Pattern[str] | None = phrase_pattern(list(self.canonical))

    def apply(self, text: str) -> str:
        """The text with every member replaced by its canonical form (text in surface form)."""
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self.canonical[fold_kana(m.group(0))], text)


def merged_groups(
    workbook_groups: Iterable[Sequence[str]], *, use_defaults: bool = True
) -> list[tuple[str, ...]]:
    """Workbook groups first, then the built-in defaults."""
    groups = [tuple(g) for g in workbook_groups]
    if use_defaults:
        groups.extend(DEFAULT_SYNONYMS)
    return groups
