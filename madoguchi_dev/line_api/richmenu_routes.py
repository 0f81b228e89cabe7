"""Rich menu endpoints of the loopback LINE API: menus, images, aliases, the default menu and the
menus linked to one user.

Strict like LINE where Madoguchi depends on it: sizes and areas are checked, an image must match
its menu's size and can be uploaded once, a menu needs its image before it can become the default,
get an alias or be linked to a user, and user ids must look like LINE's. Deleting a menu unlinks
it from its users, as on LINE. Every call is recorded by the server; `fail_on` makes one chosen
call fail.
"""

from __future__ import annotations

import json
import re
import struct
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from madoguchi_dev.line_api.rules import ReceivedCall, Response, error, validate_action

MAX_AREAS = 20
MAX_IMAGE_BYTES = 1_000_000
MAX_NAME = 300
MAX_CHAT_BAR_TEXT = 14
MAX_SWITCH_DATA = 300
ALIAS_PATTERN = re.compile(r"^[a-z0-9_-]{1,32}$")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"

_MENU = r"(?P<menu>richmenu-[0-9a-f]{32})"
_ALIAS = r"(?P<alias>[^/?]+)"
_USER = r"(?P<user>(?!all/)[^/?]+)"  # checked in the handler, so a bad id gets LINE's 400
USER_ID = re.compile(r"^U[0-9a-f]{32}$")


@dataclass
class RichMenu:
    """One stored rich menu."""

    rich_menu_id: str
    body: dict[str, Any]
    image: bytes | None = None
    image_type: str | None = None

    def listed(self) -> dict[str, Any]:
        """The menu as LINE lists it."""
        return {"richMenuId": self.rich_menu_id, **self.body}


@dataclass
class _Failure:
    method: str
    path: re.Pattern[str]
    status: int
    skip: int  # matching calls to let through before failing


@dataclass
class RichMenuRoutes:
    """State and handlers for the rich menu API; the server asks `route()` for unknown paths."""

    menus: dict[str, RichMenu] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # alias id -> rich menu id
    default: str | None = None
    linked: dict[str, str] = field(default_factory=dict)  # user id -> rich menu id
    _failures: list[_Failure] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_on(self, method: str, path_pattern: str, status: int = 500, *, after: int = 0) -> None:
        """Fail one matching call with `status`, after letting `after` matching calls through."""
        with self._lock:
            self._failures.append(_Failure(method, re.compile(path_pattern), status, after))

    def route(self, method: str, path: str):
        """The handler for a rich menu request, or None when the path is not a rich menu one."""
        path = path.split("?", 1)[0]
        for verb, pattern, handler in self._table():
            match = re.fullmatch(pattern, path)
            if verb == method and match:
                return _RawRoute(self, handler, match.groupdict())
        return None

    def _table(self):
        return (
            ("POST", r"/v2/bot/richmenu", self._create),
            ("GET", r"/v2/bot/richmenu/list", self._list),
            ("GET", r"/v2/bot/richmenu/alias/list", self._list_aliases),
            ("POST", r"/v2/bot/richmenu/alias", self._create_alias),
            ("POST", rf"/v2/bot/richmenu/alias/{_ALIAS}", self._update_alias),
            ("GET", rf"/v2/bot/richmenu/alias/{_ALIAS}", self._get_alias),
            ("DELETE", rf"/v2/bot/richmenu/alias/{_ALIAS}", self._delete_alias),
            ("POST", rf"/v2/bot/richmenu/{_MENU}/content", self._upload),
            ("GET", rf"/v2/bot/richmenu/{_MENU}", self._get),
            ("DELETE", rf"/v2/bot/richmenu/{_MENU}", self._delete),
            ("POST", rf"/v2/bot/user/all/richmenu/{_MENU}", self._set_default),
            ("GET", r"/v2/bot/user/all/richmenu", self._get_default),
            ("DELETE", r"/v2/bot/user/all/richmenu", self._cancel_default),
            ("POST", rf"/v2/bot/user/{_USER}/richmenu/{_MENU}", self._link),
            ("GET", rf"/v2/bot/user/{_USER}/richmenu", self._linked_menu),
            ("DELETE", rf"/v2/bot/user/{_USER}/richmenu", self._unlink),
        )

    def _injected_failure(self, call: ReceivedCall) -> Response | None:
        with self._lock:
            for failure in self._failures:
                if failure.method == call.method and failure.path.search(call.path):
                    if failure.skip > 0:
                        failure.skip -= 1
                        return None
                    self._failures.remove(failure)
                    return error(failure.status, "Internal server error")
        return None

    # --- menus -----------------------------------------------------------------------------
    def _create(self, call: ReceivedCall, raw: bytes) -> Response:
        body, problem = _json_body(call, raw)
        if problem:
            return problem
        details = validate_rich_menu(body)
        if details:
            return error(400, "The request body has errors", details)
        rich_menu_id = "richmenu-" + uuid.uuid4().hex
        with self._lock:
            self.menus[rich_menu_id] = RichMenu(rich_menu_id, body)
        return Response(200, {"richMenuId": rich_menu_id})

    def _list(self, call: ReceivedCall, raw: bytes) -> Response:
        with self._lock:
            return Response(200, {"richmenus": [m.listed() for m in self.menus.values()]})

    def _get(self, call: ReceivedCall, raw: bytes, menu: str) -> Response:
        with self._lock:
            found = self.menus.get(menu)
        return Response(200, found.listed()) if found else error(404, "Not found")

    def _delete(self, call: ReceivedCall, raw: bytes, menu: str) -> Response:
        with self._lock:
            if self.menus.pop(menu, None) is None:
                return error(404, "Not found")
            if self.default == menu:
                self.default = None  # LINE shows no default menu after deleting it
            # Users it was linked to see the default menu again.
            self.linked = {user: m for user, m in self.linked.items() if m != menu}
        return Response(200, {})

    def _upload(self, call: ReceivedCall, raw: bytes, menu: str) -> Response:
        content_type = call.headers.get("content-type", "").split(";")[0].strip()
        if content_type not in ("image/png", "image/jpeg"):
            return error(415, "Unsupported Media Type")
        if not raw or len(raw) > MAX_IMAGE_BYTES:
            return error(400, "The image file size must be 1MB or less")
        with self._lock:
            found = self.menus.get(menu)
            if found is None:
                return error(404, "Not found")
            if found.image is not None:
                return error(400, "An image has already been uploaded to the richmenu")
            size = _image_size(raw, content_type)
            if size is None:
                return error(400, "The image could not be read")
            expected = (found.body["size"]["width"], found.body["size"]["height"])
            if size != (None, None) and size != expected:
                return error(400, f"The image size must match the rich menu size {expected}")
            found.image, found.image_type = raw, content_type
        return Response(200, {})

    # --- default menu ----------------------------------------------------------------------
    def _set_default(self, call: ReceivedCall, raw: bytes, menu: str) -> Response:
        with self._lock:
            found = self.menus.get(menu)
            if found is None:
                return error(404, "Not found")
            if found.image is None:
                return error(400, "must upload richmenu image before applying it to user")
            self.default = menu
        return Response(200, {})

    def _get_default(self, call: ReceivedCall, raw: bytes) -> Response:
        with self._lock:
            default = self.default
        if default is None:
            return error(404, "no default richmenu")
        return Response(200, {"richMenuId": default})

    def _cancel_default(self, call: ReceivedCall, raw: bytes) -> Response:
        with self._lock:
            self.default = None
        return Response(200, {})

    # --- one user's menu -------------------------------------------------------------------
    def _link(self, call: ReceivedCall, raw: bytes, user: str, menu: str) -> Response:
        if not USER_ID.match(user):
            return error(400, "The value for the 'userId' parameter is invalid")
        with self._lock:
            found = self.menus.get(menu)
            if found is None:
                return error(404, "richmenu not found")
            if found.image is None:
                return error(400, "must upload richmenu image before applying it to user")
            self.linked[user] = menu
        return Response(200, {})

    def _linked_menu(self, call: ReceivedCall, raw: bytes, user: str) -> Response:
        if not USER_ID.match(user):
            return error(400, "The value for the 'userId' parameter is invalid")
        with self._lock:
            menu = self.linked.get(user)
        if menu is None:
            return error(404, "the user has no richmenu")
        return Response(200, {"richMenuId": menu})

    def _unlink(self, call: ReceivedCall, raw: bytes, user: str) -> Response:
        if not USER_ID.match(user):
            return error(400, "The value for the 'userId' parameter is invalid")
        with self._lock:
            self.linked.pop(user, None)  # LINE answers 200 when nothing was linked too
        return Response(200, {})

    # --- aliases ---------------------------------------------------------------------------
    def _create_alias(self, call: ReceivedCall, raw: bytes) -> Response:
        body, problem = _json_body(call, raw)
        if problem:
            return problem
        alias, menu = body.get("richMenuAliasId"), body.get("richMenuId")
        if not isinstance(alias, str) or not ALIAS_PATTERN.match(alias):
            return error(400, "richMenuAliasId is invalid")
        with self._lock:
            if alias in self.aliases:
                return error(400, "conflict richmenu alias id")
            problem = self._alias_target_problem(menu)
            if problem:
                return problem
            self.aliases[alias] = menu
        return Response(200, {})

    def _update_alias(self, call: ReceivedCall, raw: bytes, alias: str) -> Response:
        body, problem = _json_body(call, raw)
        if problem:
            return problem
        with self._lock:
            if alias not in self.aliases:
                return error(400, "richmenu alias not found")
            problem = self._alias_target_problem(body.get("richMenuId"))
            if problem:
                return problem
            self.aliases[alias] = body["richMenuId"]
        return Response(200, {})

    def _get_alias(self, call: ReceivedCall, raw: bytes, alias: str) -> Response:
        with self._lock:
            menu = self.aliases.get(alias)
        if menu is None:
            return error(404, "Not found")
        return Response(200, {"richMenuAliasId": alias, "richMenuId": menu})

    def _delete_alias(self, call: ReceivedCall, raw: bytes, alias: str) -> Response:
        with self._lock:
            if self.aliases.pop(alias, None) is None:
                return error(404, "Not found")
        return Response(200, {})

    def _list_aliases(self, call: ReceivedCall, raw: bytes) -> Response:
        with self._lock:
            aliases = [{"richMenuAliasId": a, "richMenuId": m} for a, m in self.aliases.items()]
        return Response(200, {"aliases": aliases})

    def _alias_target_problem(self, menu: Any) -> Response | None:
        """Caller holds the lock."""
        found = self.menus.get(menu) if isinstance(menu, str) else None
        if found is None:
            return error(400, "richmenu not found")
        if found.image is None:
            return error(400, "must upload richmenu image before creating alias")
        return None


@dataclass(frozen=True)
class _RawRoute:
    """A matched route; takes the raw body, since image uploads and empty POSTs are not JSON."""

    routes: RichMenuRoutes
    handler: Any
    params: dict[str, str]
    raw_body = True

    def __call__(self, call: ReceivedCall) -> Response:
        raw = call.body if isinstance(call.body, bytes) else b""
        failure = self.routes._injected_failure(call)
        if failure is not None:
            return failure
        return self.handler(call, raw, **self.params)


def validate_rich_menu(body: Any) -> list[dict[str, str]]:
    """Check a rich menu object as LINE does (size, name, chat bar text, areas and actions)."""
    if not isinstance(body, dict):
        return [_detail("", "must be an object")]
    details: list[dict[str, str]] = []
    size = body.get("size")
    width = size.get("width") if isinstance(size, dict) else None
    height = size.get("height") if isinstance(size, dict) else None
    if not isinstance(width, int) or not isinstance(height, int):
        return [_detail("size", "must be specified")]
    if not 800 <= width <= 2500 or height < 250 or width / height < 1.45:
        details.append(_detail("size", "width 800-2500, height >= 250, width/height >= 1.45"))
    if not isinstance(body.get("selected"), bool):
        details.append(_detail("selected", "must be specified"))
    for key, limit in (("name", MAX_NAME), ("chatBarText", MAX_CHAT_BAR_TEXT)):
        value = body.get(key)
        if not isinstance(value, str) or not value or len(value) > limit:
            details.append(_detail(key, f"Length must be between 1 and {limit}"))
    areas = body.get("areas")
    if not isinstance(areas, list) or len(areas) > MAX_AREAS:
        return [*details, _detail("areas", f"Size must be between 0 and {MAX_AREAS}")]
    for i, area in enumerate(areas):
        details += _validate_area(area, f"areas[{i}]", width, height)
    return details


def _validate_area(area: Any, prop: str, width: int, height: int) -> list[dict[str, str]]:
    if not isinstance(area, dict) or not isinstance(area.get("bounds"), dict):
        return [_detail(f"{prop}.bounds", "must be specified")]
    bounds = area["bounds"]
    values = [bounds.get(k) for k in ("x", "y", "width", "height")]
    if not all(isinstance(v, int) for v in values):
        return [_detail(f"{prop}.bounds", "x, y, width and height must be integers")]
    x, y, w, h = values
    details = []
    if x < 0 or y < 0 or w < 1 or h < 1 or x + w > width or y + h > height:
        details.append(_detail(f"{prop}.bounds", "must be inside the rich menu image"))
    action = area.get("action")
    if isinstance(action, dict) and action.get("type") == "richmenuswitch":
        alias = action.get("richMenuAliasId")
        if not isinstance(alias, str) or not ALIAS_PATTERN.match(alias):
            details.append(_detail(f"{prop}.action.richMenuAliasId", "invalid alias id"))
        data = action.get("data")
        if not isinstance(data, str) or not data or len(data) > MAX_SWITCH_DATA:
            details.append(_detail(f"{prop}.action.data", "Length must be between 1 and 300"))
    else:
        details += validate_action(action, f"{prop}.action", label_limit=None)
    return details


def _detail(prop: str, message: str) -> dict[str, str]:
    return {"message": message, "property": prop}


def _json_body(call: ReceivedCall, raw: bytes) -> tuple[Any, Response | None]:
    if not call.headers.get("content-type", "").startswith("application/json"):
        return None, error(415, "Unsupported Media Type")
    try:
        body = json.loads(raw)
    except ValueError:
        return None, error(400, "The request body could not be parsed as JSON")
    if not isinstance(body, dict):
        return None, error(400, "The request body must be a JSON object")
    return body, None


def _image_size(raw: bytes, content_type: str) -> tuple[int, int] | tuple[None, None] | None:
    """(width, height) of a PNG; (None, None) for a JPEG (not measured); None if unreadable."""
    if content_type == "image/jpeg":
        return (None, None) if raw.startswith(JPEG_SIGNATURE) else None
    if not raw.startswith(PNG_SIGNATURE) or raw[12:16] != b"IHDR" or len(raw) < 24:
        return None
    width, height = struct.unpack(">II", raw[16:24])
    return width, height
