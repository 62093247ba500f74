"""Downloader middlewares: patient retries, redirects kept on the portal, public addresses only,
bounded decompression, and a gate that lets nothing new out once a run is stopping.

Patient retries (``BackoffRetryMiddleware``): the wait doubles with every
attempt (``WARDNEWS_RETRY_BACKOFF`` seconds, then twice that...), is never
longer than ``WARDNEWS_RETRY_MAX_DELAY``, and is at least what the server
asked for in ``Retry-After`` (seconds or an HTTP date), when it did. What is
retried is Scrapy's: ``RETRY_HTTP_CODES`` (5xx, 408, 429) and
``RETRY_EXCEPTIONS`` (timeouts, resets, truncated bodies), ``RETRY_TIMES``
times. A request that fails for good reaches the spider's errback, which
records it in ``fetch_errors``. A retry wait is cut short when the run is
stopping (the retry is then never sent).

The other guards raise exceptions that are not ``IgnoreRequest``, so the
spiders' errbacks record them in ``fetch_errors`` under the exception's name:
``OffsiteRedirect``, ``BlockedAddress``, ``ResponseTooLarge``.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import random
import socket
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils._compression import _DecompressionMaxSizeExceeded
from scrapy.utils.response import response_status_message

from wardnews.sites import SITES
from wardnews.stopping import Interrupted, Stopper

log = logging.getLogger(__name__)


class OffsiteRedirect(Exception):
    """A redirect (HTTP 3xx or meta refresh) to a host that is not the portal's: not followed."""


class BlockedAddress(Exception):
    """A host that is (or resolves to) a loopback, private, link-local or otherwise non-public address."""


class ResponseTooLarge(Exception):
    """A compressed body that expands beyond DOWNLOAD_MAXSIZE: dropped before it fills the memory."""


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for: ``120`` or an HTTP date; None if absent or bad."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_delay(attempt: int, base: float, cap: float, retry_after: float | None = None) -> float:
    """The wait before retry number ``attempt`` (1, 2, ...): base·2^(attempt-1), jittered, capped."""
    delay = base * 2 ** (attempt - 1) * random.uniform(1.0, 1.25)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(delay, cap)


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware with exponential backoff and ``Retry-After``; replaces Scrapy's in settings."""

    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("WARDNEWS_RETRY_BACKOFF", 2.0)
        self.cap = settings.getfloat("WARDNEWS_RETRY_MAX_DELAY", 120.0)

    async def process_response(self, request, response):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        asked = retry_after_seconds(response.headers.get(b"Retry-After"))
        await self._wait(retry, asked)
        return retry

    async def process_exception(self, request, exception):
        if request.meta.get("dont_retry", False) or not isinstance(exception, self.exceptions_to_retry):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await self._wait(retry, None)
        return retry

    async def _wait(self, retry, asked: float | None) -> None:
        delay = backoff_delay(retry.meta["retry_times"], self.base, self.cap, asked)
        retry.meta["retry_delay"] = delay
        self.crawler.stats.inc_value("wardnews/retry/waited_s", round(delay, 3))
        stopper = Stopper.of(self.crawler)
        deadline = time.monotonic() + delay
        # In short steps, so that a stopping run does not sit out a two-minute wait: the retry
        # then goes back to the scheduler, which a stopping engine no longer reads.
        while not stopper.stopping and (left := deadline - time.monotonic()) > 0:
            await asyncio.sleep(min(left, 0.2))


def _target_allowed(crawler, url: str) -> bool:
    """May a redirect lead to ``url``? Only onto the crawled site's hosts, unless any site is allowed."""
    spider = crawler.spider
    site = getattr(spider, "site", None)
    if site is None or crawler.settings.getbool("WARDNEWS_ANY_SITE"):
        return urlsplit(url).scheme in ("http", "https")
    return site.owns(url)


class _PortalRedirects:
    """Mixin for Scrapy's redirect middlewares: a redirect off the portal is refused, not followed."""

    def _redirect(self, redirected, request, reason):
        if not _target_allowed(self.crawler, redirected.url):
            host = urlsplit(redirected.url).netloc or redirected.url
            self.crawler.stats.inc_value("wardnews/redirects/offsite")
            log.warning(
                "not following a redirect (%s) from %s to %s: off the portal", reason, request.url, host
            )
            raise OffsiteRedirect(f"{request.url} redirects ({reason}) to {redirected.url}, off the portal")
        return super()._redirect(redirected, request, reason)


class PortalRedirectMiddleware(_PortalRedirects, RedirectMiddleware):
    """RedirectMiddleware (301, 302, 303, 307, 308) that stays on the portal's hosts."""


class PortalMetaRefreshMiddleware(_PortalRedirects, MetaRefreshMiddleware):
    """MetaRefreshMiddleware that stays on the portal's hosts."""


def non_public_reason(address: str) -> str | None:
    """Why ``address`` (an IP) must not be requested: 'loopback', 'private'...; None if public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for name in ("loopback", "link_local", "private", "multicast", "reserved", "unspecified"):
        if getattr(ip, f"is_{name}"):
            return name.replace("_", "-")
    return None if ip.is_global else "not-global"


def mirror_netlocs(crawler) -> set[str]:
    """Host:port pairs allowed on non-public addresses: the configured mirror and WARDNEWS_PRIVATE_HOSTS."""
    allowed = {h.strip().lower() for h in crawler.settings.getlist("WARDNEWS_PRIVATE_HOSTS") if h.strip()}
    base_url = crawler.settings.get("WARDNEWS_BASE_URL")
    if base_url:
        allowed.add(urlsplit(base_url).netloc.lower())
    site = getattr(crawler.spider, "site", None)
    if site is not None and site.key in SITES and site.base_url != SITES[site.key].base_url:
        allowed.add(site.host)  # a profile rebased onto a mirror (-a base_url=, --base-url)
    return allowed


class PublicAddressesMiddleware:
    """Refuse requests to loopback, private, link-local and other non-public addresses.

    The host's addresses are resolved (a name that resolves to 10.0.0.5 is
    refused like the literal address); the configured mirror (``--base-url``)
    and hosts listed in ``WARDNEWS_PRIVATE_HOSTS`` are exempt. A host that
    changes its answer between this check and the download (DNS rebinding) is
    not caught: that needs a resolver pinned for the connection, out of scope.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self._verdicts: dict[tuple[str, int], str | None] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request):
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return None
        if parts.netloc.lower() in mirror_netlocs(self.crawler):
            return None
        port = parts.port or (443 if parts.scheme == "https" else 80)
        key = (parts.hostname.lower(), port)
        if key not in self._verdicts:
            self._verdicts[key] = await self._verdict(*key)
        reason = self._verdicts[key]
        if reason is None:
            return None
        self.crawler.stats.inc_value("wardnews/blocked_addresses")
        log.warning("not requesting %s: its host %s is a %s address", request.url, parts.hostname, reason)
        raise BlockedAddress(f"{parts.hostname} is a {reason} address; not requested")

    @staticmethod
    async def _verdict(host: str, port: int) -> str | None:
        try:
            return non_public_reason(host)
        except ValueError:  # a name, not a literal address
            pass
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError:
            return None  # does not resolve: the download itself will fail and say so
        for *_, sockaddr in infos:
            reason = non_public_reason(sockaddr[0])
            if reason is not None:
                return reason
        return None


class BoundedDecompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's HttpCompressionMiddleware, whose size refusals reach fetch_errors.

    Scrapy 2.19 stops inflating gzip, deflate, br and zstd bodies at
    ``DOWNLOAD_MAXSIZE`` (in 64 KiB steps, so a bomb never sits whole in
    memory) and raises IgnoreRequest, which the spiders do not record; this
    raises ``ResponseTooLarge`` instead, which they do.
    """

    def process_response(self, request, response, spider=None):
        try:
            return super().process_response(request, response)
        except IgnoreRequest as error:
            if not isinstance(error.__cause__, _DecompressionMaxSizeExceeded):
                raise
            if self.stats is not None:
                self.stats.inc_value("wardnews/responses_too_large")
            raise ResponseTooLarge(str(error)) from None


class StopGateMiddleware:
    """Once the run is stopping (a signal, a full disk), no request leaves for the network.

    It sits last before the downloader, so a request that was held earlier in
    the chain (robots.txt) is stopped here too. Refused requests go back on
    the frontier (``Stopper.dropped``): the next run fetches them.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        stopper = Stopper.of(self.crawler)
        if stopper.stopping:
            stopper.dropped(request)
            raise Interrupted(f"not sent: the run is stopping ({stopper.reason})")
        return None
