"""The fault-injection HTTP server: raw asyncio sockets, so it can stall, reset, lie about lengths, flood."""

from __future__ import annotations

import asyncio
import gzip
import socket
import struct
import threading
import time
import zlib
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import TracebackType

_MAX_HEADER_BYTES = 64 * 1024
# Bodies go out in slices this size so a 50 MB page never sits whole in the server's memory.
_WRITE_SLICE = 256 * 1024
_REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    404: "Not Found",
    410: "Gone",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


@dataclass(frozen=True)
class Hit:
    """One request the server received."""

    path: str
    headers: Mapping[str, str]
    at: float
    """``time.monotonic()`` when the request line arrived."""
    reader: asyncio.StreamReader | None = field(default=None, compare=False, repr=False)


Handler = Callable[[Hit, asyncio.StreamWriter], Awaitable[None]]


@dataclass
class FaultServer:
    """An HTTP/1.1 server on loopback; ``routes`` maps a path (query included) to a handler.

    Every connection serves one request and is closed (``Connection: close``), which keeps each fault local
    to the request it was meant for. Use as a context manager; ``hits`` lists what arrived, in order.
    """

    host: str = "127.0.0.1"
    port: int = 0
    routes: dict[str, Handler] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    connections: int = 0
    max_in_flight: int = 0
    _in_flight: int = 0
    _loop: asyncio.AbstractEventLoop | None = None
    _server: asyncio.Server | None = None
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def hits_for(self, path: str) -> list[Hit]:
        with self._lock:
            return [hit for hit in self.hits if hit.path == path]

    def __enter__(self) -> FaultServer:
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()

        def run() -> None:
            assert self._loop is not None
            asyncio.set_event_loop(self._loop)
            self._server = self._loop.run_until_complete(
                asyncio.start_server(self._serve, self.host, self.port, limit=_MAX_HEADER_BYTES)
            )
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name=f"faultserver-{self.host}", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fault server did not start")
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        loop = self._loop
        if loop is None:
            return

        async def shutdown() -> None:
            if self._server is not None:
                self._server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(shutdown(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with self._lock:
            self.connections += 1
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            writer.close()
            return
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        path = parts[1] if len(parts) > 1 else "/"
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name:
                headers[name.strip().lower()] = value.strip()
        hit = Hit(path=path, headers=headers, at=time.monotonic(), reader=reader)
        with self._lock:
            self.hits.append(hit)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        handler = self.routes.get(path, not_found)
        try:
            await handler(hit, writer)
            if not writer.is_closing():
                await writer.drain()
                writer.close()
        except (ConnectionError, asyncio.CancelledError):
            writer.close()
        finally:
            with self._lock:
                self._in_flight -= 1


# ---- building blocks for handlers ------------------------------------------------------------------------


def head_bytes(status: int, headers: Mapping[str, str] | None = None, length: int | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
    all_headers = {"Connection": "close", **(headers or {})}
    if length is not None:
        all_headers["Content-Length"] = str(length)
    lines += [f"{name}: {value}" for name, value in all_headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def delayed(seconds: float, then: Handler) -> Handler:
    """``then``, after ``seconds``: a slow but working server."""

    async def handler(hit: Hit, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(seconds)
        await then(hit, writer)

    return handler


def respond(
    body: bytes | str = b"",
    status: int = 200,
    content_type: str = "text/html; charset=utf-8",
    headers: Mapping[str, str] | None = None,
) -> Handler:
    """A well-formed response."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    all_headers = {"Content-Type": content_type, **(headers or {})} if content_type else dict(headers or {})

    async def handler(hit: Hit, writer: asyncio.StreamWriter) -> None:
        writer.write(head_bytes(status, all_headers, len(data)) + data)

    return handler


async def not_found(hit: Hit, writer: asyncio.StreamWriter) -> None:
    await respond("<html><body><h1>Not found</h1></body></html>", status=404)(hit, writer)


def redirect(location: str, status: int = 302) -> Handler:
    return respond(b"", status=status, content_type="", headers={"Location": location})


def sequence(*handlers: Handler) -> Handler:
    """The n-th request gets the n-th handler; the last one answers every later request."""
    count = 0

    async def handler(hit: Hit, writer: asyncio.StreamWriter) -> None:
        nonlocal count
        chosen = handlers[min(count, len(handlers) - 1)]
        count += 1
        await chosen(hit, writer)

    return handler


def stall(seconds: float, body: bytes = b"<html><body>late</body></html>") -> Handler:
    """Headers at once, then nothing for ``seconds`` (slower than any sane download timeout)."""

    async def handler(hit: Hit, writer: asyncio.StreamWriter) -> None:
        writer.write(head_bytes(200, {"Content-Type": "text/html"}, len(body)))
        await writer.drain()
        # Waiting on the socket, not just sleeping, ends the handler as soon as the client gives up.
        if hit.reader is not None:
            try:
                await asyncio.wait_for(hit.reader.read(1), seconds)
                return
            except TimeoutError:
                pass
        writer.write(body)

    return handler


def _reset(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    if sock is not None:
        # Linger 0: close() sends RST instead of FIN, as a crashing server or a middlebox does.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def reset_mid_body(body: bytes, sent: int) -> Handler:
    """Announce all of ``body``, send ``sent`` bytes, then reset the connection."""

    async def handler(hit: Hit, writer: asyncio.StreamWriter) -> None:
        writer.write(head_bytes(200, {"Content-Type": "text/html; charset=utf-8"}, len(body)) + body[:sent])
        await writer.drain()
        await asyncio.sleep(0.05)
        _reset(writer)

    return handler


def truncated(body: bytes, declared: int) -> Handler:
    """Declare ``declared`` bytes of body but send only ``body`` and close cleanly (wrong Content-Length)."""

    async def handler(hit: Hit, writer: asyncio.StreamWriter) -> None:
        writer.write(head_bytes(200, {"Content-Type": "text/html; charset=utf-8"}, declared) + body)

    return handler


def _filler(size: int) -> Iterator[bytes]:
    unit = b"<p>" + b"filler text for a page that never ends " * 60 + b"</p>\n"
    sent = 0
    while sent < size:
        piece = unit * max(1, _WRITE_SLICE // len(unit))
        piece = piece[: size - sent]
        sent += len(piece)
        yield piece


def huge_page(size: int, declare_length: bool) -> Handler:
    """A ``size``-byte HTML page, streamed; with or without Content-Length (then chunked)."""

    async def handler(hit: Hit, writer: asyncio.StreamWriter) -> None:
        if declare_length:
            writer.write(head_bytes(200, {"Content-Type": "text/html"}, size))
            for piece in _filler(size):
                writer.write(piece)
                await writer.drain()
            return
        writer.write(head_bytes(200, {"Content-Type": "text/html", "Transfer-Encoding": "chunked"}))
        for piece in _filler(size):
            writer.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            await writer.drain()
        writer.write(b"0\r\n\r\n")

    return handler


def gzip_bomb_bytes(expanded: int) -> bytes:
    """A valid gzip stream of ``expanded`` zero bytes (about 1/1000 of that size), built in a blink.

    After a full flush, deflate output depends only on the input that follows, so one compressed megabyte
    of zeros is repeated instead of compressing ``expanded`` bytes.
    """
    mib = 1024 * 1024
    zeros = b"\0" * mib
    count = max(1, expanded // mib)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeat = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc & 0xFFFFFFFF, (count * mib) & 0xFFFFFFFF)
    return header + first + repeat * (count - 1) + tail + trailer


def gzipped(body: bytes, content_type: str = "text/html; charset=utf-8") -> Handler:
    return respond(body, content_type=content_type, headers={"Content-Encoding": "gzip"})


def gzip_body(data: bytes) -> bytes:
    return gzip.compress(data)
