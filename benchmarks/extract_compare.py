"""Time newscrawl's extraction beside trafilatura and newspaper4k on the same generated pages, from disk."""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from benchmarks.sitegen import DEFAULT_DIR, PLACEHOLDER_ORIGIN, ArticleTruth, load_truth

#: Untimed calls before timing: the first call of each library loads lazy state (regexes, configs, caches).
WARMUP_PAGES = 3
DEFAULT_SAMPLE = 400
#: Characters compared at each end of the body: enough to identify a paragraph, robust to joining rules.
SNIPPET_CHARS = 60


@dataclass(frozen=True)
class Extracted:
    """The few fields every extractor returns, in a common shape for scoring."""

    title: str | None
    body: str
    authors: tuple[str, ...]
    published: str | None
    """ISO 8601 date or date-time as the extractor gives it."""


Extractor = Callable[[str, str], Extracted]


@dataclass
class ExtractorResult:
    """Speed and quick correctness of one extractor over the sampled pages."""

    name: str
    available: bool = True
    reason: str = ""
    pages: int = 0
    errors: int = 0
    """Pages on which the extractor raised (counted, the run goes on)."""
    median_ms: float = 0.0
    p90_ms: float = 0.0
    pages_per_s: float = 0.0
    cpu_ms_per_page: float = 0.0
    title_ok: float = 0.0
    authors_ok: float = 0.0
    date_ok: float = 0.0
    """Publication day right (``YYYY-MM-DD`` as printed in the site's own zone)."""
    body_ok: float = 0.0
    """Body holds the first paragraph, ends with the last, and holds none of the page's chrome texts
    (a headline or standfirst repeated before the first paragraph is tolerated: peers differ on it)."""


@dataclass(frozen=True)
class Page:
    url: str
    html: str
    truth: ArticleTruth


def _iso(value: object) -> str | None:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value) if value else None


def newscrawl_extractor() -> Extractor:
    from itemadapter import ItemAdapter

    from newscrawl.extraction import extract_article

    def extract(html: str, url: str) -> Extracted:
        article = ItemAdapter(extract_article(html, url))
        return Extracted(
            article.get("title"),
            article.get("body") or "",
            tuple(article.get("authors") or ()),
            article.get("published_at"),
        )

    return extract


def trafilatura_extractor() -> Extractor:
    import trafilatura

    def extract(html: str, url: str) -> Extracted:
        document = trafilatura.bare_extraction(html, url=url, with_metadata=True)
        if document is None:
            return Extracted(None, "", (), None)
        data: dict[str, Any] = document if isinstance(document, dict) else document.as_dict()
        authors = tuple(a.strip() for a in (data.get("author") or "").split(";") if a.strip())
        return Extracted(data.get("title"), data.get("text") or "", authors, _iso(data.get("date")))

    return extract


def newspaper_extractor() -> Extractor:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "nltk is not installed": only its NLP features need it
        import newspaper

    config = newspaper.Config()
    # Without these newspaper4k downloads images to rank them and caches URLs on disk: no network, no state.
    config.fetch_images = False
    config.memorize_articles = False
    config.disable_category_cache = True
    config.follow_meta_refresh = False

    def extract(html: str, url: str) -> Extracted:
        article = newspaper.Article(url, config=config)
        article.download(input_html=html)
        article.parse()
        return Extracted(
            article.title, article.text or "", tuple(article.authors), _iso(article.publish_date)
        )

    return extract


EXTRACTORS: dict[str, Callable[[], Extractor]] = {
    "newscrawl": newscrawl_extractor,
    "trafilatura": trafilatura_extractor,
    "newspaper4k": newspaper_extractor,
}
PEERS = ("trafilatura", "newspaper4k")


def _fold(text: str) -> str:
    return " ".join(text.split())


def score(extracted: Extracted, truth: ArticleTruth) -> dict[str, bool]:
    """Which fields the extractor got right on one page."""
    body = _fold(extracted.body)
    first, last = _fold(truth.paragraphs[0]), _fold(truth.paragraphs[-1])
    body_ok = (
        first[:SNIPPET_CHARS] in body
        and body.endswith(last[-SNIPPET_CHARS:])
        and not any(_fold(sentinel) in body for sentinel in truth.chrome_sentinels)
    )
    return {
        "title": _fold(extracted.title or "") == _fold(truth.title),
        "authors": set(extracted.authors) == set(truth.authors),
        "date": (extracted.published or "")[:10] == truth.published[:10],
        "body": body_ok,
    }


def _percentile(sorted_values: Sequence[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def measure(name: str, extractor: Extractor, pages: Sequence[Page]) -> ExtractorResult:
    """Run ``extractor`` over ``pages``, timing each call; a page that raises is counted, never fatal."""
    result = ExtractorResult(name=name)
    for page in pages[:WARMUP_PAGES]:
        with contextlib.suppress(Exception):  # counted below, when it happens again in the timed run
            extractor(page.html, page.url)
    timings: list[float] = []
    hits = {"title": 0, "authors": 0, "date": 0, "body": 0}
    cpu_start = time.process_time()
    wall_start = time.perf_counter()
    for page in pages:
        started = time.perf_counter()
        try:
            extracted = extractor(page.html, page.url)
        except Exception:  # one bad page must not end the comparison
            result.errors += 1
            continue
        finally:
            timings.append(time.perf_counter() - started)
        for field_name, ok in score(extracted, page.truth).items():
            hits[field_name] += ok
    wall = time.perf_counter() - wall_start
    cpu = time.process_time() - cpu_start
    result.pages = len(pages)
    if not pages:
        return result
    timings.sort()
    result.median_ms = 1000 * statistics.median(timings)
    result.p90_ms = 1000 * _percentile(timings, 0.9)
    result.pages_per_s = len(pages) / wall if wall > 0 else 0.0
    result.cpu_ms_per_page = 1000 * cpu / len(pages)
    result.title_ok, result.authors_ok, result.date_ok, result.body_ok = (
        hits[key] / len(pages) for key in ("title", "authors", "date", "body")
    )
    return result


def sample_pages(site_dir: Path, count: int) -> list[Page]:
    """``count`` article pages spread evenly over the site (newest to oldest), with their answer keys."""
    truths = load_truth(site_dir)
    if not truths:
        raise ValueError(f"{site_dir} has no articles")
    step = max(1, len(truths) // max(count, 1))
    chosen = truths[::step][:count]
    return [
        Page(
            PLACEHOLDER_ORIGIN + truth.path,
            (site_dir / truth.path.lstrip("/")).read_text(encoding="utf-8"),
            truth,
        )
        for truth in chosen
    ]


def compare(site_dir: Path, names: Sequence[str], count: int = DEFAULT_SAMPLE) -> list[ExtractorResult]:
    """Measure each named extractor on the same sampled pages; one that cannot be imported is reported n/a."""
    pages = sample_pages(site_dir, count)
    results = []
    for name in names:
        try:
            extractor = EXTRACTORS[name]()
        except Exception as error:  # a missing or half-written extractor is a row, not a crash
            results.append(ExtractorResult(name=name, available=False, reason=f"not importable: {error}"))
            continue
        results.append(measure(name, extractor, pages))
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--pages", type=int, default=DEFAULT_SAMPLE, help="article pages to sample")
    parser.add_argument("--extractors", default=",".join(EXTRACTORS), help="comma-separated names")
    parser.add_argument("--json", action="store_true", help="print results as one JSON list")
    args = parser.parse_args(argv)
    names = [name for name in args.extractors.split(",") if name]
    unknown = set(names) - set(EXTRACTORS)
    if unknown:
        parser.error(f"unknown extractor(s): {', '.join(sorted(unknown))}")
    results = compare(args.site, names, args.pages)
    if args.json:
        print(json.dumps([asdict(r) for r in results]))
        return 0
    for r in results:
        if not r.available:
            print(f"{r.name:12} n/a ({r.reason})")
            continue
        print(
            f"{r.name:12} {r.pages} pages  median {r.median_ms:.1f} ms  p90 {r.p90_ms:.1f} ms  "
            f"{r.pages_per_s:.0f} pages/s  errors {r.errors}  title {r.title_ok:.0%}  "
            f"authors {r.authors_ok:.0%}  date {r.date_ok:.0%}  body {r.body_ok:.0%}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
