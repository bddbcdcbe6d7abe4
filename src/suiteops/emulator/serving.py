"""Serving an ASGI app with uvicorn on a background thread, on a socket bound up front."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import uvicorn

from suiteops.emulator.governor import Governor
from suiteops.errors import ConfigError

START_TIMEOUT_SECONDS = 120.0


def serve_in_thread(
    app: Governor, host: str, port: int
) -> tuple[uvicorn.Server, threading.Thread, str]:
    """Serve `app` on `host:port` (0: any free port); return once `/health` answers."""
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted sockets only when the
    # listening socket says so, and without it Nagle + delayed ACK add ~40 ms per response.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"emulator cannot listen on {host}:{port}: {exc}") from None
    host, port = sock.getsockname()[:2]
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            http="h11",
            loop="asyncio",
            lifespan="off",
            log_config=None,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=2,
            limit_max_requests=None,
        )
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"suiteops-emulator-{port}", daemon=True
    )
    thread.start()
    base_url = f"http://{host}:{port}"
    _wait_healthy(base_url, thread)
    return server, thread, base_url


def _wait_healthy(base_url: str, thread: threading.Thread) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline and thread.is_alive():
        try:
            if httpx.get(f"{base_url}/health", timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.02)
    raise ConfigError(f"the emulator at {base_url} did not become healthy")
