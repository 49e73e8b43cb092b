"""Benchmarks of newscrawl beside a bare Scrapy crawl and peer extractors, on a generated local news site."""
