"""The crawl ceiling: the least work any crawler of the portal can do.

    python -m bench.ceiling --base-url http://127.0.0.1:8765 --start-path /xa-phuong [...]

It walks each section listing to its end and fetches every article exactly
once, by its canonical URL (the root path ``/<slug>-<id>.html``, one request
per article id however many variants link to it), and nothing else: no
home page, hubs, tags or trap URLs. Pages are not parsed: hrefs are found by
a bytes regex. robots.txt is obeyed and the concurrency is the one bench.run
gives ``wardnews crawl`` (``LIFTED``), so the two crawls differ only in what
wardnews does with each page. Prints one JSON line: pages, article ids
fetched, Scrapy's stats.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess

# The overrides bench.run passes to `wardnews crawl` with -s, shared so the two stay alike.
LIFTED = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "0",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
}
_HREF_RE = re.compile(rb"""href\s*=\s*["']([^"'#]+)""", re.IGNORECASE)
_ARTICLE_RE = re.compile(r"/([^/]+-(\d{4,})\.html?)/?$", re.IGNORECASE)
_PAGE_RE = re.compile(r"(?:^|&)page=(\d+)(?:&|$)")


class CeilingSpider(scrapy.Spider):
    name = "ceiling"

    def __init__(self, base_url: str, start_paths: list[str], **kwargs):
        super().__init__(**kwargs)
        self.base = base_url.rstrip("/")
        self.host = urlsplit(self.base).netloc.lower()
        self.start_paths = start_paths
        self.article_ids: set[str] = set()
        self.listings: set[str] = set()

    async def start(self):
        for path in self.start_paths:
            yield self._listing(path, path)

    def _listing(self, section: str, url_path: str):
        self.listings.add(url_path)
        return scrapy.Request(self.base + url_path, callback=self.parse, cb_kwargs={"section": section})

    def parse(self, response, section: str | None = None):
        for match in _HREF_RE.finditer(response.body):
            href = match.group(1).decode("utf-8", "replace").strip()
            url = href if href.startswith("http") else urljoin(response.url, href)
            parts = urlsplit(url)
            if parts.netloc.lower() != self.host:
                continue
            article = _ARTICLE_RE.search(parts.path)
            if article:
                key = article.group(2)
                if key not in self.article_ids:
                    self.article_ids.add(key)
                    yield scrapy.Request(f"{self.base}/{article.group(1).lower()}", callback=self.parse)
            elif section is not None and parts.path.rstrip("/") == section:
                page = _PAGE_RE.search(parts.query)
                path = f"{section}?page={page.group(1)}" if page else section
                if path not in self.listings:
                    yield self._listing(section, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ceiling", description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--start-path", action="append", required=True, help="a section listing (repeat)")
    parser.add_argument("--timeout", type=float, default=0, help="stop after this many seconds (0: none)")
    parser.add_argument("--log-file", help="Scrapy log file (default: stderr, level WARNING)")
    args = parser.parse_args(argv)
    settings = {
        **LIFTED,
        "ROBOTSTXT_OBEY": True,
        "USER_AGENT": "wardnews-bench-ceiling/0.2",
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        # As wardnews.settings has it: Scrapy's default (100) starts 100 asyncio tasks a response.
        "CONCURRENT_ITEMS": 8,
        "RETRY_ENABLED": True,
        "CLOSESPIDER_TIMEOUT": args.timeout,
        "LOG_LEVEL": "INFO" if args.log_file else "WARNING",
        "LOG_FILE": args.log_file,
    }
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(CeilingSpider)
    process.crawl(crawler, base_url=args.base_url, start_paths=args.start_path)
    process.start()
    stats = crawler.stats.get_stats()
    out = {
        "pages": stats.get("response_received_count", 0),
        "requests": stats.get("downloader/request_count", 0),
        "article_ids": sorted(crawler.spider.article_ids),
        "listing_pages": len(crawler.spider.listings),
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
