"""The rich menus residents see while the webhook runs: the 職員対応中 menu linked to one resident
during a hand-over (in the language the hand-over speaks, when that one is deployed; else the
Japanese one) and taken away after it, and the default tab, which an お知らせ may change for
the time it is active.

An お知らせ starts and ends at times staff chose, with nobody uploading anything then; the
indexer only runs on uploads. So the webhook keeps the default itself: after answering, it works
out which tab should be the default now, and when that differs from what it last made sure of,
or every RECHECK_SECONDS, it asks LINE and sets it if needed. The first request after a start or
an end switches the default; in an emergency that is within seconds.

Every call happens after the replies were sent, and a failure is logged, never raised: a menu
that could not be changed never costs a resident an answer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Protocol

from madoguchi.clock import Clock, system_clock
from madoguchi.conversation.turns import MenuSwitch
from madoguchi.model import BotSettings, MenuTab
from madoguchi.notice import default_tab
from madoguchi.request_time import RequestTime
from madoguchi.richmenu.spec import STAFF_ALIAS, alias_id, staff_alias
from madoguchi.store_guard import error_fields

logger = logging.getLogger(__name__)

# A publish deploys menus with new ids behind the same alias; look the alias up again after this.
ALIAS_SECONDS = 300.0
# How often a warm webhook makes sure of the default anyway: it heals a default lost in a race
# with a deploy, at two small reads per container and period.
RECHECK_SECONDS = 300.0
RETRY_SECONDS = 60.0  # after LINE failed, so an outage does not slow every request


class UserMenuApi(Protocol):
    """What changing residents' menus needs from LINE (adapters.line_user_menus.LineUserMenus)."""

    def alias_target(self, alias_id: str) -> str | None: ...
    def link_user(self, user_id: str, rich_menu_id: str) -> None: ...
    def unlink_user(self, user_id: str) -> None: ...
    def default_menu(self) -> str | None: ...
    def set_default(self, rich_menu_id: str) -> None: ...

    request_time: RequestTime | None  # the webhook's request deadline, while one runs


class LiveMenus:
    """Changes residents' rich menus through one LINE channel; kept across requests, so the
    alias lookups are cached."""

    def __init__(self, api: UserMenuApi, clock: Clock = system_clock) -> None:
        self._api = api
        self._clock = clock
        self._aliases: dict[str, tuple[str, float]] = {}  # alias -> (menu id, looked up at)
        self._default: tuple[str, float] | None = None  # (tab made sure of as default, when)
        self._retry_at = 0.0
        self._lock = threading.Lock()

    def bound_by(self, request_time: RequestTime | None) -> None:
        """Calls to LINE from now on end by the request's deadline (None: their own timeout)."""
        self._api.request_time = request_time

    def switch(self, user_id: str, switch: MenuSwitch, language: str = "") -> bool:
        """Link the 職員対応中 menu to the resident (in `language`, the hand-over's, when that
        one is deployed), or remove their own menu; False if LINE could not be asked or refused
        (logged without the user id)."""
        try:
            if switch is MenuSwitch.DEFAULT:
                self._api.unlink_user(user_id)
                return True
            return self._link_staff_menu(user_id, language)
        except Exception as error:
            # Type, place and LINE's status only: the message of an error about a resident's
            # menu link may carry their user id.
            fields = {"switch": str(switch), "status": getattr(error, "status", None)}
            logger.warning("rich menu switch failed", extra={**fields, **error_fields(error)})
            return False

    def link_language(
        self, user_id: str, language: str, menu: Sequence[MenuTab], settings: BotSettings
    ) -> bool:
        """Link the menu translated into `language` to the resident, open at the tab everyone
        sees first now (an お知らせ's, else the first); False when none is deployed or LINE
        refused (logged without the user id)."""
        if not menu:
            return False
        now = self._clock()
        tab = menu[default_tab(menu, settings, datetime.fromtimestamp(now, UTC))].name
        alias = alias_id(tab, language)
        try:
            return self._link(user_id, alias)
        except Exception as error:
            status = getattr(error, "status", None)
            fields = {"switch": "language", "language": language, "status": status}
            logger.warning("rich menu switch failed", extra={**fields, **error_fields(error)})
            return False

    def keep_default(self, menu: Sequence[MenuTab], settings: BotSettings) -> None:
        """Make sure the tab that should be the default now (an active notice's, else the first)
        is LINE's default, when that changed or RECHECK_SECONDS after the last time."""
        if not menu:
            return
        now = self._clock()
        tab = menu[default_tab(menu, settings, datetime.fromtimestamp(now, UTC))].name
        with self._lock:
            if not self._default_due(tab, now):
                return
            self._default = (tab, now)  # other threads need not ask too
        try:
            target = self._api.alias_target(alias_id(tab))
            if target is None:
                logger.info("no rich menu deployed for the default tab")
                return
            if self._api.default_menu() != target:
                self._api.set_default(target)
                logger.info("default rich menu switched", extra={"notice_tab": tab != menu[0].name})
        except Exception as error:
            logger.warning("default rich menu check failed", extra={"error": str(error)})
            with self._lock:
                self._default = None
                self._retry_at = now + RETRY_SECONDS

    def _default_due(self, tab: str, now: float) -> bool:
        """Whether to ask LINE about the default now (the caller holds the lock)."""
        if now < self._retry_at:
            return False
        if self._default is None:
            return True
        checked, at = self._default
        return checked != tab or not 0 <= now - at < RECHECK_SECONDS

    def _link_staff_menu(self, user_id: str, language: str = "") -> bool:
        # Every language with fixed texts has its own 職員対応中 menu; until it is deployed (a
        # publish before it existed, or LINE refused it) the Japanese one, whose buttons still
        # work. Without any (an empty メニュー sheet, or LINE refused the deploy), the hand-over
        # reply's 「AIに戻る」 button is the way back.
        if language and language != "ja" and self._link(user_id, staff_alias(language)):
            return True
        return self._link(user_id, STAFF_ALIAS)

    def _link(self, user_id: str, alias: str) -> bool:
        """Link the menu behind an alias to the resident; False when there is none."""
        menu, cached = self._target(alias)
        if menu is None:
            staff = alias.startswith(STAFF_ALIAS)
            logger.info("no rich menu to link", extra={"staff": staff})
            return False
        try:
            self._api.link_user(user_id, menu)
        except Exception:
            if not cached:
                raise
            # A publish since the lookup may have replaced the menu: look again, once.
            self._forget(alias)
            menu, _ = self._target(alias)
            if menu is None:
                return False
            self._api.link_user(user_id, menu)
        return True

    def _target(self, alias: str) -> tuple[str | None, bool]:
        """The menu behind an alias and whether it came from the cache."""
        now = self._clock()
        with self._lock:
            found = self._aliases.get(alias)
        if found is not None and 0 <= now - found[1] < ALIAS_SECONDS:
            return found[0], True
        menu = self._api.alias_target(alias)
        if menu is not None:  # a menu deployed later is found at the next hand-over
            with self._lock:
                self._aliases[alias] = (menu, now)
        return menu, False

    def _forget(self, alias: str) -> None:
        with self._lock:
            self._aliases.pop(alias, None)
