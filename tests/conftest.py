"""Suite-wide fixtures: no test may touch the network (agentlint is hermetic)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"


class NetworkBlocked(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Any socket connection attempt fails the test (AF_UNIX is allowed for subprocess plumbing)."""
    if request.node.get_closest_marker("allow_subprocess_network"):
        return

    def guard(self: socket.socket, address: object, *args: object, **kwargs: object) -> None:
        if self.family == socket.AF_UNIX:
            return original_connect(self, address)
        raise NetworkBlocked(f"network access attempted: {address!r}")

    original_connect = socket.socket.connect
    monkeypatch.setattr(socket.socket, "connect", guard)
    monkeypatch.setattr(socket.socket, "connect_ex", guard)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: (_ for _ in ()).throw(NetworkBlocked(str(a))))


def pytest_configure(config: pytest.Config) -> None:
    # No test run of the CLI writes .agentlint_cache/ into the repository or a fixture
    # project; tests/test_cache.py turns the cache back on in temporary folders.
    os.environ.setdefault("AGENTLINT_NO_CACHE", "1")
    config.addinivalue_line("markers", "allow_subprocess_network: test runs a subprocess that may use sockets")
