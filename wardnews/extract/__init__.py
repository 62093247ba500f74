"""Pure extraction: ``extract_article(html, url) -> Article | None``. No engine, no network."""

from wardnews.extract.article import (
    EXTRACTOR_VERSION,
    content_hash,
    extract_article,
    extract_or_explain,
    story_hash,
)
from wardnews.extract.boilerplate import Boilerplate

__all__ = [
    "EXTRACTOR_VERSION",
    "Boilerplate",
    "content_hash",
    "extract_article",
    "extract_or_explain",
    "story_hash",
]
