"""URL helpers: canonical form, article identity and how an alias differs.

Pure functions of a URL and a site profile; no network.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as w3lib_canonicalize_url
from w3lib.url import safe_url_string

from wardnews.sites.base import SiteProfile

# Query parameters that only say where a click came from.
TRACKING_PARAM_RE = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_cid|mc_eid"
    r"|_ga|_gl|zarsrc|gidzl|zalo_\w+|ref|refer|src|source|from|share|s_cid|cmpid|itm_\w+)$",
    re.IGNORECASE,
)


_HTML_SLASH_RE = re.compile(r"\.html?/+$")


class UrlError(ValueError):
    """A URL we will not fetch, with a sentence that says why."""


def check_fetchable(url: str, site: SiteProfile | None) -> str:
    """Return ``url`` stripped if it is http(s) and on ``site`` (any host when None).

    Raises UrlError with one sentence for the user otherwise.
    """
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UrlError(f"{url!r} is not an http(s) URL.")
    if site is not None and not site.owns(url):
        raise UrlError(
            f"{parts.netloc} is not a host of {site.name} ({', '.join(sorted(site.hosts))}); "
            "pass --any-site to extract it with metadata and heuristics alone."
        )
    return url


@lru_cache(maxsize=8192)  # a page repeats its links in several boxes; so do its neighbours
def join_url(base: str, href: str) -> str | None:
    """``href`` made absolute against ``base``; None for what is not a parseable URL (``http://[::1/x``)."""
    href = href.strip()
    try:
        if href.startswith(("http://", "https://")):
            url = href
        elif href.startswith("/") and not href.startswith("//"):
            url = _origin(base) + href  # the common case, without urljoin's full parse
        else:
            url = urljoin(base, href)
        netloc = url.split("/", 3)[2] if url.count("/") >= 2 else ""
        if "[" in netloc or ":" in netloc:
            port = urlsplit(url).port  # raises ValueError on a bad host or port
            if port is not None and not 0 < port < 65536:
                return None
    except ValueError:
        return None
    return url


@lru_cache(maxsize=64)
def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def strip_tracking(url: str) -> str:
    """``url`` without tracking query parameters (utm_*, fbclid, gclid ...) and fragment."""
    parts = urlsplit(url)
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAM_RE.match(k)
    ]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def desktop_url(url: str, site: SiteProfile) -> str:
    """Map a mobile host or mobile path prefix of ``site`` onto the desktop URL."""
    parts = urlsplit(url)
    netloc = parts.netloc.lower()
    scheme = parts.scheme
    if netloc in site.hosts and netloc not in site.sub_hosts:
        base = urlsplit(site.base_url)
        scheme, netloc = base.scheme, base.netloc.lower()
    path = parts.path or "/"
    for prefix in site.mobile_path_prefixes:
        if path.lower().startswith(prefix):
            path = "/" + path[len(prefix) :]
            break
    return urlunsplit((scheme, netloc, path, parts.query, parts.fragment))


def article_key(url: str, site: SiteProfile) -> str | None:
    """The portal's article id in ``url`` (``...-203248.html`` -> ``"203248"``).

    A print page gives the id of the article it prints. On a sub-site the id
    is prefixed with the sub-site's name (``lamgiau:12345``): its ids are not
    known to be the main site's. A long read (``.media``) has none in its URL.
    """
    parts = urlsplit(url)
    match = site.article_path_re.search(parts.path.rstrip("/"))
    if match is None and site.print_url_re is not None:
        match = site.print_url_re.search(_path_and_query(parts))
    if match is None:
        return None
    return qualified_key(match.group(1), parts.netloc, site)


def qualified_key(number: str, netloc: str, site: SiteProfile) -> str:
    """``number`` as the article key of a page on ``netloc`` (prefixed on a sub-site)."""
    netloc = netloc.lower()
    if netloc in site.sub_hosts:
        return f"{netloc.split('.', 1)[0]}:{number}"
    return number


def is_print_url(url: str, site: SiteProfile) -> bool:
    """True for the printable copy of an article (an alias, never fetched as an article)."""
    return (
        site.print_url_re is not None
        and site.owns(url)
        and site.print_url_re.search(_path_and_query(urlsplit(url))) is not None
    )


def is_long_read_url(url: str, site: SiteProfile) -> bool:
    """True for a long-read page whose URL carries no id (``/slug.media``)."""
    if site.long_read_path_re is None or not site.owns(url):
        return False
    return site.long_read_path_re.search(urlsplit(url).path.rstrip("/")) is not None


def is_article_url(url: str, site: SiteProfile) -> bool:
    """True when ``url`` is on ``site`` and has the shape of an article page (print pages are not)."""
    if not site.owns(url) or is_print_url(url, site):
        return False
    return article_key(url, site) is not None or is_long_read_url(url, site)


def _path_and_query(parts) -> str:
    return parts.path + (f"?{parts.query}" if parts.query else "")


@lru_cache(maxsize=8192)  # a crawl meets the same menu and box links on every page
def canonicalize(url: str, site: SiteProfile | None = None) -> str:
    """The one URL we store for a page however it was reached.

    Tracking parameters and fragment removed, query sorted (w3lib). For a
    site's own URLs also: the desktop host and scheme, no mobile prefix, no
    trailing slash after ``.html``, the path in lower case where the site
    ignores case, and an article path moved to the root (``/section/slug-1.html``
    and ``/slug-1.html`` are one page on this portal).
    """
    url = safe_url_string(url.strip())
    url = strip_tracking(url)
    if site is not None and site.owns(url):
        url = desktop_url(url, site)
        parts = urlsplit(url)
        path = parts.path
        if site.case_insensitive_paths:
            path = path.lower()
        if _HTML_SLASH_RE.search(path):
            path = path.rstrip("/")
        key_match = site.article_path_re.search(path)
        long_read = site.long_read_path_re is not None and site.long_read_path_re.search(path)
        if key_match or long_read:
            path = "/" + path.rsplit("/", 1)[-1]
        url = urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
    return w3lib_canonicalize_url(url, keep_fragments=False)


def alias_kind(url: str, canonical: str, site: SiteProfile | None) -> str:
    """Say in one word how ``url`` differs from ``canonical`` (for ``url_aliases.how``)."""
    if url == canonical:
        return "canonical"
    if site is not None and is_print_url(url, site):
        return "print"
    stripped = strip_tracking(url)
    if site is not None and site.owns(url):
        parts = urlsplit(url)
        if parts.netloc.lower() in site.mobile_hosts or any(
            parts.path.lower().startswith(p) for p in site.mobile_path_prefixes
        ):
            return "mobile"
    if stripped != url.split("#", 1)[0] and canonicalize(stripped, site) == canonical:
        return "tracking"
    if "#" in url and canonicalize(url.split("#", 1)[0], site) == canonical:
        return "fragment"
    if site is not None and canonicalize(url, site) == canonical:
        path = urlsplit(url).path
        if path != path.lower():
            return "letter_case"
        if path.endswith("/"):
            return "trailing_slash"
        if path.count("/") > 1:
            return "section_path"
        return "variant"
    return "rel_canonical"


ARTICLE_LINK, PRINT_LINK = "article", "print"


def link_targets(urls, site: SiteProfile) -> list[tuple[str, str, str | None]]:
    """``(url, canonical, kind)`` for each of the site's own URLs in ``urls``, once each, in order.

    ``kind`` is ``"article"``, ``"print"`` (a print copy) or None (any other page).
    An extraction worker works this out for an article's links, so that the crawl's
    one reactor thread does not canonicalise every link of every page itself.
    """
    targets, met = [], set()
    for url in urls:
        if url in met:
            continue
        met.add(url)
        target = link_target(url, site)
        if target is not None:
            targets.append((url, *target))
    return targets


@lru_cache(maxsize=8192)  # the same box and menu links on page after page
def link_target(url: str, site: SiteProfile) -> tuple[str, str | None] | None:
    """``(canonical, kind)`` of an absolute URL on ``site`` (kind as ``url_kind``), None off the site."""
    if not site.owns(url):
        return None
    canonical = canonicalize(url, site)
    return canonical, url_kind(canonical, site)


@lru_cache(maxsize=8192)  # as canonicalize: the same box and menu links on every page
def url_kind(canonical: str, site: SiteProfile) -> str | None:
    """``"article"``, ``"print"`` (an article's print copy) or None, for a canonical URL."""
    if is_print_url(canonical, site):
        return PRINT_LINK
    if is_article_url(canonical, site):
        return ARTICLE_LINK
    return None
