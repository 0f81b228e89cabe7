"""After a publish: deploy the rich menu when the workbook's menu changed, and record it."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from madoguchi.adapters.line_richmenu import LineRichMenuApi
from madoguchi.clock import Clock, system_clock, utc_now
from madoguchi.config import Config
from madoguchi.language.codes import BY_CODE, EASY_JAPANESE
from madoguchi.model import menu_languages
from madoguchi.notice import default_tab
from madoguchi.richmenu.deploy import RichMenuApi, RichMenuDeployError, deploy_menu
from madoguchi.richmenu.layout import MenuLayoutError
from madoguchi.richmenu.spec import deploy_id
from madoguchi.richmenu.staff_menu import with_own_wording

if TYPE_CHECKING:
    from madoguchi.adapters.storage import Storage
    from madoguchi.search import SearchIndex

log = logging.getLogger(__name__)

# How staff read a language's name in the upload report.
LABELS = {
    **{code: language.label for code, language in BY_CODE.items()},
    EASY_JAPANESE: "やさしい日本語",
}
STATE_NAME = "richmenu.json"  # beside the index pointer; records what is live on LINE
JSON_TYPE = "application/json; charset=utf-8"


@dataclass(frozen=True)
class RichMenuSync:
    """The outcome of one sync, for the upload report; `message` is for staff, in Japanese."""

    status: str  # "deployed", "unchanged", "removed" or "failed"
    deploy_id: str
    message: str
    seconds: float = 0.0
    deployment: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        """False only when the new menu could not be put live."""
        return self.status != "failed"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "status": self.status,
            "deploy_id": self.deploy_id,
            "message": self.message,
            "seconds": self.seconds,
            "deployment": self.deployment,
        }


def state_key(config: Config) -> str:
    """Where the record of the live rich menu is kept."""
    return config.index_prefix + STATE_NAME


def recorded_state(storage: Storage, config: Config) -> dict[str, Any] | None:
    """The last successful deploy, or None (never deployed, or an unreadable record)."""
    data = storage.get(state_key(config))
    if data is None:
        return None
    try:
        state = json.loads(data)
    except ValueError:
        log.warning("rich menu state %s is not JSON; deploying again", state_key(config))
        return None
    return state if isinstance(state, dict) else None


def sync_rich_menus(
    index: SearchIndex,
    line_api: RichMenuApi,
    storage: Storage,
    config: Config,
    *,
    force: bool = False,
    now: datetime | None = None,
) -> RichMenuSync:
    """Deploy the index's menu unless the recorded deploy is the same; never raises.

    The default is the first tab, or the tab an お知らせ active at `now` names (when the menu is
    unchanged the webhook switches the default itself, see madoguchi.richmenu.live). A failure is
    logged and returned: the answers are already published and stay published, and residents
    keep seeing the previous menu.
    """
    started = time.perf_counter()
    menu = tuple(index.menu)
    menu_hash = index.meta.get("menu_hash") or _menu_hash(menu)
    menu_hash = with_own_wording(menu_hash, index.settings, menu)
    deploy = deploy_id(menu_hash)
    try:
        state = recorded_state(storage, config)
    except Exception:
        log.exception("reading the rich menu state failed; deploying again")
        state = None
    # A language that failed last time is tried again, even with the same menu.
    retry = bool(state and state.get("failed_languages"))
    if not force and state is not None and state.get("deploy_id") == deploy and not retry:
        return RichMenuSync("unchanged", deploy, "メニューは変わっていません。")
    try:
        first = default_tab(menu, index.settings, now or utc_now())
        deployment = deploy_menu(
            line_api, menu, menu_hash, default_tab=first, settings=index.settings
        )
    except (MenuLayoutError, RichMenuDeployError) as error:
        log.error("rich menu deploy failed", extra={"deploy_id": deploy, "error": str(error)})
        reason = (
            str(error) if isinstance(error, MenuLayoutError) else "LINEとの通信に失敗しました。"
        )
        message = (
            f"メニューを更新できませんでした({reason})。前のメニューがそのまま表示されています。"
        )
        return RichMenuSync("failed", deploy, message, _since(started))
    except Exception as error:
        log.exception("rich menu deploy failed unexpectedly", extra={"deploy_id": deploy})
        message = (
            "メニューを更新できませんでした(想定外のエラー: "
            f"{type(error).__name__})。前のメニューがそのまま表示されています。"
        )
        return RichMenuSync("failed", deploy, message, _since(started))
    record = {**deployment.to_dict(), "menu_hash": menu_hash, "tabs": [t.name for t in menu]}
    try:
        storage.put(state_key(config), json.dumps(record, ensure_ascii=False).encode(), JSON_TYPE)
    except Exception:
        # The menu is live; without the record the next publish simply deploys it again.
        log.exception("recording the rich menu state failed")
    if not menu:
        status, message = "removed", "メニューシートが空なので、メニューを外しました。"
    else:
        status, message = "deployed", f"メニューを更新しました(タブ{len(menu)}つ)。"
        failed = deployment.failed_languages
        message += _languages_message(deployment.languages, failed, menu_languages(menu))
    log.info(
        "rich menu %s",
        status,
        extra={
            "deploy_id": deploy,
            "tabs": len(menu),
            "deleted_menus": len(deployment.deleted_menus),
            "cleanup_failures": len(deployment.cleanup_failures),
            "languages": sorted(deployment.languages),
            "failed_languages": deployment.failed_languages,
        },
    )
    return RichMenuSync(status, deploy, message, _since(started), record)


def after_publish_sync(
    storage: Storage, config: Config, read_token: Callable[[], str], clock: Clock = system_clock
) -> Callable[[SearchIndex], dict[str, Any]]:
    """What the indexer runs after each publish: the rich menu sync, with the access token read
    at that moment (so a rotated token works); its outcome goes into the upload report."""

    def after_publish(index: SearchIndex) -> dict[str, Any]:
        try:
            api = LineRichMenuApi(read_token(), host=config.line_api_base)
        except Exception:
            log.exception("reading the LINE access token failed")
            message = (
                "メニューを更新できませんでした(LINEのアクセストークンを読めません)。"
                "前のメニューがそのまま表示されています。"
            )
            return RichMenuSync("failed", "", message).to_dict()
        return sync_rich_menus(index, api, storage, config, now=utc_now(clock)).to_dict()

    return after_publish


def _languages_message(
    done: dict[str, list[str]], failed: list[str], translated: Sequence[str] = ()
) -> str:
    """For staff: which translated menus went live and which could not (in Japanese); a
    language the sheet does not translate has only its 職員対応中 menu."""

    def names(codes) -> str:
        return "・".join(LABELS.get(code, code) for code in codes)

    message = f"翻訳したメニュー: {names(sorted(done))}。" if done else ""
    menus = [code for code in failed if code in translated]
    staff_only = [code for code in failed if code not in translated]
    if menus:
        message += f"{names(menus)}のメニュー"
    if staff_only:
        message += "と" if menus else ""
        message += f"{names(staff_only)}の職員対応中メニュー"
    if failed:
        message += (
            "は更新できませんでした(LINEとの通信に失敗しました)。"
            "その言語は前のメニューのままで、次の公開のときにもう一度試します。"
        )
    return message


def _menu_hash(menu) -> str:
    # Imported here: an index built before menu hashes were recorded is rare, and the search
    # package loads numpy.
    from madoguchi.search.index import menu_hash

    return menu_hash(menu)


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 3)
