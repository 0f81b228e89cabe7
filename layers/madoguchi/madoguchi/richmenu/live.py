"""The rich menus residents see while the webhook runs: the 職員対応中 menu linked to one resident
during a hand-over, and taken away after it.

Every call happens after the reply was sent, and a failure is logged, never raised: a menu that
could not be changed never costs a resident an answer.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from madoguchi.clock import Clock, system_clock
from madoguchi.conversation.turns import MenuSwitch
from madoguchi.richmenu.staff_menu import STAFF_ALIAS

logger = logging.getLogger(__name__)

# A publish deploys menus with new ids behind the same alias; look the alias up again after this.
ALIAS_SECONDS = 300.0


class UserMenuApi(Protocol):
    """What changing residents' menus needs from LINE (LineRichMenuApi)."""

    def alias_target(self, alias_id: str) -> str | None: ...
    def link_user(self, user_id: str, rich_menu_id: str) -> None: ...
    def unlink_user(self, user_id: str) -> None: ...


class LiveMenus:
    """Changes residents' rich menus through one LINE channel; kept across requests, so the
    alias lookups are cached."""

    def __init__(self, api: UserMenuApi, clock: Clock = system_clock) -> None:
        self._api = api
        self._clock = clock
        self._aliases: dict[str, tuple[str, float]] = {}  # alias -> (menu id, looked up at)
        self._lock = threading.Lock()

    def switch(self, user_id: str, switch: MenuSwitch) -> bool:
        """Link the 職員対応中 menu to the resident, or remove their own menu; False if LINE
        could not be asked or refused (logged without the user id)."""
        try:
            if switch is MenuSwitch.DEFAULT:
                self._api.unlink_user(user_id)
                return True
            return self._link_staff_menu(user_id)
        except Exception as error:
            logger.warning(
                "rich menu switch failed", extra={"switch": str(switch), "error": str(error)}
            )
            return False

    def _link_staff_menu(self, user_id: str) -> bool:
        menu, cached = self._target(STAFF_ALIAS)
        if menu is None:
            # No menu deployed (an empty メニュー sheet, or LINE refused the deploy): the
            # hand-over reply's 「AIに戻る」 button is the way back.
            logger.info("no staff menu to link")
            return False
        try:
            self._api.link_user(user_id, menu)
        except Exception:
            if not cached:
                raise
            # A publish since the lookup may have replaced the menu: look again, once.
            self._forget(STAFF_ALIAS)
            menu, _ = self._target(STAFF_ALIAS)
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
