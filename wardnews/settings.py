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
# Scrapy's downloader middlewares, replaced by ours where we need more (wardnews/middlewares.py):
# - retries wait before each attempt (exponential backoff, Retry-After honoured);
# - redirects (3xx and meta refresh) are followed only onto the portal's hosts;
# - no request goes to a loopback, private or link-local address but the configured mirror;
# - a compressed body that inflates past DOWNLOAD_MAXSIZE is dropped and recorded;
# - once a run is stopping (a signal, a full disk) no request leaves for the network.
DOWNLOADER_MIDDLEWARES = {
    "wardnews.middlewares.PublicAddressesMiddleware": 60,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "wardnews.middlewares.BackoffRetryMiddleware": 550,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "wardnews.middlewares.PortalMetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "wardnews.middlewares.BoundedDecompressionMiddleware": 590,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "wardnews.middlewares.PortalRedirectMiddleware": 600,
    "wardnews.middlewares.StopGateMiddleware": 990,
}
# Bodies larger than this (after decompression, too) are dropped: no news page comes near it.
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
# host:port pairs that may be requested although they are private addresses (an intranet mirror);
# the --base-url mirror is always allowed.
WARDNEWS_PRIVATE_HOSTS: list[str] = []
WARDNEWS_ANY_SITE = False  # fetch --any-site: redirects may leave the portal
WARDNEWS_RETRY_BACKOFF = float(os.environ.get("WARDNEWS_RETRY_BACKOFF", "2"))  # seconds, doubled per retry
WARDNEWS_RETRY_MAX_DELAY = float(os.environ.get("WARDNEWS_RETRY_MAX_DELAY", "120"))  # caps Retry-After too
# A live progress line on stderr when it is a terminal (auto | on | off).
EXTENSIONS = {"wardnews.progress.ProgressLine": 500, "wardnews.stopping.StopOnStorageFailure": 100}
WARDNEWS_PROGRESS = os.environ.get("WARDNEWS_PROGRESS", "auto")
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False  # nobody needs a console on a port of the cron machine
LOG_LEVEL = os.environ.get("WARDNEWS_LOG_LEVEL", "INFO")
LOG_DATEFORMAT = "%Y-%m-%d %H:%M:%S%z"  # the offset, so that a line's time is never ambiguous
# 404s and 410s reach the spider's errback, which records them in fetch_errors.
HTTPERROR_ALLOWED_CODES: list[int] = []
DEPTH_PRIORITY = 0
# Every item and request a callback yields passes each spider middleware's async wrapper, on the
# one reactor core. The spider counts its own hops (WARDNEWS_MAX_DEPTH), so Scrapy's depth
# middleware does nothing here, and the meta-copy check is a developer's aid.
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}
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
# Nightly runs read the site's sitemaps and RSS feed first: a trusted sitemap replaces the listings,
# a trusted feed adds to them (spiders/feeds.py); 0 walks the listings every night.
WARDNEWS_FEEDS = os.environ.get("WARDNEWS_FEEDS", "1") not in ("0", "off", "no", "false")
WARDNEWS_FLUSH_SECONDS = float(os.environ.get("WARDNEWS_FLUSH_SECONDS", "5"))  # commit a partial batch after
# After SIGTERM/SIGINT, how long the pages in transfer may take before the run stops hard.
WARDNEWS_STOP_GRACE = float(os.environ.get("WARDNEWS_STOP_GRACE", "10"))
# Seconds a connection waits for another writer's lock (--busy-timeout); see wardnews.store.connection.
WARDNEWS_BUSY_TIMEOUT = float(os.environ.get("WARDNEWS_BUSY_TIMEOUT", "60"))
# Extraction worker processes (wardnews.pool): empty = one per core; 0 or 1 = in the crawl's process.
WARDNEWS_WORKERS = os.environ.get("WARDNEWS_WORKERS", "")
# How much lower the workers' CPU priority is than the crawl's (nice; 0: the same). See wardnews.pool.
WARDNEWS_WORKER_NICENESS = int(os.environ.get("WARDNEWS_WORKER_NICENESS", "19"))
