"""Serve generated sites on 127.0.0.1: nginx with a throwaway config, or a Python server without nginx."""

from __future__ import annotations

import argparse
import functools
import io
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import ClassVar

from benchmarks.sitegen import PLACEHOLDER_ORIGIN

LOOPBACK = "127.0.0.1"
#: Where Debian puts the binary; root's PATH has /usr/sbin, other users' often do not.
NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx")
READY_TIMEOUT_S = 15.0

#: Content types whose bodies carry absolute URLs and so get the placeholder origin rewritten.
REWRITTEN_TYPES = ("text/html", "application/xml", "application/rss+xml", "text/plain")

NGINX_CONF = """\
{user}worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    types {{ text/html html; application/xml xml; text/plain txt; image/jpeg jpg; }}
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    # A crawl keeps its connections open for thousands of requests; nginx's default closes after 1000.
    keepalive_requests 1000000;
    keepalive_timeout 60s;
    sub_filter_once off;
    sub_filter_types {sub_types};
{servers}
}}
"""

NGINX_SERVER = """\
    server {{
        listen {host}:{port};
        root {root};
        index index.html;
        sub_filter '{placeholder}/' '{origin}/';
        location /feeds/ {{ types {{ application/rss+xml xml; }} }}
        # The answer key and manifest sit beside the pages; a crawler must not see them.
        location ~ \\.(jsonl|json)$ {{ return 404; }}
    }}
"""


class ServerError(RuntimeError):
    """The static server could not be started or did not answer."""


def free_port() -> int:
    """A TCP port nobody listens on right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def find_nginx(install: bool = False) -> str | None:
    """Path of the nginx binary; with ``install`` and root rights, ``apt-get install`` it when missing."""
    for candidate in NGINX_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    if install and os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "nginx"],
            env=env,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return find_nginx(install=False)
    return None


def nginx_version(binary: str) -> str:
    completed = subprocess.run([binary, "-v"], capture_output=True, text=True, check=False)
    return completed.stderr.strip().removeprefix("nginx version: ") or "nginx"


def _wait_ready(origin: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"server for {origin} exited with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(f"{origin}/robots.txt", timeout=2) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as error:
            raise ServerError(f"server for {origin} answers {error.code} for /robots.txt") from error
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    raise ServerError(f"server for {origin} did not answer within {READY_TIMEOUT_S:.0f} s")


class StaticServer:
    """Serves each site root on its own loopback port, for the life of a ``with`` block.

    ``kind`` says which server ran ("nginx/1.22.1" or "python http.server"), so a results table can name it.
    """

    def __init__(self, roots: Sequence[Path], *, use_nginx: bool = True, install_nginx: bool = False) -> None:
        self.roots = [Path(root).resolve() for root in roots]
        self._use_nginx = use_nginx
        self._install_nginx = install_nginx
        self._processes: list[subprocess.Popen[bytes]] = []
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.origins: list[str] = []
        self.kind = ""

    def __enter__(self) -> StaticServer:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        for root in self.roots:
            if not (root / "index.html").is_file():
                raise ServerError(f"{root} holds no generated site (no index.html)")
        ports = [free_port() for _ in self.roots]
        self.origins = [f"http://{LOOPBACK}:{port}" for port in ports]
        binary = find_nginx(self._install_nginx) if self._use_nginx else None
        if binary:
            self._start_nginx(binary, ports)
        else:
            self._start_python(ports)

    def _start_nginx(self, binary: str, ports: Sequence[int]) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="newscrawl-bench-nginx-")
        tmp = self._tmp.name
        servers = "".join(
            NGINX_SERVER.format(
                host=LOOPBACK, port=port, root=root, placeholder=PLACEHOLDER_ORIGIN, origin=origin
            )
            for port, root, origin in zip(ports, self.roots, self.origins, strict=True)
        )
        # text/html is always filtered; naming it again makes nginx warn about a duplicate type.
        sub_types = " ".join(t for t in REWRITTEN_TYPES if t != "text/html")
        conf = Path(tmp) / "nginx.conf"
        # Started as root, nginx's workers would run as "nobody", who may not read a private site directory
        # (pytest's are 0700): they run as the directories' owner instead.
        user = f"user {pwd.getpwuid(self.roots[0].stat().st_uid).pw_name};\n" if os.geteuid() == 0 else ""
        conf.write_text(
            NGINX_CONF.format(user=user, tmp=tmp, servers=servers, sub_types=sub_types), encoding="utf-8"
        )
        # -e keeps nginx off the system's error log even before it reads our config.
        process = subprocess.Popen(
            [binary, "-p", tmp, "-c", str(conf), "-e", "stderr"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self._processes.append(process)
        for origin in self.origins:
            _wait_ready(origin, process)
        self.kind = nginx_version(binary)

    def _start_python(self, ports: Sequence[int]) -> None:
        for port, root, origin in zip(ports, self.roots, self.origins, strict=True):
            command = [sys.executable, "-m", "benchmarks.server", "--root", str(root), "--port", str(port)]
            process = subprocess.Popen(
                command,
                cwd=Path(__file__).resolve().parent.parent,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            self._processes.append(process)
            _wait_ready(origin, process)
        self.kind = "python http.server"

    def stop(self) -> None:
        for process in self._processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            if process.stderr:
                process.stderr.close()
        self._processes.clear()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


class _RewritingHandler(SimpleHTTPRequestHandler):
    """Static files, with the placeholder origin rewritten like nginx's ``sub_filter`` does."""

    protocol_version = "HTTP/1.1"  # keep-alive, as nginx offers
    origin = b""
    extensions_map: ClassVar[dict[str, str]] = {  # type: ignore[misc]  # base declares it mutable
        ".html": "text/html",
        ".xml": "application/xml",
        ".txt": "text/plain",
        "": "application/octet-stream",
    }

    def send_head(self):  # type: ignore[no-untyped-def]  # the base class leaves it untyped
        if self.path.split("?", 1)[0].endswith((".json", ".jsonl")):
            self.send_error(404)
            return None
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.endswith("/"):
                return super().send_head()  # the base class redirects to the slash form
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return None
        body = path.read_bytes().replace(PLACEHOLDER_ORIGIN.encode() + b"/", self.origin + b"/")
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: object) -> None:  # the base class's name
        """Silent: a log line per request would cost more than the request."""


def serve_python(root: Path, port: int) -> None:
    """Run the fallback server in this process until it is terminated."""
    handler = type("Handler", (_RewritingHandler,), {"origin": f"http://{LOOPBACK}:{port}".encode()})
    with ThreadingHTTPServer((LOOPBACK, port), functools.partial(handler, directory=str(root))) as httpd:
        httpd.daemon_threads = True
        httpd.serve_forever()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--port", type=int, default=0, help="serve with the Python server on this port")
    parser.add_argument("--nginx", action="store_true", help="serve with nginx until Ctrl-C")
    args = parser.parse_args(argv)
    if args.nginx:
        with StaticServer([args.root]) as server:
            print(f"{server.kind} serving {args.root} at {server.origins[0]}/ (Ctrl-C stops)", flush=True)
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                return 0
    serve_python(args.root, args.port or free_port())
    return 0


if __name__ == "__main__":
    sys.exit(main())
