"""What makes a record an article worth exporting: one rule per rejection reason, no I/O, no Scrapy."""

from __future__ import annotations

from newscrawl.items import Article


def rejection_reason(article: Article, *, min_words: int) -> str | None:
    """The reason ``article`` is not exported, or ``None`` when it is a real article.

    Reasons are stable identifiers: they name the crawl stat ``newscrawl/dropped/<reason>``.
    """
    if not article.title.strip():
        return "no_title"
    if not article.body.strip():
        return "no_body"
    # Galleries, video pages and teasers carry a headline and a few captions but no article text.
    if article.word_count < min_words:
        return "too_short"
    return None
