"""Deploying rich menus through the SDK against the loopback LINE API (images included)."""

import io
import json
import re
from dataclasses import replace

import boto3
import pytest
from aws_lambda_powertools.utilities import parameters
from PIL import Image

from madoguchi.adapters.line_richmenu import LineRichMenuApi, RichMenuApiError
from madoguchi.adapters.storage import LocalStorage
from madoguchi.config import Config
from madoguchi.line import postback
from madoguchi.model import ActionKind, MenuButton, MenuTab
from madoguchi.publish import UploadStatus, publish_upload
from madoguchi.richmenu import sync_rich_menus
from madoguchi.richmenu.deploy import RichMenuDeployError, deploy_menu, live_deploy_id
from madoguchi.richmenu.layout import layout_menu
from madoguchi.richmenu.spec import STAFF_ALIAS, alias_id, build_requests, deploy_id, staff_alias
from madoguchi.richmenu.staff_menu import staff_languages
from madoguchi.search import build_index
from madoguchi.search.index import menu_hash
from madoguchi.wiring import rich_menu_hook
from madoguchi.workbook import validate_workbook
from madoguchi_dev.line_api import LineApiServer
from tests.support.indexer_aws import REGION
from tests.support.workbooks import sample_workbook

TOKEN = "richmenu-test-token"
MENU_A = (
    MenuTab(
        "くらし",
        (
            MenuButton("粗大ごみ", ActionKind.FAQ, "F001"),
            MenuButton("ごみ", ActionKind.CATEGORY, "ごみ"),
            MenuButton("市のホームページ", ActionKind.URL, "https://www.example.jp/"),
            MenuButton("職員に相談", ActionKind.STAFF),
        ),
    ),
    MenuTab("子育て", (MenuButton("児童手当", ActionKind.FAQ, "F005"),)),
)
MENU_B = (
    MenuTab("くらし", (MenuButton("住民票", ActionKind.FAQ, "F003"),)),
    MenuTab("防災", (MenuButton("避難所", ActionKind.TEXT, "避難所はどこ"),)),
    MenuTab("子育て", (MenuButton("保育園", ActionKind.CATEGORY, "子育て"),)),
)
IMAGE_UPLOAD = re.compile(r"^/v2/bot/richmenu/richmenu-[0-9a-f]+/content$")
# Each language Madoguchi speaks has its 職員対応中 menu, though these menus translate nothing.
SPOKEN = staff_languages()


@pytest.fixture
def line():
    server = LineApiServer(access_token=TOKEN).start()
    yield server
    server.stop()


@pytest.fixture
def api(line):
    return LineRichMenuApi(TOKEN, host=line.url)


def calls(line, since: int = 0) -> list[tuple[str, str, int]]:
    """(method, path with ids shortened, status) of each request, in order."""
    found = []
    for request in line.received[since:]:
        path = re.sub(r"richmenu-[0-9a-f]{32}", "{id}", request.path)
        path = re.sub(r"/alias/madoguchi-[0-9a-f]+", "/alias/{alias}", path)
        found.append((request.method, path, request.status))
    return found


def live_menu(line) -> dict:
    """What residents see: the default menu, its tabs (through the aliases) and their images."""
    store = line.rich_menus
    return {
        "default": store.default,
        "menus": set(store.menus),
        "aliases": dict(store.aliases),
    }


def test_first_deploy_creates_uploads_aliases_then_default(line, api):
    deployment = deploy_menu(api, MENU_A, "hash-a")

    store = line.rich_menus
    first, second = deployment.rich_menu_ids
    staff = deployment.staff_menu_id
    spoken = deployment.staff_menus
    assert store.default == first
    assert set(spoken) == set(SPOKEN) and not deployment.languages
    assert set(store.menus) == {first, second, staff, *spoken.values()}
    assert store.aliases == {
        alias_id("くらし"): first,
        alias_id("子育て"): second,
        STAFF_ALIAS: staff,
        **{staff_alias(language): menu for language, menu in spoken.items()},
    }
    korean = store.menus[spoken["ko"]].body
    assert korean["chatBarText"] == "직원 연결 중" and ":staff-ko:" in korean["name"]
    for rich_menu_id in (first, second):
        menu = store.menus[rich_menu_id]
        assert menu.image_type == "image/png"
        assert menu.image.startswith(b"\x89PNG")
        assert menu.body["size"] == {"width": 2500, "height": 1686}
        assert menu.body["chatBarText"] == "メニュー"
    # The tab bar switches by alias; the buttons carry the webhook's own postbacks.
    areas = store.menus[first].body["areas"]
    assert [a["action"]["type"] for a in areas[:2]] == ["richmenuswitch", "richmenuswitch"]
    assert areas[1]["action"]["richMenuAliasId"] == alias_id("子育て")
    menu = postback.Source.MENU
    assert postback.decode(areas[2]["action"]["data"]) == postback.ShowFaq("F001", menu)
    assert postback.decode(areas[5]["action"]["data"]) == postback.AskStaff(menu)
    assert areas[4]["action"] == {
        "type": "uri",
        "label": "市のホームページ",
        "uri": "https://www.example.jp/",
    }

    assert calls(line) == [
        ("POST", "/v2/bot/richmenu", 200),
        ("POST", "/v2/bot/richmenu/{id}/content", 200),
        ("POST", "/v2/bot/richmenu", 200),
        ("POST", "/v2/bot/richmenu/{id}/content", 200),
        ("POST", "/v2/bot/richmenu", 200),  # the 職員対応中 menu
        ("POST", "/v2/bot/richmenu/{id}/content", 200),
        ("GET", "/v2/bot/richmenu/alias/list", 200),
        ("POST", "/v2/bot/richmenu/alias", 200),
        ("POST", "/v2/bot/richmenu/alias", 200),
        ("POST", "/v2/bot/richmenu/alias", 200),
        ("POST", "/v2/bot/user/all/richmenu/{id}", 200),
        # Then each language's 職員対応中 menu, after one look at the aliases.
        ("GET", "/v2/bot/richmenu/alias/list", 200),
        *[
            ("POST", "/v2/bot/richmenu", 200),
            ("POST", "/v2/bot/richmenu/{id}/content", 200),
            ("POST", "/v2/bot/richmenu/alias", 200),
        ]
        * len(SPOKEN),
        ("GET", "/v2/bot/richmenu/alias/list", 200),
        ("GET", "/v2/bot/richmenu/list", 200),
    ]
    uploads = [r for r in line.received if IMAGE_UPLOAD.match(r.path)]
    assert [r.headers["content-type"] for r in uploads] == ["image/png"] * (3 + len(SPOKEN))
    drawn = (first, second, *spoken.values())
    assert deployment.image_bytes == [len(store.menus[i].image) for i in drawn]
    assert live_deploy_id(api) == deploy_id("hash-a")


def test_changed_menu_goes_live_before_the_old_one_is_deleted(line, api):
    old = deploy_menu(api, MENU_A, "hash-a")
    since = len(line.received)

    new = deploy_menu(api, MENU_B, "hash-b")

    store = line.rich_menus
    assert store.default == new.rich_menu_ids[0]
    assert set(store.menus) == {*new.rich_menu_ids, new.staff_menu_id, *new.staff_menus.values()}
    old_menus = {*old.rich_menu_ids, old.staff_menu_id, *old.staff_menus.values()}
    assert set(new.deleted_menus) == old_menus
    assert store.aliases == {
        alias_id("くらし"): new.rich_menu_ids[0],
        alias_id("防災"): new.rich_menu_ids[1],
        alias_id("子育て"): new.rich_menu_ids[2],
        STAFF_ALIAS: new.staff_menu_id,
        **{staff_alias(language): menu for language, menu in new.staff_menus.items()},
    }
    order = calls(line, since)
    set_default = order.index(("POST", "/v2/bot/user/all/richmenu/{id}", 200))
    deletes = [i for i, c in enumerate(order) if c[:2] == ("DELETE", "/v2/bot/richmenu/{id}")]
    assert len(deletes) == 3 + len(SPOKEN) and min(deletes) > set_default
    # Kept tabs and the staff menus keep their alias (updated in place); a new tab's is created.
    assert order.count(("POST", "/v2/bot/richmenu/alias/{alias}", 200)) == 2
    assert order.count(("POST", f"/v2/bot/richmenu/alias/{STAFF_ALIAS}", 200)) == 1
    for language in SPOKEN:
        updated = ("POST", f"/v2/bot/richmenu/alias/{staff_alias(language)}", 200)
        assert order.count(updated) == 1
    assert order.count(("POST", "/v2/bot/richmenu/alias", 200)) == 1
    assert all(status == 200 for _, _, status in order)


def test_a_removed_tab_loses_its_alias(line, api):
    deploy_menu(api, MENU_B, "hash-b")
    deployment = deploy_menu(api, MENU_A, "hash-a")
    assert deployment.deleted_aliases == [alias_id("防災")]
    assert set(line.rich_menus.aliases) == {
        alias_id("くらし"),
        alias_id("子育て"),
        STAFF_ALIAS,
        *map(staff_alias, SPOKEN),
    }


def test_failed_image_upload_leaves_the_old_menu_live_and_nothing_behind(line, api):
    deploy_menu(api, MENU_A, "hash-a")
    before = live_menu(line)
    line.rich_menus.fail_on("POST", IMAGE_UPLOAD.pattern, 500, after=1)  # the second upload
    since = len(line.received)

    with pytest.raises(RichMenuDeployError) as raised:
        deploy_menu(api, MENU_B, "hash-b")

    assert isinstance(raised.value.__cause__, RichMenuApiError)
    assert raised.value.__cause__.status == 500
    assert live_menu(line) == before
    order = calls(line, since)
    assert order[:4] == [
        ("POST", "/v2/bot/richmenu", 200),
        ("POST", "/v2/bot/richmenu/{id}/content", 200),
        ("POST", "/v2/bot/richmenu", 200),
        ("POST", "/v2/bot/richmenu/{id}/content", 500),
    ]
    assert order[4:] == [("DELETE", "/v2/bot/richmenu/{id}", 200)] * 2
    assert not any(c[1].startswith("/v2/bot/user/all/richmenu") for c in order)


def test_failed_default_switch_points_the_aliases_back(line, api):
    deploy_menu(api, MENU_A, "hash-a")
    before = live_menu(line)
    line.rich_menus.fail_on("POST", r"^/v2/bot/user/all/richmenu/", 500)

    with pytest.raises(RichMenuDeployError):
        deploy_menu(api, MENU_B, "hash-b")

    assert live_menu(line) == before  # aliases restored, the new 防災 alias removed


def test_leftovers_of_an_earlier_failed_deploy_are_cleaned_and_others_kept(line, api):
    one_tab = MENU_A[:1]
    stray = build_requests(one_tab, layout_menu(one_tab), "0123456789ab")[0]
    stray_id = api.create_menu(stray)  # ours, from a deploy that died before cleaning up
    foreign = stray.copy(update={"name": "夏のキャンペーン"})
    foreign_id = api.create_menu(foreign)  # made by someone else on the same channel

    deployment = deploy_menu(api, MENU_A, "hash-a")

    assert stray_id in deployment.deleted_menus
    ours = {*deployment.rich_menu_ids, deployment.staff_menu_id, *deployment.staff_menus.values()}
    assert set(line.rich_menus.menus) == {*ours, foreign_id}


def test_sync_deploys_once_then_makes_no_calls_while_the_menu_is_unchanged(line, api, tmp_path):
    storage = LocalStorage(tmp_path)
    config = Config(local_dir=tmp_path)
    index = _index(MENU_A)

    first = sync_rich_menus(index, api, storage, config)
    assert first.status == "deployed" and first.ok
    state = json.loads(storage.get("indexes/richmenu.json"))
    assert state["deploy_id"] == first.deploy_id
    assert state["default"] == line.rich_menus.default
    # The record names the 職員対応中 menu and its alias, through which the webhook links it.
    assert state["staff_alias"] == STAFF_ALIAS
    assert line.rich_menus.aliases[STAFF_ALIAS] == state["staff_menu"]
    count = len(line.received)

    again = sync_rich_menus(_index(MENU_A), api, storage, config)

    assert again.status == "unchanged"
    assert len(line.received) == count  # not a single call to LINE

    forced = sync_rich_menus(index, api, storage, config, force=True)
    assert forced.status == "deployed" and len(line.received) > count
    # The forced deploy replaced, not added: two tabs, and the 職員対応中 menus.
    assert len(line.rich_menus.menus) == 3 + len(SPOKEN)
    assert set(state["staff_menus"]) == set(SPOKEN)


def test_sync_failure_is_reported_not_raised(line, api, tmp_path):
    storage = LocalStorage(tmp_path)
    config = Config(local_dir=tmp_path)
    line.rich_menus.fail_on("POST", r"^/v2/bot/richmenu$", 500)

    result = sync_rich_menus(_index(MENU_A), api, storage, config)

    assert result.status == "failed" and not result.ok
    assert "前のメニューがそのまま" in result.message
    assert storage.get("indexes/richmenu.json") is None  # retried on the next publish
    assert line.rich_menus.menus == {}


def test_publish_deploys_the_menu_and_reports_it(line, tmp_path):
    storage = LocalStorage(tmp_path)
    config = Config(local_dir=tmp_path, line_api_base=line.url)
    storage.put("uploads/faq.xlsx", sample_workbook())
    hook = rich_menu_hook(storage, config, access_token=lambda: TOKEN)

    report = publish_upload(storage, "uploads/faq.xlsx", config=config, after_publish=hook)

    assert report.status is UploadStatus.PUBLISHED
    assert report.rich_menu["status"] == "deployed"
    assert line.rich_menus.default is not None
    assert "■ LINEのメニュー" in report.text() and "メニューを更新しました" in report.text()
    saved = json.loads(storage.get(report.report_key))
    assert saved["rich_menu"]["status"] == "deployed"


def test_publish_stays_published_when_line_refuses_the_token(line, tmp_path):
    storage = LocalStorage(tmp_path)
    config = Config(local_dir=tmp_path, line_api_base=line.url)
    storage.put("uploads/faq.xlsx", sample_workbook())
    hook = rich_menu_hook(storage, config, access_token=lambda: "wrong-token")

    report = publish_upload(storage, "uploads/faq.xlsx", config=config, after_publish=hook)

    assert report.status is UploadStatus.PUBLISHED
    assert report.rich_menu["status"] == "failed"
    assert "メニューを更新できませんでした" in report.text()
    assert [r.status for r in line.received] == [401]


def test_loopback_refuses_what_line_refuses(line, api):
    (request,) = build_requests(MENU_A[:1], layout_menu(MENU_A[:1]), "abc")
    rich_menu_id = api.create_menu(request)
    with pytest.raises(RichMenuApiError) as no_image:
        api.set_default(rich_menu_id)
    assert no_image.value.status == 400
    with pytest.raises(RichMenuApiError) as wrong_size:
        api.upload_image(rich_menu_id, _tiny_png())
    assert wrong_size.value.status == 400
    too_wide = request.copy(update={"chat_bar_text": None})
    with pytest.raises(RichMenuApiError) as invalid:
        api.create_menu(too_wide)
    assert invalid.value.status == 400 and "chatBarText" in invalid.value.detail


def test_indexer_handler_deploys_the_menu_with_the_token_from_ssm(line_env, account):
    line, parameter = line_env
    parameters.clear_caches()
    ssm = boto3.client("ssm", region_name=REGION)
    ssm.put_parameter(Name=parameter, Value=TOKEN, Type="SecureString")
    put = account.upload("uploads/faq.xlsx", sample_workbook())
    event = account.event_for("s3_object_created_japanese_key.json", put, key="uploads/faq.xlsx")

    result = account.invoke(event)

    assert result["processed"][0]["status"] == "published"
    report = json.loads(account.read(result["processed"][0]["report"]))
    assert report["rich_menu"]["status"] == "deployed"
    assert line.rich_menus.default is not None
    state = json.loads(account.read("indexes/richmenu.json"))
    assert state["default"] == line.rich_menus.default
    [mail] = account.messages()
    assert "■ LINEのメニュー" in mail["Message"]


@pytest.fixture
def line_env(line, monkeypatch):
    """Environment of an indexer that deploys rich menus to the loopback LINE API."""
    parameter = "/madoguchi/test/access-token"
    monkeypatch.setenv("MADOGUCHI_CHANNEL_TOKEN_PARAM", parameter)
    monkeypatch.setenv("MADOGUCHI_LINE_API_BASE", line.url)
    return line, parameter


def _index(menu):
    workbook = validate_workbook(sample_workbook()).workbook
    return build_index(replace(workbook, menu=menu))


def _tiny_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 540), "white").save(out, format="PNG")
    return out.getvalue()


def test_menu_hash_of_the_index_drives_the_deploy_id():
    index = _index(MENU_A)
    assert index.meta["menu_hash"] == menu_hash(MENU_A)


def test_the_staff_menu_has_a_banner_and_the_two_ways_on(line, api):
    deployment = deploy_menu(api, MENU_A, "hash-a")
    menu = line.rich_menus.menus[deployment.staff_menu_id]
    assert menu.body["chatBarText"] == "職員対応中"
    assert menu.body["size"] == {"width": 2500, "height": 843}
    actions = [postback.decode(a["action"]["data"]) for a in menu.body["areas"]]
    assert actions == [postback.BackToBot(), postback.ListCategories()]
    assert [a["action"]["displayText"] for a in menu.body["areas"]] == ["AIに戻る", "質問一覧"]
    image = Image.open(io.BytesIO(menu.image))
    assert image.size == (2500, 843)
    # The banner is drawn in the yellow of 職員に相談, the buttons in white on the blue panel.
    assert image.convert("RGB").getpixel((20, 20)) == (0xFF, 0xE0, 0x8A)
    assert image.convert("RGB").getpixel((625, 560)) == (0xFF, 0xFF, 0xFF)
