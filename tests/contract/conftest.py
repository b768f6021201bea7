from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from agent_relay.models import metadata
from agent_relay_client import RelayClient

from tests.support import ServerProcess


def wipe_keeping_events(url: str) -> None:
    """Empty the tables under a running server, except the event log: a running server
    only trusts event ids above the last one it saw, so they must keep rising."""
    engine = sa.create_engine(url)
    tables = [t.name for t in reversed(metadata.sorted_tables) if t.name != "events"]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
        else:
            for table in tables:
                conn.exec_driver_sql(f'DELETE FROM "{table}"')
    engine.dispose()


@pytest.fixture(scope="module")
def shared_server(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One server per module and backend (starting one costs seconds); `relay` empties its
    tables before each test. Tests that restart or reconfigure a server use `live_server`."""
    server = ServerProcess(database, tmp_path_factory.mktemp("shared-server")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def relay(shared_server: ServerProcess, database: str) -> Iterator[RelayClient]:
    wipe_keeping_events(database)
    with RelayClient(shared_server.url, token="") as client:
        yield client


class DroppingProxy:
    """A TCP forwarder in front of the relay that can cut every open connection,
    like a flaky network or a proxy restart."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            with self.lock:
                self.sockets += [client, upstream]
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(src, dst), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def drop_all(self) -> int:
        with self.lock:
            sockets, self.sockets = self.sockets, []
        for s in sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()
        return len(sockets) // 2

    def close(self) -> None:
        self.closed = True
        self.listener.close()
        self.drop_all()


@pytest.fixture
def proxy(live_server: ServerProcess) -> Iterator[DroppingProxy]:
    p = DroppingProxy(live_server.port)
    try:
        yield p
    finally:
        p.close()
