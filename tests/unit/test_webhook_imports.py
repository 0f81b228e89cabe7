"""The webhook function imports only what it runs: not the publish workflow and its workbook
reader (openpyxl), not the rich menu drawing (Pillow), not the LINE SDK's generated API clients
(the reply and the per-resident menus go through its ApiClient), async ones and aiohttp."""

import json
import os
import socket
import subprocess
import sys

NOT_IMPORTED = (
    "openpyxl",
    "PIL",
    "aiohttp",
    "madoguchi.publish.workflow",
    "madoguchi.richmenu.sync",
    "linebot.v3.messaging.api.messaging_api",
    "linebot.v3.messaging.api.messaging_api_blob",
    "linebot.v3.messaging.api.async_messaging_api",
    "linebot.v3.messaging.api.async_messaging_api_blob",
    "linebot.api",
)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_webhook_function_does_not_import_what_it_never_runs(tmp_path):
    env = {
        **os.environ,
        "MADOGUCHI_LOCAL_DIR": str(tmp_path),
        "MADOGUCHI_STATE_PATH": str(tmp_path / "state.sqlite3"),
        "MADOGUCHI_LOCAL_CHANNEL_SECRET": "secret",
        "MADOGUCHI_LOCAL_ACCESS_TOKEN": "token",
        "POWERTOOLS_METRICS_NAMESPACE": "MadoguchiTest",
        # Nobody listens there: the reply fails at once, and never goes to the internet.
        "MADOGUCHI_LINE_API_BASE": f"http://127.0.0.1:{closed_port()}",
    }
    script = (
        "import json, sys\n"
        "import functions.webhook.app\n"
        "from tests.support import line_events as ev\n"
        "from madoguchi.webhook import handle_webhook\n"
        "body, signature = ev.signed_body(ev.text_event('粗大ごみ'), secret='secret')\n"
        "outcome = handle_webhook(body, signature, deps=functions.webhook.app.DEPS)\n"
        "print(json.dumps([outcome.status, sorted(sys.modules)]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    status, modules = json.loads(done.stdout.strip().splitlines()[-1])
    assert status == 200  # the event was parsed and handled (nothing published: "not ready")
    assert "linebot.v3.webhooks.models.message_event" in modules
    loaded = {m for m in modules for name in NOT_IMPORTED if m == name or m.startswith(name + ".")}
    assert loaded == set()
