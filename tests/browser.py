"""What the browser tests share: Debian's Chromium (skip with the reason when it is missing), where screenshots
go, and the real app served by uvicorn on a free loopback port for the length of a fixture."""
from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("JIEBANG_CHROMIUM") or "/usr/bin/chromium")  # Debian's, as .ci/run installs it
# Written under var/ (ignored) on every run; JIEBANG_SCREENS=tests/artefacts/screens refreshes the committed set.
SCREENS = Path(os.environ.get("JIEBANG_SCREENS")
               or Path(__file__).resolve().parents[1] / "var" / "test-artefacts" / "screens")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no browser: {CHROMIUM} is not installed "
                                    "(apt-get install chromium fonts-noto-cjk; .ci/run does this)")


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(services: Any) -> Iterator[str]:
    """The real app over ``services`` on a free loopback port (uvicorn in a thread); yields its base URL."""
    import uvicorn

    from api.http.app import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(services=services), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless, as root in a sandbox-less container."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
