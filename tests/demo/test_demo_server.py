"""The demo server serves the site's files as a news site would: base URL filled in, gzip, types, 404s."""

from __future__ import annotations

import gzip
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newscrawl.demo.server import BASE_URL_TOKEN, SITE_DIR, DemoServer, DemoSite, DemoSiteError

Fetch = Callable[..., Any]
"""The ``fetch`` fixture of conftest.py: ``fetch(base_url, path, method="GET")``."""

REPO_ROOT = Path(__file__).resolve().parents[2]
TEXT_SUFFIXES = {".html", ".xml", ".txt"}
CP1251_PAGE = "/ru/kultura/2023/03/25/vystavka-keramiki-v-peterburge.html"


def site_files() -> list[Path]:
    return sorted(p for p in SITE_DIR.rglob("*") if p.is_file())


def url_path_of(file: Path) -> str:
    return "/" + file.relative_to(SITE_DIR).as_posix()


def test_base_url_is_loopback_with_the_bound_port(base_url: str) -> None:
    assert base_url.startswith("http://127.0.0.1:")
    assert int(base_url.rsplit(":", 1)[1]) > 0


@pytest.mark.parametrize("file", site_files(), ids=url_path_of)
def test_every_site_file_is_served_with_the_base_url_filled_in(
    base_url: str, file: Path, fetch: Fetch
) -> None:
    reply = fetch(base_url, url_path_of(file))
    assert reply.status == 200
    raw = file.read_bytes()
    if file.suffix in TEXT_SUFFIXES:
        assert BASE_URL_TOKEN not in reply.body
        assert reply.body == raw.replace(BASE_URL_TOKEN, base_url.encode("ascii"))
    else:
        assert reply.body == raw
    assert int(reply.headers["content-length"]) == len(reply.body)


def test_links_point_at_this_server(base_url: str, fetch: Fetch) -> None:
    robots = fetch(base_url, "/robots.txt").body.decode("utf-8")
    assert f"Sitemap: {base_url}/sitemap_index.xml" in robots
    assert "Disallow: /private/" in robots


def test_gz_is_made_from_the_plain_file_and_typed_as_gzip(base_url: str, fetch: Fetch) -> None:
    plain = fetch(base_url, "/sitemap-pages.xml")
    packed = fetch(base_url, "/sitemap-pages.xml.gz")
    assert packed.status == 200
    assert packed.headers["content-type"] == "application/gzip"
    assert gzip.decompress(packed.body) == plain.body
    assert base_url.encode() in gzip.decompress(packed.body)


def test_gz_of_a_missing_file_is_404(base_url: str, fetch: Fetch) -> None:
    assert fetch(base_url, "/no-such-sitemap.xml.gz").status == 404


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/world/2023/03/21/rhine-water-levels-hit-record-march-low.html", "text/html; charset=utf-8"),
        # No charset, so that the page's own <meta http-equiv> decides how it is decoded.
        (CP1251_PAGE, "text/html"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/sitemap_index.xml", "application/xml; charset=utf-8"),
        ("/feed.xml", "application/xml; charset=utf-8"),
        ("/assets/logo.svg", "image/svg+xml"),
    ],
)
def test_content_types(base_url: str, path: str, content_type: str, fetch: Fetch) -> None:
    assert fetch(base_url, path).headers["content-type"] == content_type


def test_the_windows_1251_page_stays_windows_1251(base_url: str, fetch: Fetch) -> None:
    body = fetch(base_url, CP1251_PAGE).body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = body.decode("cp1251")
    assert "charset=windows-1251" in text
    assert "«Глина и свет»" in text
    assert f"{base_url}/ru/kultura/" in text


def test_directory_url_serves_its_index(base_url: str, fetch: Fetch) -> None:
    reply = fetch(base_url, "/world/")
    assert reply.status == 200
    assert reply.body == fetch(base_url, "/world/index.html").body


def test_directory_without_slash_redirects_to_slash(base_url: str, fetch: Fetch) -> None:
    reply = fetch(base_url, "/world?page=2")
    assert reply.status == 301
    assert reply.headers["location"] == "/world/?page=2"


def test_query_string_does_not_change_the_page(base_url: str, fetch: Fetch) -> None:
    path = "/world/2023/03/23/canada-braces-for-early-wildfire-season.html"
    tracked = fetch(base_url, path + "?utm_source=newsletter&utm_medium=email")
    assert tracked.status == 200
    assert tracked.body == fetch(base_url, path).body


@pytest.mark.parametrize(
    "path", ["/nope.html", "/world/nope/", "/private/", "/media/2023/03/rhine-barge-kaub.jpg"]
)
def test_missing_files_are_404(base_url: str, path: str, fetch: Fetch) -> None:
    assert fetch(base_url, path).status == 404


def test_head_has_the_get_headers_and_no_body(base_url: str, fetch: Fetch) -> None:
    got = fetch(base_url, "/feed.xml")
    head = fetch(base_url, "/feed.xml", method="HEAD")
    assert head.status == 200
    assert head.body == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == str(len(got.body))


@pytest.mark.parametrize(
    "path",
    [
        "/../server.py",
        "/../../pyproject.toml",
        "/world/../../server.py",
        "/%2e%2e/server.py",
        "/world/%2E%2E/%2e%2e/__init__.py",
        "/..%2fserver.py",
        "/..%5cserver.py",
        "/%00index.html",
    ],
)
def test_nothing_outside_the_site_is_served(base_url: str, path: str, fetch: Fetch) -> None:
    reply = fetch(base_url, path)
    assert reply.status == 404
    assert b"DemoServer" not in reply.body


def test_resolve_refuses_paths_outside_the_root() -> None:
    site = DemoSite("http://127.0.0.1:1")
    assert site.resolve("/../server.py") is None
    assert site.resolve("/%2e%2e/%2e%2e/etc/passwd") is None
    assert site.resolve("/robots.txt") == SITE_DIR / "robots.txt"


def test_missing_site_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DemoSiteError):
        DemoSite("http://127.0.0.1:1", tmp_path / "absent")


def test_two_servers_each_write_their_own_base_url(fetch: Fetch) -> None:
    with DemoServer() as first, DemoServer() as second:
        assert first.base_url != second.base_url
        assert first.base_url.encode() in fetch(first.base_url, "/robots.txt").body
        assert second.base_url.encode() in fetch(second.base_url, "/robots.txt").body


def test_server_stops_on_exit(fetch: Fetch) -> None:
    with DemoServer() as server:
        base_url = server.base_url
        assert fetch(base_url, "/robots.txt").status == 200
    with pytest.raises(ConnectionRefusedError):
        fetch(base_url, "/robots.txt")
    with pytest.raises(RuntimeError):
        _ = server.base_url


def test_command_line_prints_the_base_url_and_stops_on_sigterm(fetch: Fetch) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "newscrawl.demo.server", "--port", "0"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        assert fetch(base_url, "/robots.txt").status == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
