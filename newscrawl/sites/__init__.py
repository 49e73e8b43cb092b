"""Per-site knowledge: SiteSpec and the registry of newscrawl/sites/*.toml (`python -m newscrawl.sites`)."""

from __future__ import annotations

from newscrawl.sites.registry import SiteSpecError, get_site, load_sites, site_for_url, spec_for_url
from newscrawl.sites.spec import SiteSpec

__all__ = ["SiteSpec", "SiteSpecError", "get_site", "load_sites", "site_for_url", "spec_for_url"]
