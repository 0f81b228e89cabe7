"""The optional 避難所 sheet: read as staff keep it or as the national open data has it, and
every problem named at its cell."""

from __future__ import annotations

from madoguchi.model import ShelterKind
from madoguchi.workbook import Severity, validate_workbook
from tests.support.workbooks import FAQ_HEADER, faq_row, make_workbook

FAQ = [FAQ_HEADER, faq_row(1, "粗大ごみの出し方", "予約してください。")]
HEADER = ["名前", "住所", "緯度", "経度", "種別", "対象", "開設", "電話", "URL"]
GOOD = ["北小学校", "星見ヶ丘市北1-1", 35.605, 138.5, "指定避難所", "洪水・地震", "開設", "", ""]


def check(rows):
    return validate_workbook(make_workbook({"FAQ": FAQ, "避難所": rows}))


def problem_at(result, cell, severity=Severity.ERROR):
    found = [p for p in result.problems if p.sheet == "避難所" and p.cell == cell]
    assert len(found) == 1, result.problems
    assert found[0].severity is severity
    return found[0]


def test_a_good_sheet_becomes_shelters():
    result = check(
        [
            HEADER,
            GOOD,
            ["西公園", "", "35.6", "１３８．４９", "指定緊急避難場所、指定避難所", "", "", "", ""],
            ["福祉センター", "", 35.61, 138.51, "福祉避難所", "火事", "閉鎖", "0551-00-0000", ""],
        ]
    )
    assert result.ok, result.problems
    north, park, welfare = result.workbook.shelters
    assert (north.name, north.latitude, north.longitude) == ("北小学校", 35.605, 138.5)
    assert north.kinds == (ShelterKind.SHELTER,) and north.hazards == ("洪水", "地震")
    assert north.open is True and north.row == 2
    assert park.longitude == 138.49 and park.open is None  # full-width digits, blank: not said
    assert park.kinds == (ShelterKind.EVACUATION_SITE, ShelterKind.SHELTER)
    assert welfare.hazards == ("火災",) and welfare.open is False
    assert welfare.phone == "0551-00-0000"


def test_coordinates_outside_japan_are_refused_at_the_cell():
    result = check([HEADER, [*GOOD[:2], 3.6, 138.5, *GOOD[4:]]])
    assert not result.ok
    problem = problem_at(result, "C2")
    assert "日本の外" in problem.message and "緯度" in problem.fix


def test_swapped_coordinates_are_named_as_such():
    result = check([HEADER, [*GOOD[:2], 138.5, 35.605, *GOOD[4:]]])
    assert "入れ替わっていないか" in problem_at(result, "C2").fix


def test_unreadable_or_missing_coordinates_are_refused():
    result = check([HEADER, [*GOOD[:2], "北緯35度", 138.5, *GOOD[4:]], ["東", "", "", 138.5]])
    assert "数として読めません" in problem_at(result, "C2").message
    assert "緯度が空です" in problem_at(result, "C3").message


def test_duplicate_names_are_refused_at_the_second():
    result = check([HEADER, GOOD, ["北小学校", "", 35.7, 138.6]])
    problem = problem_at(result, "A3")
    assert "2行目 にもあります" in problem.message
    assert len(result.workbook.shelters) == 1


def test_an_unknown_kind_is_refused_and_an_unknown_hazard_warned():
    result = check(
        [HEADER, [*GOOD[:4], "避難ビル", *GOOD[5:]], ["東公園", "", 35.7, 138.6, "", "隕石"]]
    )
    assert "「避難ビル」 は使えません" in problem_at(result, "E2").message
    assert "指定避難所" in problem_at(result, "E2").fix
    problem_at(result, "F3", Severity.WARNING)


def test_an_unknown_open_state_is_warned_and_read_as_not_open():
    result = check([HEADER, [*GOOD[:6], "たぶん"]])
    assert result.ok
    problem_at(result, "G2", Severity.WARNING)
    assert result.workbook.shelters[0].open is None


def test_a_sheet_without_a_name_column_is_refused():
    result = check([["住所", "緯度", "経度"], ["どこか", 35.6, 138.5]])
    assert not result.ok
    assert any("「名前」の列がありません" in p.message for p in result.problems)


def test_the_national_open_data_columns_are_read_as_pasted():
    header = [
        "ID",
        "名称",
        "名称_カナ",
        "住所",
        "緯度",
        "経度",
        "電話番号",
        "災害種別_洪水",
        "災害種別_崖崩れ、土石流及び地滑り",
        "災害種別_高潮",
        "災害種別_地震",
        "災害種別_津波",
        "災害種別_大規模な火事",
        "災害種別_内水氾濫",
        "災害種別_火山現象",
        "指定避難所との住所同一",
        "備考",
    ]
    row = [
        "0001",
        "星見ヶ丘小学校",
        "ホシミガオカ",
        "星見ヶ丘市1-1",
        "35.61",
        "138.52",
        "0551-11-1111",
    ]
    row += ["1", "1", "", "1", "", "1", "", "", "1", ""]
    result = check([header, row])
    assert result.ok, result.problems
    assert not [p for p in result.problems if p.sheet == "避難所"]  # no column is "unused"
    [shelter] = result.workbook.shelters
    assert shelter.name == "星見ヶ丘小学校" and shelter.address == "星見ヶ丘市1-1"
    assert shelter.phone == "0551-11-1111" and shelter.hazards == ("洪水", "土砂", "地震", "火災")


def test_the_gsi_list_names_its_columns_without_the_prefix():
    header = ["施設・場所名", "住所", "洪水", "崖崩れ、土石流及び地滑り", "津波", "緯度", "経度"]
    result = check([header, ["港公園", "星見ヶ丘市港1", "", "○", "○", 35.62, 138.53]])
    assert result.ok, result.problems
    assert result.workbook.shelters[0].hazards == ("土砂", "津波")
