"""URL normalisation: tracking parameters out, registered domains, same-site checks, the canonical URL."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

import tldextract

__all__ = ["choose_canonical", "registered_domain", "same_site", "strip_tracking"]

# Query parameters that only identify a campaign, click or share: they never select content.
_TRACKING_NAMES = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "igshid",
        "igsh",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "hsctatracking",
        "mkt_tok",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "cmpid",
        "ocid",
        "icid",
        "ncid",
        "intcmp",
        "s_cid",
        "smid",
        "smtyp",
        "sr_share",
        "fb_action_ids",
        "fb_action_types",
        "fb_ref",
        "fb_source",
        "xtor",
        "ito",
        "at_medium",
        "at_campaign",
        "at_custom1",
        "at_custom2",
        "at_custom3",
        "at_custom4",
        "wt.mc_id",
        "wt_mc",
        "oly_enc_id",
        "oly_anon_id",
        "vero_id",
        "rb_clickid",
        "soc_src",
        "soc_trk",
        "guccounter",
        "guce_referrer",
        "guce_referrer_sig",
        "__twitter_impression",
        "spm",
        "trk",
        "cid_source",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "ns_", "piwik_", "hmb_")

# The suffix list bundled with tldextract: never fetched, so the crawl works offline and reproducibly.
# Private suffixes count (blogspot.com, github.io): each customer there is its own site.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name in _TRACKING_NAMES or name.startswith(_TRACKING_PREFIXES)


def strip_tracking(url: str) -> str:
    """The URL without tracking parameters and fragment; other parameters kept as printed, in order."""
    parts = urlsplit(url.strip())
    query = parts.query
    if query:
        # Filter the raw pairs rather than re-encode them: what remains is exactly what the site printed.
        kept = [
            pair
            for pair in query.split("&")
            if pair and not _is_tracking(unquote_plus(pair.split("=", 1)[0]))
        ]
        query = "&".join(kept)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _host(url_or_host: str) -> str:
    text = url_or_host.strip()
    if "://" in text or text.startswith("//"):
        host = urlsplit(text).hostname or ""
    else:
        host = urlsplit("//" + text).hostname or ""
    return host.rstrip(".").lower()


@lru_cache(maxsize=4096)
def _registered(host: str) -> str:
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    result = _EXTRACT(host)
    return result.top_domain_under_public_suffix or host


def registered_domain(url_or_host: str) -> str:
    """The registrable domain of a URL or host ("news.bbc.co.uk" -> "bbc.co.uk").

    IP addresses, "localhost" and hosts under no known suffix come back as they are, without the port.
    Raises ``ValueError`` when there is no host at all.
    """
    host = _host(url_or_host)
    if not host:
        raise ValueError(f"no host in {url_or_host!r}")
    return _registered(host)


def same_site(a: str, b: str) -> bool:
    """Whether two URLs or hosts share a registered domain; False when either has no host."""
    try:
        return registered_domain(a) == registered_domain(b)
    except ValueError:
        return False


def choose_canonical(url: str, candidates: Sequence[str]) -> str:
    """The first candidate that is an http(s) URL on the same site as ``url`` (relative ones resolved
    against it), tracking-stripped; else ``url`` tracking-stripped. An off-site canonical (syndication)
    is ignored because the record must identify the page that was fetched."""
    for candidate in candidates:
        if not candidate or not candidate.strip():
            continue
        try:
            absolute = urljoin(url, candidate.strip())
            parts = urlsplit(absolute)
        except ValueError:
            continue
        if parts.scheme in ("http", "https") and parts.hostname and same_site(absolute, url):
            return strip_tracking(absolute)
    return strip_tracking(url)
