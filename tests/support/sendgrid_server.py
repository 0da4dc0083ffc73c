"""A small HTTP server that answers like SendGrid's v3 API, on 127.0.0.1.

The real ``sendgrid`` client is pointed at it (its ``host`` argument), so the test
covers our code, the client and the HTTP exchange. It records every request and can
be told to fail the next N requests with a given status.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeSendGrid:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.delivered: list[dict] = []
        self._failures: list[int] = []
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
                    if status == 202:
                        owner.delivered.append(record)
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

    def fail_next(self, *statuses: int) -> None:
        with self._lock:
            self._failures.extend(statuses)

    def __enter__(self) -> FakeSendGrid:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
