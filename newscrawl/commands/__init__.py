"""newscrawl's Scrapy commands (COMMANDS_MODULE): `scrapy crawlsites`."""
