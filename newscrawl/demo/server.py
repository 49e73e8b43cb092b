"""Serve the bundled demo news site on 127.0.0.1, with its base URL written into every text file."""

from __future__ import annotations

import argparse
import gzip
import mimetypes
import signal
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType, TracebackType
from urllib.parse import unquote, urlsplit

SITE_DIR = Path(__file__).resolve().with_name("site")
"""The static files of the demo site (shipped as package data)."""

BASE_URL_TOKEN = b"{{BASE_URL}}"
"""Written in the site's files wherever an absolute link needs the server's scheme, host and port."""

LOOPBACK_HOST = "127.0.0.1"

# Only these are text the crawler reads; replacing bytes in them keeps a windows-1251 page windows-1251.
_TEXT_SUFFIXES = frozenset({".html", ".htm", ".xml", ".txt", ".rss"})

_CONTENT_TYPES = {
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".txt": "text/plain",
    ".svg": "image/svg+xml",
}

_GZIP_SUFFIX = ".gz"
_GZIP_CONTENT_TYPE = "application/gzip"
_DIRECTORY_INDEX = "index.html"
# Fixed so a gzipped sitemap is byte-identical from run to run.
_GZIP_MTIME = 0


class DemoSiteError(Exception):
    """The demo site's files cannot be served (missing site directory)."""


@dataclass(frozen=True, slots=True)
class Resource:
    """One servable response: its body as sent and its Content-Type."""

    body: bytes
    content_type: str


def content_type_for(path: Path, body: bytes) -> str:
    """The Content-Type header for a site file whose served bytes are ``body``.

    A text file that is valid UTF-8 is labelled ``charset=utf-8``. Any other text file gets no charset
    at all, so that the page's own ``<meta charset>`` is what a client must honour.
    """
    suffix = path.suffix.lower()
    mime = _CONTENT_TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if suffix in _TEXT_SUFFIXES:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return mime
        return f"{mime}; charset=utf-8"
    return mime


class DemoSite:
    """Maps request paths to the site's files and renders them for one base URL (cached per path)."""

    def __init__(self, base_url: str, root: Path = SITE_DIR) -> None:
        if not root.is_dir():
            raise DemoSiteError(f"demo site directory not found: {root}")
        self.root = root.resolve()
        self.base_url = base_url
        self._base_url_bytes = base_url.encode("ascii")
        self._cache: dict[str, Resource | None] = {}
        self._lock = threading.Lock()

    def resolve(self, url_path: str) -> Path | None:
        """The file under the site root a URL path names, or None when it names nothing servable.

        Any ``..`` segment, NUL byte or symlink leading out of the root yields None: nothing outside
        the site directory is ever served.
        """
        decoded = unquote(url_path)
        if "\x00" in decoded or "\\" in decoded:
            return None
        segments = [s for s in decoded.split("/") if s not in ("", ".")]
        if ".." in segments:
            return None
        candidate = self.root.joinpath(*segments).resolve()
        if not candidate.is_relative_to(self.root):
            return None
        return candidate

    def is_directory(self, url_path: str) -> bool:
        """Whether the URL path names a directory (served as its index.html once it ends with "/")."""
        target = self.resolve(url_path)
        return target is not None and target.is_dir()

    def get(self, url_path: str) -> Resource | None:
        """The response for a URL path (query string already removed), or None for 404."""
        with self._lock:
            if url_path in self._cache:
                return self._cache[url_path]
        resource = self._load(url_path)
        with self._lock:
            self._cache[url_path] = resource
        return resource

    def _load(self, url_path: str) -> Resource | None:
        target = self.resolve(url_path)
        if target is None:
            return None
        if target.is_dir():
            target = target / _DIRECTORY_INDEX
        if target.is_file():
            return self._render(target)
        # The gzipped sitemap is made on the fly from its plain twin, so no binary is committed.
        if target.name.endswith(_GZIP_SUFFIX):
            plain = target.with_name(target.name[: -len(_GZIP_SUFFIX)])
            if plain.is_file():
                rendered = self._render(plain)
                return Resource(gzip.compress(rendered.body, mtime=_GZIP_MTIME), _GZIP_CONTENT_TYPE)
        return None

    def _render(self, path: Path) -> Resource:
        body = path.read_bytes()
        if path.suffix.lower() in _TEXT_SUFFIXES:
            body = body.replace(BASE_URL_TOKEN, self._base_url_bytes)
        return Resource(body, content_type_for(path, body))


class _DemoRequestHandler(BaseHTTPRequestHandler):
    """GET and HEAD on the demo site; quiet, because test and crawl output should not carry access logs."""

    server: _DemoHTTPServer
    server_version = "newscrawl-demo/1"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _respond(self, *, send_body: bool) -> None:
        site = self.server.site
        parts = urlsplit(self.path)
        with self.server.log_lock:
            self.server.requested.append(self.path)
        url_path = parts.path or "/"
        if not url_path.endswith("/") and site.is_directory(url_path):
            location = url_path + "/" + (f"?{parts.query}" if parts.query else "")
            self._send(HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain; charset=utf-8", send_body, location)
            return
        resource = site.get(url_path)
        if resource is None:
            self._send(HTTPStatus.NOT_FOUND, b"404 Not Found\n", "text/plain; charset=utf-8", send_body)
            return
        self._send(HTTPStatus.OK, resource.body, resource.content_type, send_body)

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        content_type: str,
        send_body: bool,
        location: str | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if location is not None:
            self.send_header("Location", location)
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class _DemoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    site: DemoSite
    # Every request target in arrival order: tests check what a crawl fetched and what it never did.
    requested: list[str]
    log_lock: threading.Lock


class DemoServer:
    """The demo site on a loopback port, served from a daemon thread while the ``with`` block runs.

    >>> with DemoServer(port=0) as server:  # doctest: +SKIP
    ...     server.base_url
    'http://127.0.0.1:40123'
    """

    def __init__(self, port: int = 0, root: Path = SITE_DIR, host_name: str = LOOPBACK_HOST) -> None:
        self.port = port
        self.root = root
        # The name the site's links use. It always binds 127.0.0.1; "localhost" makes a second, distinct
        # site on the same address (a multi-site crawl in the tests).
        self.host_name = host_name
        self._httpd: _DemoHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (or the ``host_name`` given), the port being the one actually bound (port 0
        picks a free one)."""
        if self._httpd is None:
            raise RuntimeError("DemoServer is not running; use it as a context manager or call start()")
        return f"http://{self.host_name}:{self._httpd.server_address[1]}"

    def start(self) -> DemoServer:
        """Bind the port and start serving in a daemon thread."""
        if self._httpd is not None:
            return self
        httpd = _DemoHTTPServer((LOOPBACK_HOST, self.port), _DemoRequestHandler)
        httpd.site = DemoSite(f"http://{self.host_name}:{httpd.server_address[1]}", self.root)
        httpd.requested = []
        httpd.log_lock = threading.Lock()
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, name="newscrawl-demo-server", daemon=True)
        self._thread.start()
        return self

    def requested_paths(self) -> list[str]:
        """The request targets (path and query) the server has answered so far, in order."""
        if self._httpd is None:
            return []
        with self._httpd.log_lock:
            return list(self._httpd.requested)

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()
        self._httpd = None
        self._thread = None

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until SIGTERM or SIGINT; print the base URL on one line first, for the caller to read."""
    parser = argparse.ArgumentParser(prog="python -m newscrawl.demo.server", description=main.__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    args = parser.parse_args(argv)
    stop_requested = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop_requested.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    with DemoServer(port=args.port) as server:
        print(server.base_url, flush=True)
        # A timed wait keeps the main thread responsive to signals on every platform.
        while not stop_requested.wait(timeout=0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
