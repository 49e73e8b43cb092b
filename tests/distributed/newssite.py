"""A small loopback news site for the cluster tests: robots.txt, news sitemap, home page, N articles."""

from __future__ import annotations

import html
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

# Article text is built from these sentences so every page is a real article (well over the 40-word minimum)
# and differs from the others only by its number and title.
SENTENCES = (
    "The city council met on Tuesday evening to discuss the new budget for public transport.",
    "Residents said the changes would affect thousands of commuters who rely on the night buses.",
    "The mayor promised a full consultation before any of the routes are cut or merged.",
    "Opposition members argued that the plan had been drawn up without looking at ridership data.",
    "A final vote is expected next month, after the transport committee publishes its report.",
)
ARTICLE_PATH = "/news/2024/05/{number:02d}/council-story-{number}.html"


def article_path(number: int) -> str:
    return ARTICLE_PATH.format(number=number)


class NewsSite:
    """Serves ``articles`` articles on 127.0.0.1 (a free port), each answered after ``delay`` seconds."""

    def __init__(self, articles: int, delay: float = 0.0) -> None:
        self.articles = articles
        self.delay = delay
        self.hits: dict[str, int] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> NewsSite:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()

    def article_urls(self) -> list[str]:
        return [self.base_url + article_path(number) for number in range(1, self.articles + 1)]

    def article_hits(self) -> int:
        """Article pages served so far (a page fetched twice counts twice)."""
        with self._lock:
            return sum(count for path, count in self.hits.items() if path.startswith("/news/"))

    # ------------------------------------------------------------------------------------------ pages
    def page(self, path: str) -> tuple[str, str] | None:
        base = self.base_url
        if path == "/robots.txt":
            return "text/plain", f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n"
        if path == "/sitemap.xml":
            entries = "".join(
                f"<url><loc>{base}{article_path(n)}</loc><news:news><news:publication>"
                f"<news:name>Loopback Gazette</news:name><news:language>en</news:language></news:publication>"
                f"<news:publication_date>2024-05-{1 + n % 28:02d}T10:00:00+02:00</news:publication_date>"
                f"<news:title>Council story {n}</news:title></news:news></url>"
                for n in range(1, self.articles + 1)
            )
            return "application/xml", (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + entries + "</urlset>"
            )
        if path in ("/", "/index.html"):
            links = "".join(f'<li><a href="{article_path(n)}">Council story {n}</a></li>'
                            for n in range(1, self.articles + 1))
            return "text/html; charset=utf-8", (
                f"<!doctype html><html lang=en><head><title>Loopback Gazette</title></head>"
                f"<body><h1>Loopback Gazette</h1><ul>{links}</ul></body></html>"
            )
        for number in range(1, self.articles + 1):
            if path == article_path(number):
                return "text/html; charset=utf-8", self._article(number)
        return None

    def _article(self, number: int) -> str:
        title = f"Council story {number}: budget talks continue"
        paragraphs = "".join(f"<p>Story {number}. {' '.join(SENTENCES[i:] + SENTENCES[:i])}</p>"
                             for i in range(len(SENTENCES)))
        return (
            f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{html.escape(title)}</title>"
            f'<meta property="og:title" content="{html.escape(title)}">'
            f'<link rel="canonical" href="{self.base_url}{article_path(number)}">'
            f'<meta property="article:published_time" content="2024-05-{1 + number % 28:02d}T10:00:00+02:00">'
            f"</head><body><article><h1>{html.escape(title)}</h1>"
            f'<p class="byline">By Jane Reporter</p>{paragraphs}</article></body></html>'
        )

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                with site._lock:
                    site.hits[path] = site.hits.get(path, 0) + 1
                found = site.page(path)
                if found is None:
                    self.send_error(HTTPStatus.NOT_FOUND)
                    return
                if site.delay and path.startswith("/news/"):
                    time.sleep(site.delay)
                content_type, text = found
                body = text.encode("utf-8")
                self.send_response(HTTPStatus.OK)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
