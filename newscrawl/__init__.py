"""newscrawl: a news crawler on Scrapy that exports clean Article records as JSON Lines."""

__version__ = "0.1.0"
