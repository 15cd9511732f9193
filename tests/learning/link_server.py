"""A local HTTP(S) server with one route per link fault, so link checks are tested without the internet."""

import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SLOW_SECONDS = 2.0


class LinkFaultHandler(BaseHTTPRequestHandler):
    """Routes: /ok, /chain/N (301 down to /ok), /missing (404), /broken (500), /slow, /loop-a <-> /loop-b (302),
    /no-head (405 to HEAD, 200 to GET), /busy (200 after a short pause, counting requests in flight)."""

    in_flight = 0
    most_in_flight = 0
    requests: list[tuple[str, str]] = []
    lock = threading.Lock()

    def log_message(self, *args) -> None:  # keep the test output quiet
        pass

    def do_HEAD(self) -> None:
        self._route("HEAD")

    def do_GET(self) -> None:
        self._route("GET")

    def _route(self, method: str) -> None:
        with self.lock:
            self.requests.append((method, self.path))
        path = self.path
        if path == "/ok":
            self._answer(200)
        elif path.startswith("/chain/"):
            hops = int(path.rsplit("/", 1)[1])
            self._answer(301, location="/ok" if hops <= 1 else f"/chain/{hops - 1}")
        elif path == "/missing":
            self._answer(404)
        elif path == "/broken":
            self._answer(500)
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._answer(200)
        elif path == "/loop-a":
            self._answer(302, location="/loop-b")
        elif path == "/loop-b":
            self._answer(302, location="/loop-a")
        elif path == "/no-head":
            self._answer(405 if method == "HEAD" else 200)
        elif path.startswith("/busy"):
            cls = type(self)
            with self.lock:
                cls.in_flight += 1
                cls.most_in_flight = max(cls.most_in_flight, cls.in_flight)
            time.sleep(0.2)
            with self.lock:
                cls.in_flight -= 1
            self._answer(200)
        else:
            self._answer(404)

    def _answer(self, status: int, *, location: str = "") -> None:
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


@contextmanager
def link_server(*, tls_dir: Path | None = None) -> Iterator[str]:
    """Serve LinkFaultHandler on 127.0.0.1; yields the base URL. With `tls_dir`, serve HTTPS with a fresh
    self-signed certificate (made by openssl), which a verifying client must refuse."""
    LinkFaultHandler.requests = []
    LinkFaultHandler.in_flight = LinkFaultHandler.most_in_flight = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), LinkFaultHandler)
    server.daemon_threads = True
    server.block_on_close = False
    scheme = "http"
    if tls_dir is not None:
        cert, key = tls_dir / "cert.pem", tls_dir / "key.pem"
        openssl = shutil.which("openssl") or "openssl"
        subprocess.run(  # noqa: S603 (fixed arguments, no user input)
            [
                openssl,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],
            check=True,
            capture_output=True,
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
