"""The only module that calls LINE's rich menu API (menus, images, aliases, the default menu, and
the menus linked to one resident).

Hosts: `MessagingApi` sends to https://api.line.me and `MessagingApiBlob` (the image upload) to
https://api-data.line.me; both hosts are written into each generated operation. The SDK's
`ApiClient` uses `Configuration.host` instead of the operation's host whenever it is set, so one
`Configuration(host=None)` reaches LINE itself and one `Configuration(host="http://127.0.0.1:…")`
sends every call, image uploads included, to the loopback LINE API.
"""

from __future__ import annotations

from dataclasses import dataclass

import urllib3

# Modules, not the packages: their __init__ files import every client, async ones included.
from linebot.v3.messaging.api.messaging_api import MessagingApi
from linebot.v3.messaging.api.messaging_api_blob import MessagingApiBlob
from linebot.v3.messaging.api_client import ApiClient
from linebot.v3.messaging.exceptions import ApiException
from linebot.v3.messaging.models.create_rich_menu_alias_request import CreateRichMenuAliasRequest
from linebot.v3.messaging.models.rich_menu_request import RichMenuRequest
from linebot.v3.messaging.models.update_rich_menu_alias_request import UpdateRichMenuAliasRequest

from madoguchi.adapters.line_api import (
    RichMenuApiError,
    error_detail,
    line_api_client,
    request_timeout,
)

DEFAULT_TIMEOUT_SECONDS = 20.0  # an image upload of up to 1 MB; deploys run in the indexer

__all__ = ["LineRichMenuApi", "RichMenuApiError", "RichMenuInfo"]


@dataclass(frozen=True)
class RichMenuInfo:
    """One rich menu of the channel, as listed by LINE."""

    rich_menu_id: str
    name: str


class LineRichMenuApi:
    """Rich menu operations; a loopback `host` serves tests and the local preview."""

    def __init__(
        self,
        access_token: str,
        host: str | None = None,
        api_client: ApiClient | None = None,
        *,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        if api_client is None:
            api_client = line_api_client(access_token, host)
        self._api = MessagingApi(api_client)
        self._blob = MessagingApiBlob(api_client)
        self._timeout = timeout_seconds

    def list_menus(self) -> list[RichMenuInfo]:
        """Every rich menu of the channel created through the API."""
        response = self._call("list rich menus", self._api.get_rich_menu_list)
        return [RichMenuInfo(m.rich_menu_id, m.name or "") for m in response.richmenus or []]

    def create_menu(self, request: RichMenuRequest) -> str:
        """Create a rich menu (without its image) and return its id."""
        response = self._call("create rich menu", self._api.create_rich_menu, request)
        return response.rich_menu_id

    def upload_image(self, rich_menu_id: str, png: bytes) -> None:
        """Attach the PNG image; LINE accepts one upload per menu."""
        self._call(
            "upload rich menu image",
            self._blob.set_rich_menu_image,
            rich_menu_id,
            png,
            _headers={"Content-Type": "image/png"},
        )

    def delete_menu(self, rich_menu_id: str) -> None:
        """Delete a rich menu."""
        self._call("delete rich menu", self._api.delete_rich_menu, rich_menu_id)

    def list_aliases(self) -> dict[str, str]:
        """Alias id -> rich menu id for every alias of the channel."""
        response = self._call("list rich menu aliases", self._api.get_rich_menu_alias_list)
        return {a.rich_menu_alias_id: a.rich_menu_id for a in response.aliases or []}

    def create_alias(self, alias_id: str, rich_menu_id: str) -> None:
        """Create an alias for a menu (the menu must already have its image)."""
        request = CreateRichMenuAliasRequest(rich_menu_alias_id=alias_id, rich_menu_id=rich_menu_id)
        self._call("create rich menu alias", self._api.create_rich_menu_alias, request)

    def update_alias(self, alias_id: str, rich_menu_id: str) -> None:
        """Point an existing alias at another menu."""
        request = UpdateRichMenuAliasRequest(rich_menu_id=rich_menu_id)
        self._call("update rich menu alias", self._api.update_rich_menu_alias, alias_id, request)

    def delete_alias(self, alias_id: str) -> None:
        """Delete an alias."""
        self._call("delete rich menu alias", self._api.delete_rich_menu_alias, alias_id)

    def set_default(self, rich_menu_id: str) -> None:
        """Show this menu to every resident without a menu of their own."""
        self._call("set default rich menu", self._api.set_default_rich_menu, rich_menu_id)

    def default_menu(self) -> str | None:
        """The default rich menu id, or None when there is none."""
        try:
            return self._call(
                "get default rich menu", self._api.get_default_rich_menu_id
            ).rich_menu_id
        except RichMenuApiError as error:
            if error.status == 404:
                return None
            raise

    def alias_target(self, alias_id: str) -> str | None:
        """The rich menu an alias points to, or None when there is no such alias."""
        try:
            return self._call(
                "get rich menu alias", self._api.get_rich_menu_alias, alias_id
            ).rich_menu_id
        except RichMenuApiError as error:
            if error.status in (400, 404):
                return None
            raise

    def link_user(self, user_id: str, rich_menu_id: str) -> None:
        """Show this menu to one resident instead of the default."""
        self._call("link rich menu", self._api.link_rich_menu_id_to_user, user_id, rich_menu_id)

    def unlink_user(self, user_id: str) -> None:
        """Give one resident the default menu back (nothing happens if none was linked)."""
        self._call("unlink rich menu", self._api.unlink_rich_menu_id_from_user, user_id)

    def _call(self, operation: str, method, *args, **kwargs):
        try:
            return method(*args, _request_timeout=request_timeout(self._timeout), **kwargs)
        except ApiException as error:
            raise RichMenuApiError(operation, error.status, error_detail(error.body)) from None
        except (urllib3.exceptions.HTTPError, OSError) as error:
            raise RichMenuApiError(operation, None, type(error).__name__) from None
