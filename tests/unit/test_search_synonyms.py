"""Synonym groups rewrite every member to the canonical form, longest member first."""

from madoguchi.search.synonyms import DEFAULT_SYNONYMS, SynonymMap, merged_groups


def test_members_become_canonical_whatever_their_kana():
    synonyms = SynonymMap([("粗大ごみ", "大型ごみ", "デカいゴミ")])
    assert synonyms.apply("大型ゴミの日") == "粗大ごみの日"
    assert synonyms.apply("でかいごみ") == "粗大ごみ"


def test_longest_member_wins():
    synonyms = SynonymMap([("ごみ", "ゴミ袋じゃない"), ("指定袋", "ごみ袋")])
    assert synonyms.apply("ごみ袋を買う") == "指定袋を買う"


def test_workbook_groups_override_defaults():
    assert ("子ども", "子供", "こども") in DEFAULT_SYNONYMS
    synonyms = SynonymMap(merged_groups([("児童", "子供")]))
    assert synonyms.apply("子供") == "児童"
    assert synonyms.apply("こども") == "子ども"


def test_defaults_can_be_left_out():
    assert SynonymMap(merged_groups([], use_defaults=False)).apply("子供") == "子供"


def test_groups_of_one_member_do_nothing():
    assert SynonymMap([("ごみ",), ()]).apply("ごみ") == "ごみ"
