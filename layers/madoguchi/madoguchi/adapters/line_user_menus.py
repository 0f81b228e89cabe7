"""The rich menu calls the webhook makes (the 職員対応中 menu linked to one resident, the default
tab during an お知らせ), through the same lean SDK client as the reply: the webhook's init never
imports the SDK's generated `MessagingApi` module. Deploying menus is LineRichMenuApi's job."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import urllib3
from linebot.v3.messaging.api_client import ApiClient
from linebot.v3.messaging.exceptions import ApiException

from madoguchi.adapters.line_api import (
    DEFAULT_TIMEOUT_SECONDS,
    RichMenuApiError,
    call_line,
    error_detail,
    line_api_client,
)
from madoguchi.request_time import RequestTime

MIN_CALL_SECONDS = 0.1  # a call given less than this would only time out


class LineUserMenus:
    """LINE's per-resident and default rich menu operations (madoguchi.richmenu.live's
    UserMenuApi); a loopback `host` serves tests and the local preview."""

    def __init__(
        self,
        access_token: str,
        host: str | None = None,
        api_client: ApiClient | None = None,
        *,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        self._client = api_client or line_api_client(access_token, host)
        self._timeout = timeout_seconds
        # The webhook's request deadline: each call gets at most the time it leaves.
        self.request_time: RequestTime | None = None

    def alias_target(self, alias_id: str) -> str | None:
        """The rich menu an alias points to, or None when there is no such alias."""
        try:
            found = self._json(
                "get rich menu alias", "GET", f"/v2/bot/richmenu/alias/{_p(alias_id)}"
            )
        except RichMenuApiError as error:
            if error.status in (400, 404):
                return None
            raise
        return _menu_id(found, "get rich menu alias")

    def link_user(self, user_id: str, rich_menu_id: str) -> None:
        """Show this menu to one resident instead of the default."""
        path = f"/v2/bot/user/{_p(user_id)}/richmenu/{_p(rich_menu_id)}"
        self._call("link rich menu", "POST", path)

    def unlink_user(self, user_id: str) -> None:
        """Give one resident the default menu back (nothing happens if none was linked)."""
        self._call("unlink rich menu", "DELETE", f"/v2/bot/user/{_p(user_id)}/richmenu")

    def default_menu(self) -> str | None:
        """The default rich menu id, or None when there is none."""
        try:
            found = self._json("get default rich menu", "GET", "/v2/bot/user/all/richmenu")
        except RichMenuApiError as error:
            if error.status == 404:
                return None
            raise
        return _menu_id(found, "get default rich menu")

    def set_default(self, rich_menu_id: str) -> None:
        """Show this menu to every resident without a menu of their own."""
        self._call("set default rich menu", "POST", f"/v2/bot/user/all/richmenu/{_p(rich_menu_id)}")

    def _json(self, operation: str, method: str, path: str) -> Any:
        response = self._call(operation, method, path)
        try:
            return json.loads(response.raw_data or b"{}")
        except ValueError:
            raise RichMenuApiError(operation, response.status_code, "unreadable") from None

    def _call(self, operation: str, method: str, path: str) -> Any:
        # The error names the call and LINE's status, never the path: it holds a user id.
        seconds: float | None = self._timeout
        if self.request_time is not None:
            seconds = self.request_time.timeout(self._timeout, MIN_CALL_SECONDS)
        if seconds is None:
            raise RichMenuApiError(operation, None, "no time left in the request")
        try:
            return call_line(self._client, method, path, timeout=seconds)
        except ApiException as error:
            raise RichMenuApiError(operation, error.status, error_detail(error.body)) from None
        except (urllib3.exceptions.HTTPError, OSError) as error:
            raise RichMenuApiError(operation, None, type(error).__name__) from None


def _p(segment: str) -> str:
    """One path segment, quoted."""
    return quote(str(segment), safe="")


def _menu_id(found: Any, operation: str) -> str:
    menu = found.get("richMenuId") if isinstance(found, dict) else None
    if not isinstance(menu, str) or not menu:
        raise RichMenuApiError(operation, None, "no richMenuId in LINE's answer")
    return menu
