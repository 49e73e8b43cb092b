"""Fixtures for the demo-site tests: one loopback DemoServer per module and a raw HTTP client for it."""

from __future__ import annotations

import http.client
from collections.abc import Callable, Iterator

import pytest

from newscrawl.demo.server import DemoServer


class Reply:
    """What a test needs of one HTTP response."""

    def __init__(self, response: http.client.HTTPResponse) -> None:
        self.status = response.status
        self.headers = {k.lower(): v for k, v in response.getheaders()}
        self.body = response.read()


def request(base_url: str, path: str, method: str = "GET") -> Reply:
    """One request sent as-is (no path normalisation, no proxy) to the loopback server."""
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        connection.endheaders()
        return Reply(connection.getresponse())
    finally:
        connection.close()


Fetch = Callable[..., Reply]


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with DemoServer(port=0) as server:
        yield server.base_url


@pytest.fixture
def fetch() -> Fetch:
    """``fetch(base_url, path, method="GET")``: a raw request to a demo server."""
    return request
