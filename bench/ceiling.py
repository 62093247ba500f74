"""The crawl ceiling: a bare Scrapy spider that follows every same-host link once.

    python -m bench.ceiling --base-url http://127.0.0.1:8765 [--max-pages N] [--timeout S]

No parsing beyond link extraction (``//a/@href``), no items, no pipelines;
Scrapy's own duplicate filter sees to "once". Politeness is lifted exactly as
bench.run lifts it for ``wardnews crawl`` (no delay, no AutoThrottle, 16
concurrent requests), robots.txt is obeyed, so the two crawls differ only in
what wardnews does with each page. Prints one JSON line of Scrapy's stats.
"""

from __future__ import annotations

import argparse
import json
import sys
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import TextResponse

# The overrides bench.run passes to `wardnews crawl` with -s, shared so the two stay alike.
LIFTED = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "0",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
}


class CeilingSpider(scrapy.Spider):
    name = "ceiling"

    def __init__(self, base_url: str, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [base_url.rstrip("/") + "/"]
        self.host = urlsplit(base_url).netloc.lower()
        self.seen: set[str] = set()  # a page links ~200 URLs: skip the engine's round trip for repeats

    def parse(self, response):
        if not isinstance(response, TextResponse):
            return
        for href in response.xpath("//a/@href").getall():
            url = response.urljoin(href.strip())
            parts = urlsplit(url)
            url = url.split("#", 1)[0]
            if url in self.seen or parts.scheme not in ("http", "https") or parts.netloc.lower() != self.host:
                continue
            self.seen.add(url)
            yield scrapy.Request(url, callback=self.parse)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ceiling", description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--max-pages", type=int, default=0, help="stop after this many responses (0: none)")
    parser.add_argument("--timeout", type=float, default=0, help="stop after this many seconds (0: none)")
    parser.add_argument("--log-file", help="Scrapy log file (default: stderr, level WARNING)")
    args = parser.parse_args(argv)
    settings = {
        **LIFTED,
        "ROBOTSTXT_OBEY": True,
        "USER_AGENT": "wardnews-bench-ceiling/0.1",
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "RETRY_ENABLED": True,
        "CLOSESPIDER_PAGECOUNT": args.max_pages,
        "CLOSESPIDER_TIMEOUT": args.timeout,
        "LOG_LEVEL": "INFO" if args.log_file else "WARNING",
        "LOG_FILE": args.log_file,
    }
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(CeilingSpider)
    process.crawl(crawler, base_url=args.base_url)
    process.start()
    stats = crawler.stats.get_stats()
    out = {
        "pages": stats.get("response_received_count", 0),
        "requests": stats.get("downloader/request_count", 0),
        "elapsed_s": stats.get("elapsed_time_seconds"),
        "finish_reason": stats.get("finish_reason"),
        "status_counts": {
            k.rsplit("/", 1)[1]: v
            for k, v in stats.items()
            if k.startswith("downloader/response_status_count/")
        },
    }
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
