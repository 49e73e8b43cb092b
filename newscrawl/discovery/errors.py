"""The one exception discovery raises for input that cannot be read at all."""

from __future__ import annotations


class DiscoveryError(ValueError):
    """A sitemap, feed or robots.txt body that cannot be read at all (not XML, a gzip bomb, empty)."""
