"""The local servers serve a generated site on loopback, and the ceiling spider crawls all of it."""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from benchmarks.measure import run_crawls
from benchmarks.run import bare_command
from benchmarks.server import ServerError, StaticServer, find_nginx
from benchmarks.sitegen import PLACEHOLDER_ORIGIN, SiteParams, generate_site, load_truth

SERVERS = [
    pytest.param(False, id="python"),
    pytest.param(True, id="nginx", marks=pytest.mark.skipif(find_nginx() is None, reason="no nginx")),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("served") / "site"
    generate_site(root, SiteParams(articles=12, seed=5))
    return root


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, "", b""


@pytest.mark.parametrize("use_nginx", SERVERS)
def test_server_rewrites_the_placeholder_origin_to_its_own(site: Path, use_nginx: bool) -> None:
    article = load_truth(site)[0]
    with StaticServer([site], use_nginx=use_nginx) as server:
        origin = server.origins[0]
        assert origin.startswith("http://127.0.0.1:")
        assert ("nginx" in server.kind) is use_nginx
        status, kind, robots = _get(origin + "/robots.txt")
        assert status == 200 and kind.startswith("text/plain")
        assert f"Sitemap: {origin}/sitemap_index.xml".encode() in robots
        status, kind, page = _get(origin + article.path)
        assert status == 200 and kind.startswith("text/html")
        assert PLACEHOLDER_ORIGIN.encode() + b"/" not in page
        assert f'<link rel="canonical" href="{origin}{article.path}">'.encode() in page
        status, _, index = _get(origin + "/world/")
        assert status == 200 and b"</html>" in index
        # The answer key lies beside the pages but is never served.
        assert _get(origin + "/truth.jsonl")[0] == 404
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(origin + "/robots.txt", timeout=2)


def test_two_sites_get_two_origins(site: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    generate_site(other, SiteParams(articles=3, seed=6))
    with StaticServer([site, other], use_nginx=False) as server:
        assert len(set(server.origins)) == 2
        titles = [load_truth(site)[0], load_truth(other)[0]]
        for origin, truth in zip(server.origins, titles, strict=True):
            assert truth.title.encode() in _get(origin + truth.path)[2]


def test_refuses_a_directory_without_a_site(tmp_path: Path) -> None:
    with pytest.raises(ServerError):
        StaticServer([tmp_path], use_nginx=False).start()


def test_bare_spider_fetches_every_page_once_and_is_measured(site: Path, tmp_path: Path) -> None:
    manifest_pages = sum(1 for _ in site.rglob("*.html"))
    with StaticServer([site], use_nginx=False) as server:
        command = bare_command("bare-test", server.origins[0], 120, tmp_path)
        result = run_crawls([command], timeout_s=150)[0]
    assert result.returncode == 0, result.log_tail
    assert result.pages == manifest_pages
    assert result.items == 0
    assert result.cpu_s > 0 and result.peak_rss_kib > 10_000
    assert result.finish_reason == "finished"
    assert sys.executable in command.command
