"""Issue 15, item 15: a client that resets its keep-alive connection to the demo site is
not an error, and ``jianbao demo`` printed its ConnectionResetError traceback anyway."""

from __future__ import annotations

import socket
import struct
import time

import pytest

from jianbao.demo.site import DemoSite


def _reset_after_one_request(site: DemoSite) -> None:
    """One keep-alive request answered, then the connection reset (RST, not FIN) while the
    server waits for the next request: what aiohttp does when it drops an idle connection."""
    with socket.create_connection(("127.0.0.1", site.port), timeout=5) as conn:
        conn.sendall(b"GET /nothing-here HTTP/1.1\r\nHost: demo\r\n\r\n")
        answer = b""
        while b"404 not found</body></html>" not in answer:
            chunk = conn.recv(4096)
            if not chunk:
                break
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 404")
        # SO_LINGER on with a zero timeout: close() sends RST
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def test_a_client_resetting_its_connection_prints_no_traceback(
    demo_site: DemoSite, capfd: pytest.CaptureFixture[str]
) -> None:
    for _ in range(3):
        _reset_after_one_request(demo_site)
    time.sleep(0.3)  # the handler threads read the reset
    assert "Traceback" not in capfd.readouterr().err
