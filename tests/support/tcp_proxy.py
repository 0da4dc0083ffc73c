"""A TCP proxy the test controls, to make PostgreSQL or Redis "go away" and come back.

``cut()`` closes every open connection and refuses new ones (accepts, then closes at
once, as a dead load balancer would); ``restore()`` forwards again. The app and the
worker are pointed at the proxy's port instead of the server's, so they meet a real
outage: reset connections and refused reconnects, not a mock.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading

#: h13's own ports (13000-13999), so parallel checkouts never collide.
PORT_RANGE = range(13100, 13900)


def _listen() -> socket.socket:
    """A listening socket on the first free port of the range."""
    for port in PORT_RANGE:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind(("127.0.0.1", port))
        except OSError:
            listener.close()
            continue
        listener.listen(128)
        return listener
    raise RuntimeError("no free port in the proxy range")


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.listener = _listen()
        self.port = self.listener.getsockname()[1]
        self._up = threading.Event()
        self._up.set()
        self._stop = threading.Event()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self.connections = 0
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        self.listener.settimeout(0.1)
        while not self._stop.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if not self._up.is_set():
                _close(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _close(client)
                continue
            upstream.settimeout(None)
            with self._lock:
                self._pairs.append((client, upstream))
                self.connections += 1
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        sockets = [a, b]
        try:
            while not self._stop.is_set():
                readable, _, _ = select.select(sockets, [], [], 0.2)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (b if sock is a else a).sendall(data)
        except (OSError, ValueError):
            return
        finally:
            _close(a)
            _close(b)
            with self._lock, contextlib.suppress(ValueError):
                self._pairs.remove((a, b))

    def cut(self) -> None:
        """The server "goes away": open connections reset, new ones closed at once."""
        self._up.clear()
        with self._lock:
            pairs = list(self._pairs)
        for a, b in pairs:
            _close(a)
            _close(b)

    def restore(self) -> None:
        self._up.set()

    def __enter__(self) -> TcpProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self.cut()
        _close(self.listener)
        self.thread.join(timeout=2)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
