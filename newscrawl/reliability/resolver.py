"""A DNS resolver that refuses names resolving to non-public addresses, so the check sees the address used."""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.misc import build_from_crawler, load_object
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import IResolverSimple
from zope.interface import implementer

from newscrawl.reliability.targets import TargetPolicy

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from twisted.internet.base import ReactorBase

REFUSED_LOOKUP_STAT = "newscrawl/refused/unsafe_dns_answers"


class UnsafeLookupError(DNSLookupError):
    """A host name resolved to an address the crawl may not visit.

    A DNSLookupError on purpose: Twisted then ends the connection attempt as "no address", without one packet
    sent to the refused address.
    """


# Host names the resolver refused, with the reason, so the downloader side can give up on them at once (no
# retries) and count the drop under its reason. Process-wide on purpose: Scrapy installs one resolver per
# process (built from the process's settings, not a crawler's), and its DNS cache is process-wide too.
_REFUSED_HOSTS: dict[str, str] = {}


class TargetGuard:
    """What a crawl allows and what has been refused; shared by resolver and downloader middlewares."""

    def __init__(self, policy: TargetPolicy) -> None:
        self.policy = policy
        self.refused_hosts = _REFUSED_HOSTS


_GUARDS: weakref.WeakKeyDictionary[Any, TargetGuard] = weakref.WeakKeyDictionary()


def policy_from_settings(crawler: Crawler | Any) -> TargetPolicy:
    settings = crawler.settings
    return TargetPolicy.from_values(
        settings.getbool("NEWSCRAWL_ALLOW_PRIVATE_TARGETS", False),
        settings.getlist("NEWSCRAWL_ALLOWED_NETWORKS", []),
    )


def guard_for(crawler: Crawler | Any) -> TargetGuard:
    """The crawl's one TargetGuard, built from its settings on first use."""
    guard = _GUARDS.get(crawler)
    if guard is None:
        guard = _GUARDS[crawler] = TargetGuard(policy_from_settings(crawler))
    return guard


@implementer(IResolverSimple)
class SafeResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, checking every answer against the crawl's TargetPolicy.

    Checking here, not before the request, is what defeats DNS tricks: a public-looking name that resolves to
    10.0.0.1, or to 127.0.0.1 on the second lookup (rebinding), is refused on the very answer the connection
    would use. Redirects need no extra care: every connection starts with a lookup.
    """

    guard: TargetGuard
    stats: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: ReactorBase) -> Any:
        # Scrapy passes its CrawlerProcess here (one resolver per process), which has settings but no stats.
        resolver = super().from_crawler(crawler, reactor)
        resolver.guard = guard_for(crawler)
        resolver.stats = getattr(crawler, "stats", None)
        return resolver

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        lookup = self.lookup(name, timeout)
        lookup.addCallback(self._checked, name)
        return lookup

    def lookup(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        """The unchecked answer; the one seam tests replace to answer without a DNS server."""
        return super().getHostByName(name, timeout)

    def _checked(self, address: str, name: str) -> str:
        reason = self.guard.policy.refusal(address)
        if reason is None:
            return address
        self.guard.refused_hosts[name.lower()] = reason
        if self.stats is not None:
            self.stats.inc_value(REFUSED_LOOKUP_STAT)
        raise UnsafeLookupError(f"{name} resolves to {reason}; refused (NEWSCRAWL_ALLOW_PRIVATE_TARGETS)")


def ensure_safe_resolver(crawler: Crawler) -> None:
    """Install a SafeResolver on the reactor unless one is there already.

    Scrapy installs the resolver from the process's settings, before any add-on has run, so the add-on's
    TWISTED_DNS_RESOLVER alone would leave the default resolver in place. A resolver class configured in the
    settings is kept when it is a SafeResolver (a subclass with another lookup), replaced otherwise.
    """
    from twisted.internet import reactor

    if isinstance(getattr(reactor, "resolver", None), SafeResolver):
        return
    configured = load_object(crawler.settings.get("TWISTED_DNS_RESOLVER") or SafeResolver)
    resolver_class = (
        configured if isinstance(configured, type) and issubclass(configured, SafeResolver) else SafeResolver
    )
    build_from_crawler(resolver_class, crawler, reactor=reactor).install_on_reactor()
