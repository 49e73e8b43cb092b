"""Downloader middlewares that keep a crawl safe and polite on the hostile web and count every drop."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from charset_normalizer import from_bytes
from scrapy import Request, signals
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import load_object
from twisted.internet.error import ConnectionDone, ConnectionLost
from twisted.internet.error import TimeoutError as TxTimeoutError
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

from newscrawl.reliability.pacing import pacer_for, retry_after_seconds, slot_of
from newscrawl.reliability.resolver import TargetGuard, ensure_safe_resolver, guard_for
from newscrawl.reliability.targets import parse_ip

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.robotstxt import RobotParser
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

DROPPED = "newscrawl/dropped/"

# Final download failures by cause; the first matching type names the stat (newscrawl/dropped/<reason>).
_FAILURE_REASONS: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((DownloadTimeoutError, TxTimeoutError), "timeout"),
    ((ResponseDataLossError,), "truncated"),
    ((DownloadCancelledError,), "too_large"),
    ((CannotResolveHostError,), "dns_error"),
    ((DownloadConnectionRefusedError,), "connection_refused"),
    ((DownloadFailedError, ConnectionLost, ConnectionDone), "connection_lost"),
)


class UnsafeTargetRefused(IgnoreRequest):
    """A request to a loopback, private, link-local or other non-public address, refused before connecting."""


def _inc(crawler: Crawler, key: str, count: int = 1) -> None:
    if crawler.stats is not None:
        crawler.stats.inc_value(key, count)


def _host(request: Request) -> str:
    return (urlparse_cached(request).hostname or "").lower()


def _refused_by_resolver(guard: TargetGuard, request: Request, exception: Exception) -> bool:
    # SafeResolver's refusal reaches the downloader as an ordinary failed lookup: its list of refused hosts
    # tells the two apart.
    return isinstance(exception, CannotResolveHostError) and _host(request) in guard.refused_hosts


def _is_page_request(request: Request) -> bool:
    # Requests without a callback are Scrapy's own (robots.txt for RobotsTxtMiddleware): not pages.
    return request.callback is not NO_CALLBACK


class UnsafeTargetMiddleware:
    """Refuses requests (redirects included) whose host is a non-public IP literal, before any connection.

    Host names are checked by SafeResolver on the address they resolve to; a name it refused once is refused
    here at once for the rest of the crawl, so its retries never reach the network either.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.guard = guard_for(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> UnsafeTargetMiddleware:
        ensure_safe_resolver(crawler)
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        host = _host(request)
        if not host:
            return
        reason = self.guard.refused_hosts.get(host)
        if reason is None:
            address = parse_ip(host)
            if address is not None:
                reason = self.guard.policy.refusal(address)
        if reason is None:
            return
        _inc(self.crawler, DROPPED + "unsafe_target")
        logger.warning("refused %s: %s (set NEWSCRAWL_ALLOW_PRIVATE_TARGETS to allow)", request.url, reason)
        raise UnsafeTargetRefused(f"unsafe target: {reason}")


class CrawlDelayMiddleware:
    """Honours robots.txt ``Crawl-delay`` per host, which Scrapy reads but ignores (scrapy#892).

    Runs after RobotsTxtMiddleware, so by the time a request gets here its host's robots.txt has been parsed.
    A host asking for more than NEWSCRAWL_CRAWL_DELAY_MAX seconds between requests is skipped and counted:
    obeying it would stall the crawl, ignoring it would be rude.
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.pacer = pacer_for(crawler)
        self.max_delay = settings.getfloat("NEWSCRAWL_CRAWL_DELAY_MAX", 30.0)
        self.user_agent: str = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT") or "*"
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlDelayMiddleware:
        return cls(crawler)

    def robots_parsed(self, robotparser: RobotParser, request: Request) -> None:
        try:
            delay = robotparser.crawl_delay(self.user_agent)
        except Exception:  # a parser choking on a hostile robots.txt must not take the crawl down
            logger.exception("could not read Crawl-delay for %s", request.url)
            return
        if delay is None or delay <= 0:
            return
        key, slot = slot_of(self.crawler, request)
        if delay > self.max_delay:
            self.pacer.too_slow[key] = delay
            logger.warning(
                "%s asks for a Crawl-delay of %g s, over NEWSCRAWL_CRAWL_DELAY_MAX (%g s): skipped",
                key,
                delay,
                self.max_delay,
            )
            return
        self.pacer.crawl_delays[key] = float(delay)
        _inc(self.crawler, "newscrawl/politeness/crawl_delay_hosts")
        if slot is not None:
            self.pacer.apply_floor(key, slot)

    def process_request(self, request: Request) -> None:
        key, slot = slot_of(self.crawler, request)
        if key in self.pacer.too_slow:
            _inc(self.crawler, DROPPED + "crawl_delay_too_long")
            raise IgnoreRequest(f"{key} asks for a Crawl-delay of {self.pacer.too_slow[key]:g} s")
        if slot is not None:
            self.pacer.apply_floor(key, slot)


class RetryPacingMiddleware:
    """Slows a domain down before its failed request is retried: ``Retry-After`` when given, else back-off.

    Sits just before RetryMiddleware, which only re-schedules: without this a 503 is retried at once and a
    429 at the same rate that caused it. A Retry-After beyond NEWSCRAWL_RETRY_AFTER_MAX is not waited for;
    the request is given up (and counted) and the domain slowed to that maximum.
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.pacer = pacer_for(crawler)
        self.guard = guard_for(crawler)
        self.retry_codes = {int(code) for code in settings.getlist("RETRY_HTTP_CODES")}
        self.retry_exceptions = tuple(
            load_object(name) if isinstance(name, str) else name
            for name in settings.getlist("RETRY_EXCEPTIONS")
        )
        self.base = settings.getfloat("NEWSCRAWL_BACKOFF_BASE", 1.0)
        self.maximum = settings.getfloat("NEWSCRAWL_BACKOFF_MAX", 30.0)
        self.retry_after_max = settings.getfloat("NEWSCRAWL_RETRY_AFTER_MAX", 60.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryPacingMiddleware:
        return cls(crawler)

    def backoff_seconds(self, request: Request) -> float:
        """Exponential: base, 2*base, 4*base... per retry of this request, capped at NEWSCRAWL_BACKOFF_MAX."""
        attempts = int(request.meta.get("retry_times", 0))
        return float(min(self.maximum, self.base * 2**attempts))

    def process_response(self, request: Request, response: Response) -> Response:
        key, slot = slot_of(self.crawler, request)
        if slot is None:
            return response
        if 200 <= response.status < 400:
            self.pacer.recover(key, slot)
            return response
        if response.status not in self.retry_codes or request.meta.get("dont_retry"):
            return response
        wait = (
            retry_after_seconds(response.headers.get(b"Retry-After"))
            if response.status in (429, 503)
            else None
        )
        if wait is None:
            wait = self.backoff_seconds(request)
        elif wait > self.retry_after_max:
            # Hours of waiting inside one crawl run help nobody: give this page up, keep the domain slow.
            request.meta["dont_retry"] = True
            _inc(self.crawler, DROPPED + "retry_after_too_long")
            logger.warning(
                "%s asks to retry in %g s, over NEWSCRAWL_RETRY_AFTER_MAX: not retried", request.url, wait
            )
            wait = self.retry_after_max
        else:
            _inc(self.crawler, "newscrawl/politeness/retry_after_honoured")
        self.pacer.back_off(key, slot, wait)
        _inc(self.crawler, "newscrawl/politeness/backoffs")
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if _refused_by_resolver(self.guard, request, exception):
            # The resolver refused the address: retrying would only ask again.
            request.meta["dont_retry"] = True
            return
        if request.meta.get("dont_retry") or not isinstance(exception, self.retry_exceptions):
            return
        key, slot = slot_of(self.crawler, request)
        if slot is not None:
            self.pacer.back_off(key, slot, self.backoff_seconds(request))
            _inc(self.crawler, "newscrawl/politeness/backoffs")


class DropAccountingMiddleware:
    """Counts every page the downloader gives up on under ``newscrawl/dropped/<reason>``.

    Sits after RetryMiddleware in the response direction, so it sees only final outcomes. Also lets the last
    attempt of a request keep a truncated body: its links can still be followed (the spider middleware stops
    a record being made from it).
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.guard = guard_for(crawler)
        self.max_retry_times = settings.getint("RETRY_TIMES") if settings.getbool("RETRY_ENABLED") else 0
        self.allowed_codes = {int(code) for code in settings.getlist("HTTPERROR_ALLOWED_CODES")}
        self.allow_all = settings.getbool("HTTPERROR_ALLOW_ALL")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DropAccountingMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        attempts = int(request.meta.get("retry_times", 0))
        if attempts >= int(request.meta.get("max_retry_times", self.max_retry_times)):
            request.meta.setdefault("download_fail_on_dataloss", False)

    def _status_allowed(self, request: Request, status: int) -> bool:
        meta = request.meta
        if 200 <= status < 300 or self.allow_all or meta.get("handle_httpstatus_all"):
            return True
        allowed = meta.get("handle_httpstatus_list")
        if allowed is None:
            allowed = getattr(self.crawler.spider, "handle_httpstatus_list", None) or self.allowed_codes
        return status in allowed

    def process_response(self, request: Request, response: Response) -> Response:
        if not _is_page_request(request):
            return response
        if "dataloss" in response.flags:
            _inc(self.crawler, "newscrawl/salvaged/truncated_responses")
        if not self._status_allowed(request, response.status):
            _inc(self.crawler, f"{DROPPED}http_{response.status}")
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, IgnoreRequest) or not _is_page_request(request):
            return  # IgnoreRequest is counted by whoever raised it (robots, offsite, the target guard...)
        if _refused_by_resolver(self.guard, request, exception):
            reason = "unsafe_target"
        else:
            reason = next(
                (name for types, name in _FAILURE_REASONS if isinstance(exception, types)),
                f"download_error/{type(exception).__name__}",
            )
        _inc(self.crawler, DROPPED + reason)


@contextmanager
def _counted_as_dropped(stats: StatsCollector | None, reason: str) -> Iterator[None]:
    """A request Scrapy's own middleware gives up inside the block is counted under ``reason``."""
    try:
        yield
    except IgnoreRequest:
        if stats is not None:
            stats.inc_value(DROPPED + reason)
        raise


class CountingHttpCompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression with its size cap, counting the bodies (gzip bombs) it refuses."""

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        with _counted_as_dropped(self.stats, "too_large"):
            return super().process_response(request, response)


class CountingRedirectMiddleware(RedirectMiddleware):
    """Scrapy's redirects, counting the chains it abandons (over REDIRECT_MAX_TIMES, loops)."""

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        with _counted_as_dropped(self.crawler.stats, "redirect_limit"):
            return super().process_response(request, response)


class CharsetRepairMiddleware:
    """Re-decodes HTML whose declared charset is wrong (a Latin-1 page with a UTF-8 meta; a UTF-8 or Shift_JIS
    page under the server's default ISO-8859-1 label).

    Pages that declare nothing are left to Scrapy, which already detects their encoding. A declared charset is
    overruled only when most non-ASCII characters fail to decode with it: one stray byte in a UTF-8 page keeps
    the page UTF-8. A Latin-1 label decodes any bytes without failing, so it gets one more check: it is what
    servers send by default (HTTP/1.1's old default), and a page whose own ``<meta>`` names another charset
    that decodes it cleanly is in that charset.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CharsetRepairMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, HtmlResponse) or read_bom(response.body)[0]:
            return response
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        labelled = http_content_type_encoding(content_type)
        in_page = html_body_declared_encoding(response.body)
        declared = labelled or in_page
        if not declared:
            return response
        codec = resolve_encoding(declared) or declared
        better = repaired_encoding(response.body, codec)
        if better is None and labelled and in_page:
            better = page_charset_over_default_label(response.body, codec, in_page)
        if better is None:
            return response
        _inc(self.crawler, "newscrawl/repaired/charset")
        logger.info("%s declares %s but is %s: re-decoded", response.url, declared, better)
        return response.replace(encoding=better)


# Legacy encodings web pages really use (WHATWG's list, the common ones); detection picks among these
# only, since an unconstrained detector can name encodings no web page uses (mac-latin2 for a Latin-1 page).
_WEB_ENCODINGS = [
    "cp1252",
    "cp1250",
    "cp1251",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "iso8859_2",
    "iso8859_15",
    "koi8_r",
    "koi8_u",
    "shift_jis",
    "euc_jp",
    "iso2022_jp",
    "gb18030",
    "big5",
    "euc_kr",
]


# What a server labels a page with when nobody configured a charset (resolve_encoding maps them to cp1252).
_DEFAULT_LABELS = frozenset({"cp1252", "latin_1", "iso8859_1"})


def page_charset_over_default_label(body: bytes, labelled: str, in_page: str) -> str | None:
    """The page's own ``<meta>`` charset where the server's label is the Latin-1 default and the meta's
    charset decodes the page without one error; else ``None``."""
    page_codec = resolve_encoding(in_page)
    if labelled not in _DEFAULT_LABELS or page_codec is None or page_codec in _DEFAULT_LABELS or body.isascii():
        return None
    try:
        body.decode(page_codec)
    except UnicodeDecodeError:
        return None
    return page_codec


def repaired_encoding(body: bytes, declared: str) -> str | None:
    """The encoding ``body`` is really in when ``declared`` cannot be right, else ``None``."""
    try:
        text = body.decode(declared, errors="replace")
    except LookupError:
        text = body.decode("utf-8", errors="replace")  # an unknown charset name is no declaration at all
    broken = text.count("\ufffd")
    if not broken:
        return None
    non_ascii = sum(1 for char in text if ord(char) > 127)
    if broken * 2 < non_ascii:
        return None
    for candidate in ("utf-8", None):
        if candidate is None:
            match = from_bytes(body, cp_isolation=_WEB_ENCODINGS).best()
            candidate = resolve_encoding(match.encoding) if match else None
        if candidate and candidate != declared:
            try:
                body.decode(candidate)
            except (UnicodeDecodeError, LookupError):
                continue
            return candidate
    return None


# Elements that nest without limit when left unclosed; elements with implied end tags (p, li, td...) and void
# elements close themselves and never deepen the tree.
_NESTING_TAG = re.compile(
    rb"<(/?)(?:div|span|section|article|main|header|footer|nav|aside|table|ul|ol|dl|blockquote|form|figure|"
    rb"font|b|i|u|em|strong|small|big|center|a|object|fieldset|details|label)\b",
    re.IGNORECASE,
)


def nesting_depth(body: bytes) -> int:
    """The deepest element nesting the markup asks for (an upper bound: misnested tags count as open)."""
    depth = deepest = 0
    for match in _NESTING_TAG.finditer(body):
        if match.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


class NestingGuardMiddleware:
    """Drops HTML nested deeper than NEWSCRAWL_MAX_NESTING before any parser sees it.

    HTML tree builders are quadratic in nesting depth (lexbor: 3 s at 50 000 levels, about two minutes at
    200 000), inside one C call that no Python time limit can interrupt. Real pages nest a few dozen levels.
    Counting ``<`` first keeps the cost for ordinary pages to one ``bytes.count``.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_nesting = crawler.settings.getint("NEWSCRAWL_MAX_NESTING", 5000)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NestingGuardMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if self.max_nesting <= 0 or not isinstance(response, HtmlResponse):
            return response
        if response.body.count(b"<") <= self.max_nesting:
            return response
        depth = nesting_depth(response.body)
        if depth <= self.max_nesting:
            return response
        _inc(self.crawler, DROPPED + "too_deep")
        logger.warning(
            "dropped %s: elements nested %d deep (NEWSCRAWL_MAX_NESTING is %d)",
            response.url,
            depth,
            self.max_nesting,
        )
        raise IgnoreRequest(f"HTML nested {depth} levels deep")
