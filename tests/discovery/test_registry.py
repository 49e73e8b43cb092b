"""The site registry: example specs load, bad files fail with the file named, ad-hoc specs for any URL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newscrawl.sites import SiteSpecError, get_site, load_sites, site_for_url, spec_for_url
from newscrawl.sites.registry import SITES_DIRECTORY

REPO = Path(__file__).resolve().parents[2]


def test_example_specs_load_with_absolute_start_points() -> None:
    sites = load_sites()
    assert {"tagesschau", "orf", "rte"} <= set(sites)
    for spec in sites.values():
        assert spec.base_url.startswith(("http://", "https://"))
        for point in spec.homepages + spec.sections + spec.sitemaps + spec.feeds:
            assert point.startswith(("http://", "https://")), (spec.id, point)
    tagesschau = sites["tagesschau"]
    assert tagesschau.feeds[0] == "https://www.tagesschau.de/index~rss2.xml"
    assert (tagesschau.timezone, tagesschau.language, tagesschau.date_order) == ("Europe/Berlin", "de", "DMY")


def test_get_site_and_unknown_site_lists_known_ids() -> None:
    assert get_site("orf").domains == ("orf.at",)
    with pytest.raises(KeyError, match="tagesschau"):
        get_site("no-such-site")


def test_site_for_url_matches_subdomains_only_on_label_boundaries() -> None:
    assert site_for_url("https://wien.orf.at/stories/3300000/")
    assert site_for_url("https://www.tagesschau.de/inland/").id == "tagesschau"  # type: ignore[union-attr]
    assert site_for_url("https://notorf.at/") is None
    assert site_for_url("not a url") is None


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text)
    return path


def test_unknown_key_error_names_the_file_and_the_key(tmp_path: Path) -> None:
    write(tmp_path, "typo.toml", 'base_url = "https://www.example.com"\nfeed = ["/rss"]\n')
    with pytest.raises(SiteSpecError, match=r"typo\.toml.*unknown key\(s\) feed"):
        load_sites(tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('feeds = ["/rss"]\n', "base_url is required"),
        ('base_url = "/relative"\n', "absolute http"),
        ('base_url = "https://x.example"\nfeeds = "/rss"\n', "feeds must be a list"),
        ('base_url = "https://x.example"\narticle_patterns = ["(unclosed"]\n', "invalid regex"),
        ('base_url = "https://x.example"\ndate_order = "DDMMYY"\n', "date_order"),
        ("base_url = \n", "cannot read"),
    ],
    ids=["no-base", "relative-base", "string-not-list", "bad-regex", "bad-date-order", "bad-toml"],
)
def test_bad_site_files_raise_site_spec_error(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path, "bad.toml", text)
    with pytest.raises(SiteSpecError, match=message):
        load_sites(tmp_path)


def test_minimal_file_takes_its_id_from_the_file_name_and_domain_from_base_url(tmp_path: Path) -> None:
    write(
        tmp_path,
        "example-daily.toml",
        'base_url = "https://www.example-daily.com"\nsitemaps = ["/news.xml"]\n',
    )
    spec = load_sites(tmp_path)["example-daily"]
    assert spec.domains == ("example-daily.com",)
    assert spec.sitemaps == ("https://www.example-daily.com/news.xml",)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", 'id = "same"\nbase_url = "https://a.example"\n')
    write(tmp_path, "b.toml", 'id = "same"\nbase_url = "https://b.example"\n')
    with pytest.raises(SiteSpecError, match="already defined"):
        load_sites(tmp_path)


def test_spec_for_an_unregistered_url_is_built_ad_hoc() -> None:
    spec = spec_for_url("https://www.example-unlisted.co.uk:8443/news/a-story?x=1")
    assert spec.id == "example-unlisted.co.uk"
    # The whole registered domain is the site: www. and news. hosts alike.
    assert spec.domains == ("example-unlisted.co.uk",)
    assert spec.base_url == "https://www.example-unlisted.co.uk:8443"
    assert spec.article_patterns == ()
    assert spec_for_url("https://news.example-unlisted.co.uk/").id == "example-unlisted.co.uk"


def test_spec_for_a_registered_url_is_the_registered_spec() -> None:
    assert spec_for_url("https://news.orf.at/stories/3300000/").id == "orf"


def test_spec_for_a_non_http_url_is_refused() -> None:
    with pytest.raises(ValueError, match="http"):
        spec_for_url("mailto:desk@example.com")


def test_sites_can_be_listed_from_the_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "newscrawl.sites", str(SITES_DIRECTORY)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    assert "tagesschau  domains: tagesschau.de" in result.stdout
    assert "feed     https://rss.orf.at/news.xml" in result.stdout
