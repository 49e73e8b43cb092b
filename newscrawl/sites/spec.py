"""One declarative spec per news site: where to start, which URLs are articles, and the site's locale."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class SiteSpec:
    """Everything newscrawl needs to know about one site. Loaded from ``newscrawl/sites/*.toml``."""

    id: str
    """Short stable id, used in ``-a site=ID``, output file names and the Article's ``site``."""
    domains: tuple[str, ...]
    """Host names the crawl may visit (subdomains included). Also decides ``canonical_url`` is on-site."""
    base_url: str
    """Scheme and host every relative start point is resolved against (``https://www.example.com``)."""
    homepages: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    """Sitemaps beyond those robots.txt lists."""
    feeds: tuple[str, ...] = ()
    article_patterns: tuple[str, ...] = ()
    """Regexes (searched in the URL path + query) that mark article URLs; empty means the generic rule."""
    exclude_patterns: tuple[str, ...] = ()
    """Regexes of URLs never to follow (galleries, tag pages, login)."""
    timezone: str | None = None
    """IANA zone (``Europe/Berlin``) for dates the site prints without an offset."""
    language: str | None = None
    """Primary language subtag; also narrows dateparser's languages."""
    date_order: str | None = None
    """``DMY``, ``MDY`` or ``YMD``: how the site prints numeric dates."""
    use_robots_sitemaps: bool = True
    extra: dict[str, str] = field(default_factory=dict)

    @cached_property
    def article_regexes(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p) for p in self.article_patterns)

    @cached_property
    def exclude_regexes(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p) for p in self.exclude_patterns)
