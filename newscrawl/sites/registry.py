"""The site registry: one TOML file per site in newscrawl/sites/, as SiteSpecs found by id or URL."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from newscrawl.normalize.urls import registered_domain
from newscrawl.sites.spec import SiteSpec

SITES_DIRECTORY = Path(__file__).resolve().parent

_FIELDS = {spec_field.name: spec_field for spec_field in dataclasses.fields(SiteSpec)}
_TUPLE_FIELDS = frozenset(
    name for name, spec_field in _FIELDS.items() if str(spec_field.type).startswith("tuple")
)
_STRING_FIELDS = frozenset({"id", "base_url", "timezone", "language", "date_order"})
# Start points a file may give as paths ("/feed/"): they resolve against base_url.
_START_POINT_FIELDS = ("homepages", "sections", "sitemaps", "feeds")
_DATE_ORDERS = frozenset({"DMY", "MDY", "YMD"})
_SITE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


class SiteSpecError(ValueError):
    """A site file that cannot become a SiteSpec; the message names the file and the key."""


def load_sites(directory: Path | None = None) -> dict[str, SiteSpec]:
    """Every ``*.toml`` in ``directory`` (default: newscrawl/sites/) as a SiteSpec, keyed by id."""
    sites: dict[str, SiteSpec] = {}
    origins: dict[str, Traversable] = {}
    for path in _site_files(directory):
        spec = load_site_file(path)
        if spec.id in sites:
            raise SiteSpecError(f"{path}: site id {spec.id!r} is already defined in {origins[spec.id]}")
        sites[spec.id] = spec
        origins[spec.id] = path
    return sites


def _site_files(directory: Path | None) -> list[Traversable]:
    # The package's own specs are read as package resources, not as a directory: under scrapyd the project
    # runs from a zipped egg, where Path(__file__).parent has no files to glob.
    folder: Traversable = directory if directory is not None else resources.files(__package__)
    return sorted((item for item in folder.iterdir() if item.name.endswith(".toml")), key=lambda i: i.name)


def load_site_file(path: Traversable) -> SiteSpec:
    """One site file as a SiteSpec; SiteSpecError naming the file for unknown keys or wrong types."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SiteSpecError(f"{path}: cannot read site file: {exc}") from exc
    return spec_from_mapping(data, source=str(path), default_id=path.name.removesuffix(".toml"))


def spec_from_mapping(data: dict[str, Any], *, source: str, default_id: str) -> SiteSpec:
    unknown = sorted(set(data) - set(_FIELDS))
    if unknown:
        raise SiteSpecError(f"{source}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(_FIELDS)}")
    values: dict[str, Any] = {"id": default_id, **data}
    for name, value in values.items():
        if name in _TUPLE_FIELDS:
            if isinstance(value, str) or not isinstance(value, list | tuple):
                raise SiteSpecError(f"{source}: {name} must be a list of strings")
            if not all(isinstance(item, str) for item in value):
                raise SiteSpecError(f"{source}: {name} must contain only strings")
            values[name] = tuple(value)
        elif name in _STRING_FIELDS and not isinstance(value, str):
            raise SiteSpecError(f"{source}: {name} must be a string")
        elif name == "use_robots_sitemaps" and not isinstance(value, bool):
            raise SiteSpecError(f"{source}: use_robots_sitemaps must be true or false")
        elif name == "extra" and not (
            isinstance(value, dict) and all(isinstance(item, str) for item in value.values())
        ):
            raise SiteSpecError(f"{source}: extra must be a table of strings")
    if "base_url" not in values:
        raise SiteSpecError(f"{source}: base_url is required")
    base = urlsplit(values["base_url"])
    if base.scheme not in {"http", "https"} or not base.hostname:
        raise SiteSpecError(f"{source}: base_url must be an absolute http(s) URL, got {values['base_url']!r}")
    if not _SITE_ID.match(values["id"]):
        raise SiteSpecError(
            f"{source}: id {values['id']!r} must be lower case letters, digits, '.', '_', '-'"
        )
    if values.get("date_order") is not None and values["date_order"] not in _DATE_ORDERS:
        raise SiteSpecError(f"{source}: date_order must be one of {', '.join(sorted(_DATE_ORDERS))}")
    values.setdefault("domains", (_strip_www(base.hostname),))
    values["domains"] = tuple(domain.lower().strip(".") for domain in values["domains"])
    for name in _START_POINT_FIELDS:
        values[name] = tuple(urljoin(values["base_url"], point) for point in values.get(name, ()))
    for name in ("article_patterns", "exclude_patterns"):
        for pattern in values.get(name, ()):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise SiteSpecError(f"{source}: {name} has an invalid regex {pattern!r}: {exc}") from exc
    return SiteSpec(**values)


@cache
def _registry() -> dict[str, SiteSpec]:
    return load_sites()


def get_site(site_id: str) -> SiteSpec:
    """The registered site ``site_id``; KeyError listing the known ids otherwise."""
    sites = _registry()
    try:
        return sites[site_id]
    except KeyError:
        raise KeyError(
            f"unknown site {site_id!r}; known sites: {', '.join(sorted(sites)) or 'none'}"
        ) from None


def site_for_url(url: str) -> SiteSpec | None:
    """The registered site whose domains cover ``url``'s host (subdomains included), most specific first."""
    host = (urlsplit(url).hostname or "").lower().strip(".")
    if not host:
        return None
    best: tuple[int, SiteSpec] | None = None
    for spec in _registry().values():
        for domain in spec.domains:
            if (host == domain or host.endswith("." + domain)) and (best is None or len(domain) > best[0]):
                best = (len(domain), spec)
    return best[1] if best else None


def spec_for_url(url: str) -> SiteSpec:
    """The registered site of ``url``, else an ad-hoc spec for it (the generic path: ``-a url=...``)."""
    registered = site_for_url(url)
    if registered is not None:
        return registered
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    host = parts.hostname.lower().strip(".")
    netloc = f"{host}:{parts.port}" if parts.port else host
    # The design's rule for a site without a spec: it is its registered domain (news.example.co.uk and
    # www.example.co.uk are one site, example.co.uk), and the crawl may visit any host under it.
    site = registered_domain(host)
    return SiteSpec(id=site, domains=(site,), base_url=f"{parts.scheme}://{netloc}")


def _strip_www(host: str) -> str:
    return host[4:] if host.startswith("www.") else host
