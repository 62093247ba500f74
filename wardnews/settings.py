"""Scrapy settings for wardnews: polite by default, every value overridable with -s NAME=VALUE."""

import os

BOT_NAME = "wardnews"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# Who we are: site owners read this in their logs. Set WARDNEWS_CONTACT to a mailbox you read.
WARDNEWS_CONTACT = os.environ.get("WARDNEWS_CONTACT", "https://github.com/wardnews/wardnews")
USER_AGENT = f"wardnews/0.1 (research crawler of Hà Nội ward news; +{WARDNEWS_CONTACT})"

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Our RetryMiddleware waits before each retry: exponential backoff, honouring Retry-After.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "wardnews.middlewares.BackoffRetryMiddleware": 550,
}
WARDNEWS_RETRY_BACKOFF = float(os.environ.get("WARDNEWS_RETRY_BACKOFF", "2"))  # seconds, doubled per retry
WARDNEWS_RETRY_MAX_DELAY = float(os.environ.get("WARDNEWS_RETRY_MAX_DELAY", "120"))  # caps Retry-After too
# A live progress line on stderr when it is a terminal (auto | on | off).
EXTENSIONS = {"wardnews.progress.ProgressLine": 500}
WARDNEWS_PROGRESS = os.environ.get("WARDNEWS_PROGRESS", "auto")
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = os.environ.get("WARDNEWS_LOG_LEVEL", "INFO")
# 404s and 410s reach the spider's errback, which records them in fetch_errors.
HTTPERROR_ALLOWED_CODES: list[int] = []
DEPTH_PRIORITY = 0
# Items of one response processed at once. The pipelines are synchronous, so more buys nothing,
# and Scrapy starts this many asyncio tasks for every response (100 by default: a sixth of the
# reactor's time in a full crawl, measured with py-spy).
CONCURRENT_ITEMS = 8

ITEM_PIPELINES = {
    "pipelines.validate.ValidatePipeline": 100,
    "pipelines.dedup.DedupPipeline": 200,
    "pipelines.sqlite.SQLitePipeline": 300,
}

# wardnews' own settings (WARDNEWS_* environment variables set the defaults).
WARDNEWS_DB = os.environ.get("WARDNEWS_DB", "data/wardnews.db")
WARDNEWS_BATCH_SIZE = 50  # articles per transaction
WARDNEWS_MODE = "nightly"  # nightly | full | url (recorded in crawl_runs.mode)
WARDNEWS_MAX_LISTING_PAGES = int(os.environ.get("WARDNEWS_MAX_LISTING_PAGES", "5"))
WARDNEWS_MAX_ARTICLES = int(os.environ.get("WARDNEWS_MAX_ARTICLES", "2000"))
WARDNEWS_MAX_DEPTH = int(os.environ.get("WARDNEWS_MAX_DEPTH", "2"))  # hops through related links
# Nightly runs (issue 4): re-fetch articles published this recently, to catch edits;
# do not ask again for URLs that answered 404/410 (or were no article) this recently.
WARDNEWS_RECHECK_DAYS = float(os.environ.get("WARDNEWS_RECHECK_DAYS", "3"))
WARDNEWS_GONE_DAYS = float(os.environ.get("WARDNEWS_GONE_DAYS", "30"))
# Nightly runs read the site's sitemaps and RSS feed first, and walk the listings only when they
# are absent, stale or broken (spiders/feeds.py); 0 walks the listings every night.
WARDNEWS_FEEDS = os.environ.get("WARDNEWS_FEEDS", "1") not in ("0", "off", "no", "false")
WARDNEWS_FLUSH_SECONDS = float(os.environ.get("WARDNEWS_FLUSH_SECONDS", "5"))  # commit a partial batch after
# Extraction worker processes (wardnews.pool): empty = one per core; 0 or 1 = in the crawl's process.
WARDNEWS_WORKERS = os.environ.get("WARDNEWS_WORKERS", "")
