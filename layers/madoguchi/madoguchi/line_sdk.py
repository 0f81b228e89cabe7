"""Import only the modules of line-bot-sdk that run, not its packages' everything-imports.

Importing any module of the SDK first runs its packages' __init__ files: `linebot` imports the
legacy v2 API, `linebot.v3.messaging` and `linebot.v3.webhooks` every API client, sync and async,
and with them aiohttp: most of the webhook's cold start, for code it never calls. `install()`
registers those packages as lazy ones before anything imports them: a module inside them is
imported as usual (with the modules it imports itself), and a name asked of the package (as the
SDK's own deserialisers do, `getattr(linebot.v3.messaging.models, "TextMessage")`) is imported from
its module by the SDK's naming (TextMessage in text_message.py or models/text_message.py) or,
failing that, by running the
package's real __init__ once, so every `from linebot... import Name` still works.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
import threading
from types import ModuleType
from typing import Any

# The packages whose __init__ imports far more than the webhook uses, parents first.
LAZY_PACKAGES = (
    "linebot",
    "linebot.v3",
    "linebot.v3.messaging",
    "linebot.v3.messaging.api",
    "linebot.v3.messaging.models",
    "linebot.v3.webhooks",
    "linebot.v3.webhooks.models",
)
_lock = threading.RLock()  # the preview server answers from several threads


def module_name(class_name: str) -> str:
    """The SDK's module name for a class: TextMessage -> text_message, URIAction -> uri_action."""
    words = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", class_name)
    return re.sub(r"([a-z\d])([A-Z])", r"\1_\2", words).lower()


def install() -> None:
    """Register the lazy packages (nothing to do when the SDK was imported already)."""
    with _lock:
        if "linebot" in sys.modules:
            return
        for name in LAZY_PACKAGES:
            _register(name)


def _register(name: str) -> None:
    parent, _, child = name.rpartition(".")
    search = sys.modules[parent].__path__ if parent else None
    spec = importlib.util.find_spec(name) if not parent else _find(name, search)
    if spec is None or spec.loader is None:
        return  # the SDK is not installed: its own import error will say so
    loader = spec.loader
    module = importlib.util.module_from_spec(spec)
    state = {"loaded": False}

    def load_all() -> None:
        # The package as the SDK wrote it, once; its own imports find the lazy modules.
        with _lock:
            if not state["loaded"]:
                state["loaded"] = True
                loader.exec_module(module)

    def __getattr__(attribute: str) -> Any:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        snake = module_name(attribute)
        for candidate in (attribute, snake, f"models.{snake}"):
            found = _import_from(f"{name}.{candidate}", attribute)
            if found is not None:
                # Kept on the package: the SDK's parsers ask for the same classes every event.
                setattr(module, attribute, found)
                return found
        if not state["loaded"]:
            load_all()
            return getattr(module, attribute)
        raise AttributeError(f"module {name!r} has no attribute {attribute!r}")

    setattr(module, "__getattr__", __getattr__)  # noqa: B010 (a module-level __getattr__)
    sys.modules[name] = module
    if parent:
        setattr(sys.modules[parent], child, module)


def _find(name: str, search: Any) -> Any:
    from importlib.machinery import PathFinder

    return PathFinder.find_spec(name, search)


def _import_from(module: str, attribute: str) -> Any:
    """The module itself (a subpackage or submodule named so), or the class it defines."""
    try:
        found: ModuleType = importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name is None or not module.startswith(error.name):
            raise  # a module the SDK needs is missing: not ours to hide
        return None
    if module.rpartition(".")[2] == attribute:
        return found
    return getattr(found, attribute, None)
