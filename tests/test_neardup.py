"""Republished copies merge; distinct stories that share stock paragraphs stay apart."""

from __future__ import annotations

import itertools

from wardnews.neardup import BANDS, bands, jaccard, same_story, shingles, similar_titles
from wardnews.testing.portal import Portal


def test_edited_copies_are_the_same_story():
    portal = Portal(300, seed=1, edited_copies=True)
    copies = [a for a in portal.articles.values() if a.republished_from]
    assert copies
    for copy in copies:
        original = portal.articles[copy.republished_from]
        assert copy.title != original.title and copy.body != original.body
        assert same_story(copy.title, copy.body, original.title, original.body), copy.title
        assert set(bands(shingles(copy.body))) & set(bands(shingles(original.body)))


def test_distinct_stories_sharing_stock_paragraphs_stay_apart():
    portal = Portal(300, seed=1)
    stories = portal.expected_articles()
    shared = 0
    for a, b in itertools.combinations(stories, 2):
        if set(a.paragraphs) & set(b.paragraphs):
            shared += 1
            assert not same_story(a.title, a.body, b.title, b.body), (a.key, b.key)
    assert shared > 50  # the mirror does reuse paragraphs: the test means something


def test_a_misread_body_does_not_merge_two_headlines():
    body = " ".join(f"từ{i}" for i in range(80))  # two pages whose related box was taken for the text
    assert jaccard(shingles(body), shingles(body)) == 1.0
    assert not same_story("Phường Hồng Hà khởi công", body, "Xã Đông Anh ra quân", body)
    assert similar_titles("Phường Hồng Hà: Khởi công dự án", "Phường Hồng Hà - Khởi công dự án (cập nhật)")


def test_short_bodies_are_left_to_the_exact_hash():
    assert bands(shingles("một hai ba bốn năm sáu")) == []
    assert len(bands(shingles(" ".join(f"w{i}" for i in range(400))))) <= BANDS


def test_shingle_hashes_stay_those_stored_databases_hold():
    # story_bands rows of earlier crawls were made from these values: a faster way of
    # computing them must give the very same integers.
    import hashlib

    def stored(gram: str) -> int:
        return int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "big")

    assert shingles("Một hai, ba bốn năm sáu!") == {
        stored("một hai ba bốn năm"),
        stored("hai ba bốn năm sáu"),
    }
