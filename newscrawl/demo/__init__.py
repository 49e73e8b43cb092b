"""newscrawl's bundled demo news site: static pages, feeds and sitemaps served on loopback."""

from __future__ import annotations

from newscrawl.demo.server import SITE_DIR, DemoServer, DemoSite, DemoSiteError, Resource

__all__ = ["SITE_DIR", "DemoServer", "DemoSite", "DemoSiteError", "Resource"]
