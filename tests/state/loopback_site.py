"""A small news site that tests change between runs, served on 127.0.0.1 with ETags and a request log."""

from __future__ import annotations

import hashlib
import html
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
ARTICLE_PREFIX = "/news/"
_CONTENT_TYPES = {".xml": "application/xml", ".txt": "text/plain", ".html": "text/html; charset=utf-8"}
_FILLER = ("The council met on Tuesday evening to discuss the proposal, which residents have debated for "
           "months. Officials said the plan would be reviewed again next spring after a public consultation, "
           "and several speakers asked for more detail on costs, timing and the effect on local traffic.")


@dataclass
class Story:
    slug: str
    title: str
    body: str
    published: str
    modified: str
    in_sitemap: bool = True
    in_feed: bool = False

    @property
    def path(self) -> str:
        return f"{ARTICLE_PREFIX}{self.published[:10].replace('-', '/')}/{self.slug}.html"


@dataclass(frozen=True)
class Hit:
    path: str
    if_none_match: str | None


@dataclass
class SiteState:
    """What the server shares with the test: the request log and an optional hold on article requests."""

    hits: list[Hit] = field(default_factory=list)
    articles_before_hold: int | None = None
    articles_served: int = 0
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)


PUBLISHED = (datetime.now(UTC) - timedelta(days=2)).replace(microsecond=0)
"""Stories are two days old: recent, as on a news site, and older than any crawl of the test."""


def story(number: int, *, revision: int = 0, modified: datetime | None = None, in_feed: bool = False,
          in_sitemap: bool = True) -> Story:
    """Story ``number``; ``revision`` changes its text, ``modified`` its lastmod (default: published)."""
    published = PUBLISHED - timedelta(minutes=number)
    paragraphs = [f"Story {number} opens with news that matters to the town of Exampleton."]
    paragraphs += [f"{_FILLER} Paragraph {index} of story {number}." for index in range(3)]
    if revision:
        paragraphs.append(f"Update {revision}: officials confirmed the figures in a statement on Friday.")
    return Story(
        slug=f"story-number-{number}-about-the-town-council",
        title=f"Town council story number {number}",
        body="\n".join(f"<p>{html.escape(text)}</p>" for text in paragraphs),
        published=published.isoformat(),
        modified=(modified or published).replace(microsecond=0).isoformat(),
        in_feed=in_feed,
        in_sitemap=in_sitemap,
    )


def write_site(root: Path, base_url: str, stories: list[Story]) -> None:
    """(Re)write every file of the site; what the previous version had and this one lacks is removed."""
    for old in root.rglob("*.html"):
        old.unlink()
    root.mkdir(parents=True, exist_ok=True)
    (root / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {base_url}/sitemap.xml\n")
    links = "\n".join(f'<li><a href="{s.path}">{html.escape(s.title)}</a></li>' for s in stories)
    section = ("<!doctype html><html lang='en'><head><title>News</title>"
               '<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body><h1>News</h1>'
               f"<ul>{links}</ul></body></html>")
    (root / "news").mkdir(exist_ok=True)
    (root / "news" / "index.html").write_text(section)
    (root / "index.html").write_text(section.replace("<h1>News</h1>", "<h1>Exampleton Times</h1>"))
    entries = "\n".join(
        f"<url><loc>{base_url}{s.path}</loc><lastmod>{s.modified}</lastmod>"
        f"<news:news><news:publication><news:name>Exampleton Times</news:name><news:language>en"
        f"</news:language></news:publication><news:publication_date>{s.published}</news:publication_date>"
        f"<news:title>{html.escape(s.title)}</news:title></news:news></url>"
        for s in stories if s.in_sitemap)
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n{entries}\n</urlset>\n')
    items = "\n".join(
        f"<item><title>{html.escape(s.title)}</title><link>{base_url}{s.path}</link>"
        f"<guid>{base_url}{s.path}</guid></item>" for s in stories if s.in_feed)
    (root / "feed.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Exampleton Times</title>'
        f"<link>{base_url}/</link><description>News</description>\n{items}\n</channel></rss>\n")
    for s in stories:
        page = root / s.path.lstrip("/")
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(s.title)}</title>"
            f'<link rel="canonical" href="{base_url}{s.path}">'
            f'<meta property="article:published_time" content="{s.published}">'
            f'<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>'
            f"<article><h1>{html.escape(s.title)}</h1><p class='byline'>By Jane Reporter</p>"
            f"{s.body}</article></body></html>")


def _handler(root: Path, state: SiteState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            with state.lock:
                state.hits.append(Hit(path, self.headers.get("If-None-Match")))
            if path.startswith(ARTICLE_PREFIX) and path.endswith(".html"):
                with state.lock:
                    state.articles_served += 1
                    held = (state.articles_before_hold is not None
                            and state.articles_served > state.articles_before_hold)
                if held:
                    state.release.wait(120)
            file = root / path.lstrip("/")
            if file.is_dir():
                file = file / "index.html"
            if not file.is_file():
                self.send_error(404)
                return
            body = file.read_bytes()
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            try:
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", _CONTENT_TYPES.get(file.suffix, "application/octet-stream"))
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)
            except ConnectionError:
                pass  # the crawler was killed while this request was held: nobody is listening

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


class LoopbackSite:
    """``with LoopbackSite(root) as site:`` serves ``root`` on a free 127.0.0.1 port."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.state = SiteState()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(root, self.state))
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> LoopbackSite:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.state.release.set()
        self._server.shutdown()
        self._server.server_close()

    def publish(self, stories: list[Story]) -> None:
        write_site(self.root, self.base_url, stories)

    def take_hits(self) -> list[Hit]:
        with self.state.lock:
            hits, self.state.hits = self.state.hits, []
        return hits


def crawl_command(base_url: str, output: Path, *settings: str) -> list[str]:
    """``scrapy crawl news`` on a loopback site, fast and deterministic (no AutoThrottle, no delays)."""
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={base_url}/",
               "-s", f"NEWSCRAWL_OUTPUT_DIR={output}", "-s", "NEWSCRAWL_ALLOW_PRIVATE_TARGETS=true",
               "-s", "AUTOTHROTTLE_ENABLED=false", "-s", "TELNETCONSOLE_ENABLED=false",
               "-s", "LOG_LEVEL=INFO"]
    for setting in settings:
        command += ["-s", setting]
    return command


def run_crawl(base_url: str, output: Path, *settings: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(crawl_command(base_url, output, *settings), cwd=REPO, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    return done


def delivered_records(output: Path) -> Iterator[dict[str, Any]]:
    """Every record in every delivered (final-named) JSON Lines file under ``output``."""
    import json

    for path in sorted(output.glob("*/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            yield json.loads(line)
