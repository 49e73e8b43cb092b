"""Which records are not articles, and the reason each is dropped under."""

from __future__ import annotations

from newscrawl.items import Article
from newscrawl.validate import rejection_reason


def _article(title: str = "Headline", body: str = "word " * 60) -> Article:
    return Article(url="https://x.test/a", canonical_url="https://x.test/a", site="x.test", title=title,
                   body=body.strip(), word_count=len(body.split()))


def test_a_real_article_passes() -> None:
    assert rejection_reason(_article(), min_words=40) is None


def test_reasons_are_specific() -> None:
    assert rejection_reason(_article(title=" "), min_words=40) == "no_title"
    assert rejection_reason(_article(body=""), min_words=40) == "no_body"
    assert rejection_reason(_article(body="Photo one. Photo two."), min_words=40) == "too_short"


def test_the_minimum_is_a_setting_not_a_constant() -> None:
    short = _article(body="Just ten words here to make a brief news item now.")
    assert rejection_reason(short, min_words=40) == "too_short"
    assert rejection_reason(short, min_words=5) is None
