"""Which sites `scrapy crawlsites` runs: ids, URLs and --all, each site once, mistakes refused up front."""

from __future__ import annotations

import pytest
from scrapy.exceptions import UsageError

from newscrawl.commands.crawlsites import targets_from
from newscrawl.sites.registry import load_sites


def test_all_is_every_registered_site_but_the_reserved_name_demo() -> None:
    ids = [target.site_id for target in targets_from([], [], every_site=True)]
    registered = set(load_sites())
    assert "demo" in registered
    assert set(ids) == registered - {"demo"}


def test_a_site_named_twice_is_crawled_once_in_the_order_given() -> None:
    targets = targets_from(["rte", "orf", "rte"], [], every_site=False)
    assert [(t.site_id, t.spider_kwargs) for t in targets] == [("rte", {"site": "rte"}), ("orf", {"site": "orf"})]


def test_a_url_of_a_site_without_a_spec_is_its_own_site() -> None:
    targets = targets_from([], ["https://news.example.co.uk/"], every_site=False)
    assert [(t.site_id, t.spider_kwargs) for t in targets] == [
        ("example.co.uk", {"url": "https://news.example.co.uk/"})
    ]


@pytest.mark.parametrize(
    ("site_ids", "urls", "message"),
    [
        (["no-such-site"], [], "unknown site 'no-such-site'"),
        ([], ["ftp://news.example.com/"], r"not an absolute http\(s\) URL"),
        (["orf"], ["https://orf.at/stories/"], "already crawls"),
        ([], ["https://a.example.com/", "https://b.example.com/feed"], "already crawls"),
    ],
)
def test_mistakes_are_refused_before_any_crawl(site_ids: list[str], urls: list[str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        targets_from(site_ids, urls, every_site=False)
