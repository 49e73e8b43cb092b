"""Stand-in for a Scrapy crawl in tests: Scrapy's log lines, growing memory; ``--hang`` never ends."""

import sys
import time

LOGSTATS = (
    "x [scrapy.extensions.logstats] INFO: "
    "Crawled {} pages (at 0 pages/min), scraped {} items (at 0 items/min)\n"
)

if "--hang" in sys.argv:
    sys.stderr.write(LOGSTATS.format(7, 2))
    sys.stderr.flush()
    time.sleep(120)
sys.stderr.write("x [scrapy.core.engine] INFO: Spider opened\n")
hold = []
for pages in (0, 3000, 6000, 9000):
    hold.append(bytearray(8 * 1024 * 1024))
    sys.stderr.write(LOGSTATS.format(pages, pages // 2))
    sys.stderr.flush()
    time.sleep(0.3)
sys.stderr.write(
    "x [scrapy.statscollectors] INFO: Dumping Scrapy stats:\n{'elapsed_time_seconds': 1.5,\n"
    " 'finish_reason': 'finished',\n 'item_scraped_count': 4500,\n 'response_received_count': 9000}\n"
)
