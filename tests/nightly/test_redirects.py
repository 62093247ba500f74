"""Redirects stay on the portal; loopback, private and link-local addresses are never requested."""

from __future__ import annotations

import subprocess
import sys

import pytest

from wardnews.middlewares import non_public_reason
from wardnews.testing import Portal, PortalServer, Response

from .helpers import WARDNEWS, query, run_crawl

METADATA = "http://169.254.169.254/latest/meta-data/"


class RedirectingPortal(Portal):
    """The mirror, where a few article URLs send the crawler elsewhere."""

    def __init__(self, *args, targets: dict[str, tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = targets  # path -> (status, target URL); status 200 means a meta refresh

    def render(self, path_and_query, *, base_url=None):
        if path_and_query in self.targets:
            status, target = self.targets[path_and_query]
            if status == 200:
                refresh = f'<meta http-equiv="refresh" content="0; url={target}">'
                html = f"<html><head>{refresh}</head><body></body></html>"
                return Response(200, {"Content-Type": "text/html; charset=utf-8"}, html.encode())
            return Response(status, {"Location": target, "Content-Type": "text/html"}, b"")
        return super().render(path_and_query, base_url=base_url)


@pytest.fixture
def elsewhere():
    """Another server on another loopback address, whose article ids are the portal's own."""
    with PortalServer(Portal(12, seed=99), host="127.0.0.2") as server:
        yield server


def test_redirects_off_the_portal_are_recorded_not_followed(db, elsewhere):
    portal_keys = {a.key for a in Portal(12, seed=41).expected_articles()}
    forged = next(a for a in elsewhere.portal.expected_articles() if a.key in portal_keys)
    targets = {
        "/chuyen-huong-metadata-198001.html": (302, METADATA),
        "/chuyen-huong-loopback-198002.html": (301, elsewhere.url(forged.path)),
        "/chuyen-huong-303-198003.html": (303, elsewhere.url(forged.path)),
        "/chuyen-huong-307-198004.html": (307, elsewhere.url(forged.path)),
        "/chuyen-huong-308-198005.html": (308, METADATA),
        "/chuyen-huong-refresh-198006.html": (200, elsewhere.url(forged.path)),
    }
    portal = RedirectingPortal(12, seed=41, targets=targets)
    real = next(a for a in portal.expected_articles() if a.key == forged.key)  # the same id on the portal
    with PortalServer(portal) as server:
        starts = [arg for path in [*targets, real.path] for arg in ("--start-url", server.url(path))]
        result = run_crawl(server, db, *starts, "--max-depth", "0")
        errors = {url: error for url, error in query(db, "SELECT url, error FROM fetch_errors")}
    assert result.code in (0, 4), result.stdout + result.stderr  # 6 of 8 requests failed: degraded
    assert elsewhere.requests == []  # never asked
    assert {path: errors.get(server.url(path)) for path in targets} == dict.fromkeys(
        targets, "OffsiteRedirect"
    )
    rows = query(db, "SELECT url, title FROM articles WHERE article_key = ?", (forged.key,))
    assert rows == [(server.url(real.path), real.title)]  # the portal's article, not the forged page
    assert query(db, "SELECT count(*) FROM articles WHERE url LIKE 'http://127.0.0.2%'") == [(0,)]
    assert query(db, "SELECT count(*) FROM url_aliases WHERE url LIKE 'http://127.0.0.2%'") == [(0,)]


def fetch(*args, cwd):
    return subprocess.run([WARDNEWS, "fetch", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_fetch_refuses_redirects_off_the_portal_and_non_public_addresses(tmp_path, elsewhere):
    forged = elsewhere.portal.expected_articles()[0]
    targets = {
        "/chuyen-huong-198011.html": (302, elsewhere.url(forged.path)),
        "/sieu-du-lieu-198012.html": (302, METADATA),
    }
    portal = RedirectingPortal(8, seed=42, targets=targets)
    db = tmp_path / "w.db"
    with PortalServer(portal) as server:
        off = fetch(
            server.url("/chuyen-huong-198011.html"),
            "--base-url",
            server.base_url,
            "--db",
            str(db),
            cwd=tmp_path,
        )
        # With --any-site the redirect may leave the portal, but not for a link-local address.
        meta = fetch(server.url("/sieu-du-lieu-198012.html"), "--any-site", "--db", str(db),
                     "-s", f"WARDNEWS_PRIVATE_HOSTS={server.netloc}", cwd=tmp_path)  # fmt: skip
        direct = fetch(elsewhere.url(forged.path), "--any-site", "--db", str(db), cwd=tmp_path)
        literal = fetch(METADATA, "--any-site", "--db", str(db), cwd=tmp_path)
    assert off.returncode == 1 and "OffsiteRedirect" in off.stderr, off.stderr
    assert meta.returncode == 1 and "BlockedAddress" in meta.stderr, meta.stderr
    for refused in (direct, literal):
        assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr
        assert "address: wardnews requests only public hosts" in refused.stderr
    assert elsewhere.requests == []


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.9.9.9", "loopback"),
        ("::1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("172.16.5.4", "private"),
        ("fd00::1", "private"),
        ("::ffff:10.0.0.1", "private"),
        ("0.0.0.0", "private"),
        ("100.64.0.1", "not-global"),
        ("224.0.0.1", "multicast"),
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
)
def test_non_public_addresses(address, reason):
    assert non_public_reason(address) == reason


def test_the_mirror_itself_may_be_on_loopback(tmp_path):
    # The configured --base-url is the one non-public host allowed: the rest of the suite relies on it.
    with PortalServer(Portal(5, seed=43)) as server:
        article = server.portal.expected_articles()[0]
        done = subprocess.run(
            [sys.executable, "-m", "wardnews", "fetch", server.url(article.path),
             "--base-url", server.base_url, "--db", str(tmp_path / "w.db")],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
