"""Test helper: a real HTTP server (stdlib) on a free port that answers canned responses and
records every request, so the client's HTTP handling is tested over a real socket."""

import http.server
import json
import threading
import urllib.parse


class Recorded:
    def __init__(self, method, path, query, headers, body):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)


class StubServer:
    """``server.on("POST", "/api/v1/jobs/backfill", 202, {"id": 7})``; a handler may also be a
    function of the Recorded request returning (status, body[, content type])."""

    def __init__(self):
        self.routes = {}
        self.requests = []
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _serve(self):
                url = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                request = Recorded(self.command, url.path, dict(urllib.parse.parse_qsl(url.query)), dict(self.headers), body)
                stub.requests.append(request)
                answer = stub.routes.get((self.command, url.path))
                if answer is None:
                    status, payload, content_type = 404, {"title": "Not Found", "detail": f"no stub for {url.path}"}, "application/problem+json"
                else:
                    answer = answer(request) if callable(answer) else answer
                    status, payload = answer[0], answer[1]
                    content_type = answer[2] if len(answer) > 2 else ("application/problem+json" if status >= 400 else "application/json")
                data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = _serve

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def on(self, method, path, status, body=None, content_type=None):
        self.routes[(method, path)] = (status, body if body is not None else {}) + ((content_type,) if content_type else ())
        return self

    def answer(self, method, path, handler):
        self.routes[(method, path)] = handler
        return self

    def sent(self, method, path):
        return [r for r in self.requests if r.method == method and r.path == path]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
