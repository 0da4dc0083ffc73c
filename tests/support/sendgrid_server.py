"""A small HTTP server that answers like SendGrid's v3 API, on 127.0.0.1.

The real ``sendgrid`` client is pointed at it (its ``host`` argument), so the test
covers our code, the client and the HTTP exchange. It records every request and can
be told to fail the next N requests with a given status, or with a fault:

* ``"hang"``: read the request, then say nothing for ``hang_seconds`` (past the
  client's timeout) and close; the mail is not accepted.
* ``"drop"``: read the request and close the connection without an answer; not
  accepted.
* ``"slow"``: accept the mail at once, answer 202 after ``hang_seconds`` (a worker
  killed in that gap is the documented window for a second copy).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeSendGrid:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.delivered: list[dict] = []
        self._failures: list[int | str] = []
        self.hang_seconds = 3.0
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                record = {
                    "path": self.path,
                    "authorization": self.headers.get("Authorization"),
                    "body": body,
                }
                with owner._lock:
                    owner.requests.append(record)
                    status = owner._failures.pop(0) if owner._failures else 202
                    if status in (202, "slow"):
                        owner.delivered.append(record)
                if status in ("hang", "drop"):
                    if status == "hang":
                        time.sleep(owner.hang_seconds)
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if status == "slow":
                    time.sleep(owner.hang_seconds)
                    status = 202
                self.send_response(status)
                self.send_header("X-Message-Id", f"fake-{len(owner.requests)}")
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                if status != 202:
                    self.wfile.write(json.dumps({"errors": [{"message": "fail"}]}).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def fail_next(self, *statuses: int | str) -> None:
        with self._lock:
            self._failures.extend(statuses)

    def __enter__(self) -> FakeSendGrid:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def delivered_keys(self) -> list[str]:
        """The outbox key of each accepted mail, in order (repeats show double sends)."""
        with self._lock:
            return [r["body"].get("custom_args", {}).get("outbox_key") for r in self.delivered]
