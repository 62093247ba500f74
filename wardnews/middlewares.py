"""Patient retries: Scrapy's RetryMiddleware, waiting before each retry.

The wait doubles with every attempt (``WARDNEWS_RETRY_BACKOFF`` seconds,
then twice that...), is never longer than ``WARDNEWS_RETRY_MAX_DELAY``, and
is at least what the server asked for in ``Retry-After`` (seconds or an HTTP
date), when it did. What is retried is Scrapy's: ``RETRY_HTTP_CODES``
(5xx, 408, 429) and ``RETRY_EXCEPTIONS`` (timeouts, resets, truncated
bodies), ``RETRY_TIMES`` times. A request that fails for good reaches the
spider's errback, which records it in ``fetch_errors``.
"""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.response import response_status_message

log = logging.getLogger(__name__)


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
        if delay > 0:
            await asyncio.sleep(delay)
