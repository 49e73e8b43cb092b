"""Unsafe targets: loopback, private, link-local and other non-public addresses are refused before connecting.

Only the decision is tested for addresses outside 127.0.0.0/8 (no packet may leave loopback); the end-to-end
crawls use loopback addresses that the policy treats exactly like any private one.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import ClassVar

import pytest
from faultsite.server import FaultServer, redirect, respond
from faultsite.site import A, article, home
from scrapy import Request
from scrapy.core.downloader.middleware import DownloaderMiddlewareManager
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.test import get_crawler
from twisted.internet import defer

from newscrawl.reliability import ReliabilityAddon
from newscrawl.reliability.resolver import SafeResolver, UnsafeLookupError
from newscrawl.reliability.targets import TargetPolicy
from reliability.support import run_crawl

# address | refused by default | why
ADDRESSES = [
    ("127.0.0.1", True, "loopback"),
    ("10.0.0.1", True, "private"),
    ("172.16.5.4", True, "private"),
    ("192.168.1.1", True, "private"),
    ("169.254.169.254", True, "link-local (cloud metadata)"),
    ("100.64.0.1", True, "carrier-grade NAT"),
    ("0.0.0.0", True, "unspecified"),
    ("224.0.0.1", True, "multicast"),
    ("::1", True, "IPv6 loopback"),
    ("fd00::1", True, "IPv6 unique local"),
    ("fe80::1", True, "IPv6 link-local"),
    ("::ffff:10.0.0.1", True, "IPv4-mapped private"),
    ("64:ff9b::a9fe:a9fe", True, "NAT64 of 169.254.169.254"),
    ("2002:0a00:0001::1", True, "6to4 of 10.0.0.1"),
    ("93.184.216.34", False, "public IPv4"),
    ("2606:4700:4700::1111", False, "public IPv6"),
]


@pytest.mark.parametrize(("address", "refused", "why"), ADDRESSES)
def test_the_default_policy_refuses_every_non_public_address(address: str, refused: bool, why: str) -> None:
    assert (TargetPolicy().refusal(address) is not None) is refused, why


def test_settings_can_allow_everything_or_chosen_networks() -> None:
    assert TargetPolicy(allow_private=True).refusal("169.254.169.254") is None
    intranet = TargetPolicy.from_values(False, ["10.1.2.0/24"])
    assert intranet.refusal("10.1.2.3") is None
    assert intranet.refusal("10.1.3.3") is not None
    with pytest.raises(ValueError, match="not an IP network"):
        TargetPolicy.from_values(False, ["intranet"])


def _download_through_middlewares(url: str, redirect_to: str | None = None) -> tuple[list[str], list[str]]:
    """Run ``url`` through the add-on's real downloader chain with a recording download function."""
    crawler = get_crawler(settings_dict={"ADDONS": {ReliabilityAddon: 100}, "ROBOTSTXT_OBEY": False})
    crawler.spider = crawler._create_spider("probe")
    manager = DownloaderMiddlewareManager.from_crawler(crawler)
    downloaded: list[str] = []
    refused: list[str] = []

    async def download(request: Request) -> Response:
        downloaded.append(request.url)
        if redirect_to:
            return Response(request.url, status=302, headers={"Location": redirect_to}, request=request)
        return Response(request.url, status=200, request=request)

    async def fetch(request: Request) -> Response | Request:
        try:
            return await manager.download_async(download, request)
        except IgnoreRequest:
            refused.append(request.url)
            return Response(request.url, status=599)

    async def crawl() -> None:
        outcome = await fetch(Request(url))
        if isinstance(outcome, Request):  # a redirect goes through the whole chain again, as in a crawl
            await fetch(outcome)

    asyncio.run(crawl())
    return downloaded, refused


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8080/",
        "http://[::ffff:192.168.0.1]/",
    ],
)
def test_ip_literals_are_refused_before_the_download_handler_is_called(url: str) -> None:
    downloaded, refused = _download_through_middlewares(url)
    assert downloaded == []
    assert refused == [url]


def test_a_redirect_to_the_metadata_service_is_refused_before_connecting() -> None:
    downloaded, refused = _download_through_middlewares(
        "http://93.184.216.34/story", redirect_to="http://169.254.169.254/latest/meta-data/"
    )
    assert downloaded == ["http://93.184.216.34/story"]
    assert refused == ["http://169.254.169.254/latest/meta-data/"]


class _StubAnswers(SafeResolver):
    answers: ClassVar[dict[str, str]] = {
        "news.example": "93.184.216.34",
        "internal.example": "10.0.0.1",
        "metadata.example": "169.254.169.254",
    }

    def lookup(self, name: str, timeout: object = ()) -> defer.Deferred[str]:
        return defer.succeed(self.answers[name])


@pytest.mark.parametrize(
    ("name", "refused"), [("news.example", False), ("internal.example", True), ("metadata.example", True)]
)
def test_names_are_checked_on_the_address_they_resolve_to(name: str, refused: bool) -> None:
    from twisted.internet import reactor

    crawler = get_crawler(settings_dict={"ADDONS": {ReliabilityAddon: 100}})
    resolver = _StubAnswers.from_crawler(crawler, reactor)
    outcome: list[object] = []
    resolver.getHostByName(name).addBoth(outcome.append)
    if refused:
        assert outcome[0].check(UnsafeLookupError)  # type: ignore[attr-defined]
        assert name in resolver.guard.refused_hosts
    else:
        assert outcome == ["93.184.216.34"]


@pytest.mark.e2e
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_by_default_a_crawl_never_connects_to_loopback(tmp_path: Path, host: str) -> None:
    with FaultServer() as site:
        site.routes["/"] = home([f"{A}story.html"])
        result = run_crawl(
            f"http://{host}:{site.port}/", tmp_path, {"NEWSCRAWL_ALLOW_PRIVATE_TARGETS": "false"}
        )
        connections = site.connections
    assert result.returncode == 0
    assert connections == 0  # refused before connecting: as an IP literal, or on localhost's DNS answer
    assert result.stat("newscrawl/dropped/unsafe_target") >= 1


@pytest.mark.e2e
def test_on_site_names_resolving_to_a_forbidden_address_are_refused(tmp_path: Path) -> None:
    """news.test is allowed (127.0.0.1/32); its subdomain evil.news.test resolves to 127.0.0.2: not."""
    with FaultServer(host="127.0.0.2") as forbidden, FaultServer() as site:
        evil = f"http://evil.news.test:{forbidden.port}"
        site.routes.update(
            {
                "/": home([f"{A}story.html", f"{A}bounce.html", f"{evil}{A}linked.html"]),
                f"{A}story.html": respond(article("story")),
                f"{A}bounce.html": redirect(f"{evil}{A}redirected.html"),
            }
        )
        forbidden.routes[f"{A}linked.html"] = respond(article("linked"))
        result = run_crawl(
            f"http://news.test:{site.port}/",
            tmp_path,
            {
                "NEWSCRAWL_ALLOW_PRIVATE_TARGETS": "false",
                "NEWSCRAWL_ALLOWED_NETWORKS": ["127.0.0.1/32"],
                "TWISTED_DNS_RESOLVER": "reliability.stubs.TableResolver",
                "NEWSCRAWL_TEST_HOSTS": '{"news.test": "127.0.0.1", "evil.news.test": "127.0.0.2"}',
            },
        )
        assert forbidden.connections == 0
    assert "story" in result.records_by_marker()
    assert result.stat("newscrawl/dropped/unsafe_target") >= 2  # the link and the redirect
