"""Put a new tabbed rich menu live without a moment of no menu, and leave nothing behind.

Order: create every new menu (the tabs, then the 職員対応中 menu) and upload its image; point each
alias at its new menu; make the first tab (or the one a notice asks for) the default; only then
delete the old menus. A failure before the default changes undoes what this deploy did (new menus
deleted, aliases pointed back), so the old menu stays live.

Each language the メニュー sheet translates gets its own set of tabs beside the Japanese one (its
aliases end with the language, so its tabs switch among themselves), linked to the residents who
write in it. Every language Madoguchi speaks gets its own 職員対応中 menu (alias
madoguchi-staff-<language>), linked to its residents while staff have the conversation, whether or
not the sheet translates the tabs. A language whose set fails is undone alone and its previous set,
if any, kept: the Japanese menu and the other languages go live regardless.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from linebot.v3.messaging import RichMenuRequest

from madoguchi.model import BotSettings, MenuTab, menu_languages
from madoguchi.richmenu.layout import layout_menu
from madoguchi.richmenu.render import render_tab
from madoguchi.richmenu.spec import (
    ALIAS_PREFIX,
    STAFF_ALIAS,
    alias_id,
    build_requests,
    deploy_id,
    deploy_of,
    staff_alias,
)
from madoguchi.richmenu.staff_menu import staff_languages, staff_menu

log = logging.getLogger(__name__)


class RichMenuApi(Protocol):
    """What deploying needs from LINE (LineRichMenuApi; tests use the loopback LINE API)."""

    def list_menus(self) -> list: ...
    def create_menu(self, request: RichMenuRequest) -> str: ...
    def upload_image(self, rich_menu_id: str, png: bytes) -> None: ...
    def delete_menu(self, rich_menu_id: str) -> None: ...
    def list_aliases(self) -> dict[str, str]: ...
    def create_alias(self, alias_id: str, rich_menu_id: str) -> None: ...
    def update_alias(self, alias_id: str, rich_menu_id: str) -> None: ...
    def delete_alias(self, alias_id: str) -> None: ...
    def set_default(self, rich_menu_id: str) -> None: ...
    def default_menu(self) -> str | None: ...


class RichMenuDeployError(RuntimeError):
    """The new menu could not be put live; the previous menu is still the one residents see."""


@dataclass
class Deployment:
    """What one deploy put live and what it cleaned up."""

    deploy_id: str
    rich_menu_ids: list[str] = field(default_factory=list)  # one per tab, in tab order
    staff_menu_id: str | None = None  # the 職員対応中 menu, linked to residents with staff
    default_tab: int = 0
    aliases: dict[str, str] = field(default_factory=dict)  # alias id -> rich menu id
    deleted_menus: list[str] = field(default_factory=list)
    deleted_aliases: list[str] = field(default_factory=list)
    cleanup_failures: list[str] = field(default_factory=list)  # left for the next deploy
    image_bytes: list[int] = field(default_factory=list)
    # Translated menus: language -> its rich menu ids in tab order; and those that failed.
    languages: dict[str, list[str]] = field(default_factory=dict)
    staff_menus: dict[str, str] = field(default_factory=dict)  # language -> its 職員対応中 menu
    failed_languages: list[str] = field(default_factory=list)
    kept: set[str] = field(default_factory=set)  # a failed language's previous menus, kept live

    def to_dict(self) -> dict:
        """Plain JSON-ready form, also the state recorded after a deploy."""
        return {
            "deploy_id": self.deploy_id,
            "rich_menu_ids": list(self.rich_menu_ids),
            "aliases": dict(self.aliases),
            "default": self.rich_menu_ids[self.default_tab] if self.rich_menu_ids else None,
            "default_tab": self.default_tab,
            "staff_menu": self.staff_menu_id,
            "staff_alias": STAFF_ALIAS if self.staff_menu_id else None,
            "deleted_menus": list(self.deleted_menus),
            "deleted_aliases": list(self.deleted_aliases),
            "cleanup_failures": list(self.cleanup_failures),
            "image_bytes": list(self.image_bytes),
            "languages": {code: list(ids) for code, ids in self.languages.items()},
            "staff_menus": dict(self.staff_menus),
            "failed_languages": list(self.failed_languages),
        }


def prepare(
    menu: Sequence[MenuTab], menu_hash: str, language: str | None = None
) -> tuple[str, list[RichMenuRequest], list[bytes]]:
    """Everything to send, computed before the first call, so a bad menu changes nothing."""
    deploy = deploy_id(menu_hash)
    layouts = layout_menu(menu)
    requests = build_requests(menu, layouts, deploy, language)
    images = [render_tab(menu, layout, language).png for layout in layouts]
    return deploy, requests, images


def deploy_menu(
    api: RichMenuApi,
    menu: Sequence[MenuTab],
    menu_hash: str,
    *,
    default_tab: int = 0,
    settings: BotSettings | None = None,
) -> Deployment:
    """Deploy the menu with `default_tab` (an index; 0 unless a notice asks for another tab) as
    the default; raises RichMenuDeployError after undoing a failed attempt. `settings`: the
    city's own wording of the translated 職員対応中 menus' texts.

    An empty menu removes Madoguchi's menus and aliases: the staff took the menu out.
    """
    if not menu:
        result = Deployment(deploy_id(menu_hash))
        _clean_up(api, result)
        return result
    deploy, requests, images = prepare(menu, menu_hash)
    staff = staff_menu(deploy)
    default_tab = default_tab if 0 <= default_tab < len(menu) else 0
    result = Deployment(deploy, default_tab=default_tab, image_bytes=[len(png) for png in images])
    aliases = [*(alias_id(tab.name) for tab in menu), STAFF_ALIAS]
    created: list[str] = []
    repointed: dict[str, str] = {}  # alias -> menu it pointed to before this deploy
    new_aliases: list[str] = []
    try:
        for request, png in [*zip(requests, images, strict=True), (staff.request, staff.png)]:
            created.append(api.create_menu(request))
            api.upload_image(created[-1], png)
        existing = api.list_aliases()
        _point_aliases(api, aliases, created, existing, repointed, new_aliases)
        api.set_default(created[default_tab])
    except Exception as error:
        _undo(api, created, repointed, new_aliases)
        raise RichMenuDeployError(f"rich menu deploy {deploy} failed: {error}") from error
    result.rich_menu_ids = created[: len(menu)]
    result.staff_menu_id = created[-1]
    result.aliases = dict(zip(aliases, created, strict=True))
    translated = menu_languages(menu)
    for language in translated:
        _deploy_language(api, menu, menu_hash, language, result, settings)
    # The other languages' 職員対応中 menus alone; their aliases are not touched before, so one
    # listing serves them all.
    staff_only = [code for code in staff_languages() if code not in translated]
    listed = _aliases_or_none(api) if staff_only else None
    for language in staff_only:
        _deploy_language(api, (), menu_hash, language, result, settings, listed)
    _clean_up(api, result)
    return result


def _point_aliases(
    api: RichMenuApi,
    aliases: Sequence[str],
    created: Sequence[str],
    existing: dict[str, str],
    repointed: dict[str, str],
    new_aliases: list[str],
) -> None:
    """Point each alias at its new menu, noting what an undo must restore or delete."""
    for alias, rich_menu_id in zip(aliases, created, strict=True):
        if alias in existing:
            api.update_alias(alias, rich_menu_id)
            repointed[alias] = existing[alias]
        else:
            api.create_alias(alias, rich_menu_id)
            new_aliases.append(alias)


def _aliases_or_none(api: RichMenuApi) -> dict[str, str] | None:
    """The aliases now, or None when LINE would not say (each language then asks itself)."""
    try:
        return api.list_aliases()
    except Exception:
        return None


def _deploy_language(
    api: RichMenuApi,
    menu: Sequence[MenuTab],
    menu_hash: str,
    language: str,
    result: Deployment,
    settings: BotSettings | None = None,
    listed: dict[str, str] | None = None,
) -> None:
    """One language's translated set of tabs (none when `menu` is empty: the sheet does not
    translate it) and its 職員対応中 menu, with their own aliases; a failure is logged, undone
    and leaves that language's previous set live (no default changes: residents get it by a
    link). `listed`: the aliases as they are, when already asked."""
    aliases = [*(alias_id(tab.name, language) for tab in menu), staff_alias(language)]
    created: list[str] = []
    repointed: dict[str, str] = {}
    new_aliases: list[str] = []
    existing: dict[str, str] = {}
    try:
        # First: what to keep should this language fail.
        existing = api.list_aliases() if listed is None else listed
        deploy = deploy_id(menu_hash)
        requests: list[RichMenuRequest] = []
        images: list[bytes] = []
        if menu:
            deploy, requests, images = prepare(menu, menu_hash, language)
        staff = staff_menu(deploy, language, settings)
        requests, images = [*requests, staff.request], [*images, staff.png]
        for request, png in zip(requests, images, strict=True):
            created.append(api.create_menu(request))
            api.upload_image(created[-1], png)
        _point_aliases(api, aliases, created, existing, repointed, new_aliases)
    except Exception as error:
        log.error(
            "translated rich menu deploy failed; its previous menus stay",
            extra={"language": language, "error": type(error).__name__},
        )
        _undo(api, created, repointed, new_aliases)
        result.failed_languages.append(language)
        # What this language showed before stays: its aliases and the menus behind them.
        for alias in aliases:
            if alias in existing:
                result.aliases[alias] = existing[alias]
                result.kept.add(existing[alias])
        return
    if menu:
        result.languages[language] = created[: len(menu)]
    result.staff_menus[language] = created[-1]
    result.aliases.update(zip(aliases, created, strict=True))
    result.image_bytes.extend(len(png) for png in images)


def live_deploy_id(api: RichMenuApi) -> str | None:
    """The deploy id of the default menu when it is one of ours (asks LINE, no stored state)."""
    default = api.default_menu()
    if default is None:
        return None
    names = {menu.rich_menu_id: menu.name for menu in api.list_menus()}
    return deploy_of(names.get(default))


def _undo(
    api: RichMenuApi, created: list[str], repointed: dict[str, str], new_aliases: list[str]
) -> None:
    """Best effort: whatever cannot be undone now is removed by the next deploy's clean-up."""
    steps: list[tuple[Callable[..., None], tuple[str, ...]]] = [
        (api.update_alias, (alias, old)) for alias, old in repointed.items()
    ]
    steps += [(api.delete_alias, (alias,)) for alias in new_aliases]
    steps += [(api.delete_menu, (rich_menu_id,)) for rich_menu_id in created]
    for step, args in steps:
        try:
            step(*args)
        except Exception:
            log.warning("undoing a failed rich menu deploy: %s failed", step.__name__)


def _clean_up(api: RichMenuApi, result: Deployment) -> None:
    """Delete our menus and aliases that are not part of the live deploy (older or half-made)."""
    live = {*result.rich_menu_ids, result.staff_menu_id, *result.kept}
    live.update(i for ids in result.languages.values() for i in ids)
    live.update(result.staff_menus.values())
    try:
        aliases = api.list_aliases()
        menus = api.list_menus()
    except Exception as error:
        result.cleanup_failures.append(f"list: {error}")
        return
    for alias in aliases:
        if alias.startswith(ALIAS_PREFIX) and alias not in result.aliases:
            _try(api.delete_alias, alias, result.deleted_aliases, result)
    for menu in menus:
        if deploy_of(menu.name) is not None and menu.rich_menu_id not in live:
            _try(api.delete_menu, menu.rich_menu_id, result.deleted_menus, result)


def _try(step, target: str, done: list[str], result: Deployment) -> None:
    try:
        step(target)
        done.append(target)
    except Exception as error:
        log.warning("rich menu clean-up: %s %s failed", step.__name__, target)
        result.cleanup_failures.append(f"{step.__name__} {target}: {error}")
