"""Reading an article body: paragraphs in order, figures with their captions, the
byline at the end, and the links of any related box inside it.

One walk over the body container's tree sorts every piece into exactly one of
those, which is what keeps captions, related boxes and bylines out of the
body text. The rules are general (tags, class words, position, emphasis), not
one portal's class names; a site profile only says where the container is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from wardnews.extract.byline import ROLE_LABEL_RE, is_source_line
from wardnews.extract.links import article_links
from wardnews.extract.text import (
    INVISIBLE_TAGS,
    class_tokens,
    class_words,
    clean_text,
    element_text,
    href_path,
    is_hidden,
    tag_name,
    tokens_of,
    visible_text,
)
from wardnews.items import Figure
from wardnews.urls import join_url

BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "nav",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "figure",
        "figcaption",
        "pre",
        "center",
        "hr",
        "form",
        "address",
    }
)
TEXT_BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "dt", "dd"})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
MEDIA_TAGS = frozenset({"video", "iframe", "audio", "object", "embed"})
# Class/id words of blocks that are never body text.
BOILERPLATE_WORDS = frozenset(
    {
        "share",
        "sharing",
        "social",
        "ads",
        "ad",
        "adv",
        "advert",
        "advertisement",
        "banner",
        "quangcao",
        "qc",
        "sponsor",
        "sponsored",
        "tags",
        "tag",
        "keywords",
        "comment",
        "comments",
        "binhluan",
        "toolbar",
        "rating",
        "breadcrumb",
        "breadcrumbs",
        "menu",
        "sidebar",
        "newsletter",
        "subscribe",
        "player",
        "popular",
        "recommend",
        "suggest",
        "readmore",
        "xemthem",
        "signature",
        "social-share",
        "box-share",
        "adsbygoogle",
        # an embed's consent placeholder ("Externer Inhalt ... Ich bin damit einverstanden")
        "consent",
        # rails of other stories
        "trending",
        "mostread",
        "most-read",
        "outbrain",
        "taboola",
        "recirculation",
        # a press office's or author's contact card (name, position, telephone, e-mail)
        "contact",
        "kontakt",
    }
)
RELATED_WORDS = frozenset(
    {
        "related",
        "relate",
        "relates",
        "lienquan",
        "tinlienquan",
        "relatednews",
        "related-news",
        "tinkhac",
        "nenxem",
        "quantam",
    }
)
AUTHOR_WORDS = frozenset({"author", "byline", "tacgia", "writer", "author-name", "article-author"})
# Class words that make the walk skip or set apart an element (checked against its prose first).
# Matched as whole class words only: "print" names a print button, and also "print-content",
# the text of a print version.
WHOLE_BOILERPLATE_WORDS = frozenset({"print", "btn-print", "print-button", "in-bai"})
ROLE_WORDS = BOILERPLATE_WORDS | RELATED_WORDS | AUTHOR_WORDS
CAPTION_WORDS = frozenset(
    {
        "caption",
        "figcaption",
        "desc",
        "description",
        "image_desc",
        "imagedesc",
        "chuthich",
        "photocms_caption",
        "note",
        "expnote",
        "img-caption",
        "image-caption",
        "photo-caption",
    }
)
IMAGE_WORDS = frozenset(
    {
        "image",
        "images",
        "img",
        "photo",
        "picture",
        "figure",
        "vcsortableinpreviewmode",
        "photocms",
        "wp-block-image",
        "pic",
        "anh",
    }
)
_EMPTY_LABEL_RE = re.compile(r"^\W*(?:nguồn|ảnh|theo|source|quelle|foto|photo|tags?|từ khóa)\s*:?\W*$", re.I)
_READ_ALSO = (
    r"read more|see also|also read|related|more on this|you may also like|recommended|explore further|"
    r"lesen sie auch|auch lesen|mehr zum thema|weiterlesen|zum weiterlesen|siehe auch|"
    r"das könnte sie auch interessieren|das könnte dich auch interessieren|"
    r"lire aussi|à lire aussi|lee también|lea también|le puede interesar|te puede interesar|leia também"
)
_RELATED_LABEL_RE = re.compile(
    r"^(tin|bài|đọc|xem)\s+(liên quan|thêm|khác)\b|^>>|^»" rf"|^(?:{_READ_ALSO})\W*$",
    re.IGNORECASE,
)
# "À lire aussi » <linked headline>", "Le puede interesar: <linked headline>": a label and a link
# to another story in one line.
_READ_ALSO_PREFIX_RE = re.compile(rf"^(?:{_READ_ALSO})\b\s*[:»>\-–|]*\s*", re.IGNORECASE)
_CREDIT_RE = re.compile(
    r"\s*[\(\[]?\s*(?:Ảnh|Ảnh minh họa|Nguồn ảnh|Nguồn|Photo)\s*:\s*"
    r"(?P<credit>[^()\[\]]+?)\s*[\)\]]?\s*[.]?$",
    re.IGNORECASE,
)
IMAGE_TAGS = frozenset({"img", "amp-img"})
PROSE_CHARS = 800
SPILL_OVER_TAGS = frozenset({"p", "h2", "h3", "h4", "blockquote", "ul", "ol", "table", "figure", "font"})
MAX_CAPTION_CHARS = 400  # a figure's own text: its caption and credit
# A <br> in loose text (text directly in a <div>) ends a paragraph; a newline of the
# HTML source does not. The walk marks each <br> with U+2028, which pages practically never hold.
_BR = "\u2028"
MAX_DEPTH = 200  # deeper nesting is hostile markup; what lies below it is skipped


@dataclass
class _Block:
    text: str
    element: etree._Element
    heading: bool = False
    align: str | None = None
    emphasis: str | None = None  # "bold" or "italic" when all of the text is so
    tokens: set[str] = field(default_factory=set)
    links: list[tuple[str, str, etree._Element]] = field(default_factory=list)
    link_chars: int = 0
    teaser: bool = False  # part of another story's headline and excerpt (a listing item)


@dataclass
class BodyParts:
    """What the walk found in a body container."""

    paragraphs: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    byline: str | None = None
    # (url, anchor text, anchor element): the element gives the link its place in the page
    related_links: list[tuple[str, str, etree._Element]] = field(default_factory=list)
    body_links: list[tuple[str, str, etree._Element]] = field(default_factory=list)
    has_media: bool = False
    # Other stories shown in the container (a headline linking elsewhere and its excerpt):
    # how many, and every paragraph in order with theirs kept, for a page that has nothing else.
    teasers: int = 0
    paragraphs_with_teasers: list[str] = field(default_factory=list)


def holds_prose(el) -> bool:
    """An element with this much running text is the article's, whatever its class says.

    Tags boxes, share bars, ads and bylines are short; a related box is mostly links.
    """
    text = element_text(el)
    if len(text) < PROSE_CHARS:
        return False
    link_chars = sum(len(element_text(a)) for a in el.iter("a"))
    return link_chars < 0.5 * len(text)


def is_related_box(el, tokens: set[str]) -> bool:
    """A box of links to other articles ("Tin liên quan"), by class words or a CMS ``type``."""
    if tokens & RELATED_WORDS or any("related" in t or "lienquan" in t for t in tokens):
        return True
    kind = (el.get("type") or el.get("data-type") or "").lower()
    return "related" in kind


STORY_LIST_ITEMS = 3
STORY_LIST_SHARE = 0.8
HEADLINE_LINK_CHARS = 15


def is_story_list(el) -> bool:
    """A list whose items are each a headline linked to another page: a list of stories, not text.

    A body's own bullet points are sentences; a "more stories" list is, item
    after item, a link of a headline's length (often with an excerpt and a date).
    """
    items = [child for child in el if tag_name(child) == "li"]
    if len(items) < STORY_LIST_ITEMS:
        return False
    linked = 0
    for item in items:
        for anchor in item.iter("a"):
            href = (anchor.get("href") or "").strip()
            if href.startswith(("#", "javascript:", "mailto:")) or href_path(href) in ("", "/"):
                continue
            if len(element_text(anchor)) >= HEADLINE_LINK_CHARS:
                linked += 1
                break
    return linked >= STORY_LIST_SHARE * len(items)


def split_credit(caption: str | None) -> tuple[str | None, str | None]:
    """Split ``"… (Ảnh: Lê Thắm)"`` into caption and credit (``"Lê Thắm"``)."""
    caption = clean_text(caption)
    if not caption:
        return None, None
    match = _CREDIT_RE.search(caption)
    if not match or "minh họa" in match.group(0).lower() and ":" not in match.group(0):
        return caption, None
    rest = caption[: match.start()].rstrip(" -–|,")
    return (rest or None), clean_text(match.group("credit")) or None


def looks_like_byline(block_text: str, *, align=None, emphasis=None, tokens=frozenset()) -> bool:
    """A short name-like line set apart by alignment, weight or class (the portal's byline style)."""
    text = block_text
    if not text or len(text) > 90 or len(text.split()) > 12:
        return False
    if is_source_line(text):
        return True
    if text[-1] in ".?!:;" or any(ch.isdigit() for ch in text):
        return False
    if not (text[0].isupper() or text[0] == "("):
        return False
    return bool(
        align == "right"
        or emphasis == "bold"
        or tokens & AUTHOR_WORDS
        or (ROLE_LABEL_RE.match(text) and not text.lower().startswith("ảnh"))  # not a photo credit
        or text.lower().startswith(("nhóm pv", "pv "))
    )


class BodyWalker:
    """Walk one container; ``exclude`` holds elements already used as title or sapo.

    ``teasers`` maps the blocks that show another story (``recognise.teaser_roots``)
    to that story's URL: their text is kept apart and their pictures are thumbnails.
    """

    def __init__(
        self, base_url: str, exclude: set | None = None, teasers: dict | None = None, skip_hidden: bool = True
    ):
        self.base_url = base_url
        self.skip_hidden = skip_hidden
        self.exclude = exclude or set()
        self.teasers = teasers or {}
        self.in_teaser = False
        self.blocks: list[_Block | Figure] = []
        self.parts = BodyParts()

    # -- the walk ---------------------------------------------------------------
    def walk(self, container: etree._Element, continued=()) -> BodyParts:
        """Walk ``container`` and then ``continued`` (sibling blocks of the same body, in order)."""
        last = container
        if continued:
            parent = container.getparent()
            for el in parent:
                if el is container:
                    self._visit_children(container, 0)
                elif el in continued:
                    self._visit(el, 1)
                    last = el
        else:
            self._visit_children(container, 0)
        self._visit_spill_over(last)
        self._finish()
        return self.parts

    def _visit_spill_over(self, container: etree._Element) -> None:
        """Paragraphs a stray ``</div>`` pushed out of the container still belong to the body.

        Only bare text blocks and pictures directly after the container count; the first
        anything else (a tags box, a share bar, a related box) ends the body.
        """
        for sibling in container.itersiblings():
            tag = tag_name(sibling)
            if not tag:
                continue  # a comment
            if tag not in SPILL_OVER_TAGS or class_tokens(sibling) & BOILERPLATE_WORDS:
                break
            if tag == "table" and not _has_image(sibling):
                break
            self._visit(sibling, 1)

    def _visit(self, el: etree._Element, depth: int) -> None:
        tag = tag_name(el)
        if not tag or depth > MAX_DEPTH or el in self.exclude:
            return
        if tag in MEDIA_TAGS:
            self.parts.has_media = True
            return
        if tag == "button" and not self.in_teaser:
            for figure in el.iter("figure"):  # a picture that opens the gallery when clicked
                self._figure_from(figure, "figure")
            return
        if tag in INVISIBLE_TAGS or (self.skip_hidden and is_hidden(el)):
            return
        tokens = class_tokens(el)
        if tokens & ROLE_WORDS and holds_prose(el):
            tokens = set()  # "tag-x category-y" on a WordPress <article>: labels, not a tags box
        if is_related_box(el, tokens):
            self.parts.related_links.extend(self._links(el))
            return
        if el in self.teasers and not self.in_teaser:
            self.parts.teasers += 1
            self.parts.related_links.extend(self._links(el))
            self.in_teaser = True
            try:
                self._visit(el, depth)
            finally:
                self.in_teaser = False
            return
        if tokens & AUTHOR_WORDS and tag not in ("p", "h1", "h2", "h3", "h4", "h5", "h6"):
            rows = [element_text(c) for c in el if tag_name(c) in ("p", "div", "li")]
            for text in rows if len(rows) > 1 else [element_text(el)]:
                # Lines of their own ("Nội dung: Minh Thu", "Ảnh: Hải Linh"): the first writer's line.
                if text and looks_like_byline(text, tokens=tokens) and not text.lower().startswith("ảnh"):
                    self.parts.byline = text
                    break
            return
        if tag == "figure" and not self.in_teaser:
            self._figure_from(el, tag)  # a <figure> is the page's own picture, whatever its class
            return
        if tag in ("ul", "ol") and is_story_list(el):
            self.parts.related_links.extend(self._links(el))
            return
        if tokens & BOILERPLATE_WORDS or class_words(el) & WHOLE_BOILERPLATE_WORDS:
            return
        if "-" in tag and tokens_of(tag) & BOILERPLATE_WORDS:
            return  # a custom element named for what it is: <ps-newsletter-module>, <ad-slot>
        if tag in IMAGE_TAGS or _is_custom_image(el, tag):
            self._add_figure(el, None)
            return
        if self._is_figure(el, tag, tokens):
            self._figure_from(el, tag)
            return
        if tag in TEXT_BLOCK_TAGS or tag == "blockquote" and not self._has_block_child(el):
            if self._has_block_child(el):
                self._visit_children(el, depth + 1)
                return
            images = _images(el) if len(el) else []
            if images and len(element_text(el)) < 20:
                for image in images:
                    self._add_figure(image, None)
                return
            self._add_block(el, tag, tokens)
            return
        self._visit_children(el, depth + 1)

    def _visit_children(self, el: etree._Element, depth: int) -> None:
        """Children in order; loose inline text between block children is a paragraph of its own."""
        inline: list = [el.text or ""]
        inline_elements: list[etree._Element] = []
        for child in el:
            ctag = tag_name(child)
            if ctag and (
                ctag in BLOCK_TAGS or ctag in MEDIA_TAGS or ctag in IMAGE_TAGS or ctag in INVISIBLE_TAGS
            ):
                self._flush_inline(inline, inline_elements, el)
                inline, inline_elements = [], []
                self._visit(child, depth + 1)
            elif ctag == "br":
                inline.append(_BR)
            elif ctag and self.skip_hidden and is_hidden(child):
                pass  # text a reader never sees; its tail is still the paragraph's
            elif "-" in ctag and tokens_of(ctag) & BOILERPLATE_WORDS:
                pass  # a custom element named for what it is: <ps-newsletter-module>, <ad-slot>
            elif ctag and child not in self.exclude:
                ctokens = class_tokens(child)
                if ctokens & BOILERPLATE_WORDS or is_related_box(child, ctokens):
                    if is_related_box(child, ctokens):
                        self.parts.related_links.extend(self._links(child))
                elif (_has_image(child) and len(element_text(child)) < 20) or any(
                    tag_name(d) in BLOCK_TAGS for d in child.iterdescendants()
                ):
                    # An inline wrapper around blocks (<font> around <p>s in old CMS output)
                    # or around a picture: its content is walked, not flattened into one line.
                    self._flush_inline(inline, inline_elements, el)
                    inline, inline_elements = [], []
                    if child in self.teasers:
                        self._visit(child, depth + 1)
                    else:
                        self._visit_children(child, depth + 1)
                else:
                    inline.append(element_text(child))
                    inline_elements.append(child)
            inline.append(child.tail or "")
        self._flush_inline(inline, inline_elements, el)

    def _flush_inline(self, pieces: list[str], elements: list, parent) -> None:
        for chunk in " ".join(pieces).split(_BR):
            text = clean_text(chunk)
            if text:
                block = _Block(text=text, element=parent, tokens=class_tokens(parent), teaser=self.in_teaser)
                for el in elements:
                    block.links.extend(self._links(el))
                    if tag_name(el) == "a":
                        block.links.extend(self._links(el, include_self=True))
                block.link_chars = sum(len(t) for _, t, _ in block.links)
                block.emphasis = _emphasis_of(elements, text)
                self.blocks.append(block)

    def _add_block(self, el, tag: str, tokens: set[str]) -> None:
        text = visible_text(el) if self.skip_hidden else element_text(el)
        if not text:
            return
        links = self._links(el)
        self.blocks.append(
            _Block(
                text=text,
                element=el,
                heading=tag in HEADING_TAGS,
                align=_alignment(el),
                emphasis=_emphasis(el, text),
                tokens=tokens,
                links=links,
                link_chars=sum(len(t) for _, t, _ in links),
                teaser=self.in_teaser,
            )
        )

    def figures_of(self, elements) -> list[Figure]:
        """The figures (picture and caption) in ``elements``: pictures outside the body's element."""
        for el in elements:
            if tag_name(el) == "picture":
                for image in el.iter("img"):
                    self._add_figure(image, None, final=True)
            else:
                self._visit(el, 1)
        self._finish()
        return self.parts.figures

    # -- figures ----------------------------------------------------------------
    def _is_figure(self, el, tag: str, tokens: set[str]) -> bool:
        if tag == "figure":
            return True
        if (
            tag == "table"
            or tokens & IMAGE_WORDS
            and tag in ("div", "span", "p", "center")
            or tag in ("div", "span", "p")
            and self._holds_caption(el)
        ):
            if not _has_image(el):
                return False
            # A wrapper that also holds running paragraphs is a layout box, not a figure.
            long_paragraphs = [p for p in el.iterdescendants("p") if len(element_text(p)) > 250]
            return not long_paragraphs
        return False

    @staticmethod
    def _holds_caption(el) -> bool:
        """A picture with an element whose class says caption, and little text: a figure without <figure>."""
        if not len(el) or len(element_text(el)) > MAX_CAPTION_CHARS or len(_images(el)) != 1:
            return False
        if any(True for _ in el.iter("figure")):
            return False  # a row of <figure>s: each is walked on its own
        return any(_is_caption_element(n) for n in el.iterdescendants() if isinstance(n.tag, str))

    def _figure_from(self, el, tag: str) -> None:
        images = _images(el) or [
            d for d in el.iterdescendants() if isinstance(d.tag, str) and _is_custom_image(d, tag_name(d))
        ]
        caption_nodes = list(el.iterdescendants("figcaption")) if tag == "figure" else []
        if not caption_nodes:
            caption_nodes = [
                n for n in el.iterdescendants(etree.Element) if _is_caption_element(n) and not _has_image(n)
            ]
        caption = " ".join(element_text(n) for n in caption_nodes[:1]) if caption_nodes else element_text(el)
        first = True
        for image in images:
            self._add_figure(image, caption if first else None, final=bool(caption))
            first = False

    def _add_figure(self, image, caption: str | None, final: bool = False) -> None:
        if self.in_teaser:
            return  # another story's thumbnail
        src = _image_src(image)
        image_url = join_url(self.base_url, src) if src else None
        if not image_url:
            return
        text, credit = split_credit(caption)
        alt = image.get("alt")
        figure = Figure(
            image_url=image_url,
            caption=text,
            credit=credit,
            alt=clean_text(alt) if alt is not None else None,
        )
        figure._awaits_caption = not final and caption is None  # type: ignore[attr-defined]
        self.blocks.append(figure)

    # -- links ------------------------------------------------------------------
    def _links(self, el, include_self: bool = False) -> list[tuple[str, str, etree._Element]]:
        return article_links(el, self.base_url, include_root=include_self)

    # -- sorting the blocks -----------------------------------------------------
    def _finish(self) -> None:
        kept: list[_Block] = []
        awaiting: Figure | None = None
        after_related_label = False
        for item in self.blocks:
            if isinstance(item, Figure):
                self.parts.figures.append(item)
                awaiting = item if getattr(item, "_awaits_caption", False) else None
                continue
            block = item
            if _EMPTY_LABEL_RE.match(block.text):
                continue  # "Nguồn :" with nothing after it: a template's empty slot
            if awaiting is not None and _is_caption_block(block):
                awaiting.caption, awaiting.credit = split_credit(block.text)
                awaiting = None
                continue
            awaiting = None
            mostly_links = block.links and block.link_chars >= 0.8 * len(block.text)
            if _RELATED_LABEL_RE.match(block.text) and (block.links or len(block.text) < 40):
                self.parts.related_links.extend(block.links)
                after_related_label = not block.links
                continue
            if mostly_links and (after_related_label or len(block.text) < 300):
                self.parts.related_links.extend(block.links)
                continue
            if (
                after_related_label
                and len(block.text) < 300
                and _anchor_chars(block) >= 0.8 * len(block.text)
            ):
                self.parts.related_links.extend(block.links)  # the headlines a "read also" label lists
                continue
            if len(block.text) < 300 and _is_read_also_line(block):
                self.parts.related_links.extend(block.links)
                continue
            after_related_label = False
            kept.append(block)
        self.parts.paragraphs_with_teasers = [b.text for b in kept]
        kept = [b for b in kept if not b.teaser]
        # The byline is the last line (or two, with a source credit), set apart.
        tail: list[str] = []
        while kept and len(tail) < 2:
            last = kept[-1]
            if not looks_like_byline(last.text, align=last.align, emphasis=last.emphasis, tokens=last.tokens):
                break
            tail.insert(0, last.text)
            kept.pop()
        if tail:
            self.parts.byline = " ".join(tail)
        for block in kept:
            self.parts.body_links.extend(block.links)
        self.parts.paragraphs = [b.text for b in kept]

    @staticmethod
    def _has_block_child(el) -> bool:
        return any(tag_name(c) in BLOCK_TAGS for c in el)


def _is_read_also_line(block: _Block) -> bool:
    """A "read also" label and, after it, (mostly) a link to another story."""
    label = _READ_ALSO_PREFIX_RE.match(block.text)
    if label is None or not label.group(0).strip():
        return False
    rest = len(block.text) - label.end()
    return rest > 0 and _anchor_chars(block) >= 0.6 * rest


def _anchor_chars(block: _Block) -> int:
    """The block's link text, any link (not only article-shaped ones): asked only after a label."""
    return sum(
        len(text)
        for anchor in block.element.iter("a")
        if (anchor.get("href") or "#")[:1] != "#" and (text := element_text(anchor)) and text in block.text
    )


def _images(el) -> list:
    """The pictures (``<img>``, ``<amp-img>``) inside ``el``, in document order."""
    return list(el.iterdescendants(*IMAGE_TAGS))


def _has_image(el) -> bool:
    return next(el.iterdescendants(*IMAGE_TAGS), None) is not None


def _is_caption_element(el) -> bool:
    """An element whose class or id names a caption ("caption", "newsCaption", "widget__caption")."""
    tokens = class_tokens(el)
    return bool(tokens & CAPTION_WORDS) or any("caption" in t or "legend" in t for t in tokens)


def _is_custom_image(el, tag: str) -> bool:
    """A custom element that is a picture (``<storefront-image src=…>``)."""
    return "-" in tag and ("image" in tag or "img" in tag) and bool(el.get("src") or el.get("data-src"))


def _is_caption_block(block: _Block) -> bool:
    if block.heading or len(block.text) > 300:
        return False
    if block.tokens & CAPTION_WORDS or block.emphasis == "italic":
        return True
    return block.align == "center" and len(block.text) < 250


def _image_src(image) -> str | None:
    candidates = [
        (attr, image.get(attr))
        for attr in ("data-src", "data-original", "data-lazy-src", "data-srcset", "src", "srcset")
    ]
    parent = image.getparent()
    if parent is not None and tag_name(parent) == "picture":  # <picture><source srcset=…><img>
        candidates += [("srcset", source.get("srcset")) for source in parent.iter("source")]
    for attr, value in candidates:
        value = (value or "").strip()
        if value and not value.startswith("data:"):
            value = value.split()[0] if attr.endswith("srcset") else value
            lowered = value.lower()
            if any(word in lowered for word in ("blank.gif", "spacer.gif", "pixel.gif", "/logo")):
                return None
            if _PLACEHOLDER_RE.search(lowered):
                continue  # a lazy-loading stand-in; the real picture is elsewhere
            return value
    # The real picture of a lazy-loaded one, for readers without script: <noscript><img …>.
    parent = image.getparent()
    for sibling in parent if parent is not None else ():
        if tag_name(sibling) != "noscript":
            continue
        for inner in sibling.iter("img"):  # parsed as elements ...
            if inner.get("src"):
                return inner.get("src").strip()
        match = _NOSCRIPT_SRC_RE.search(sibling.text or "")  # ... or left as text
        if match:
            return match.group(1)
    return None


_PLACEHOLDER_RE = re.compile(r"(?:transparent|placeholder|spacer|blank|1x1|lazy)[^/]*\.(?:gif|png|svg)")
_NOSCRIPT_SRC_RE = re.compile(r"""<img[^>]+src=["']([^"']+)["']""", re.IGNORECASE)


_ALIGN_RE = re.compile(r"text-align\s*:\s*(right|center|left|justify)", re.IGNORECASE)


def _alignment(el) -> str | None:
    align = (el.get("align") or "").lower()
    if align in ("right", "center"):
        return align
    match = _ALIGN_RE.search(el.get("style") or "")
    if match:
        return match.group(1).lower()
    tokens = class_tokens(el)
    if tokens & {"text-right", "right", "align-right", "textright"}:
        return "right"
    if tokens & {"text-center", "center", "align-center", "textcenter"}:
        return "center"
    return None


def _emphasis(el, text: str) -> str | None:
    return _emphasis_of(list(el), text, own_text=(el.text or "").strip())


def _emphasis_of(elements, text: str, own_text: str = "") -> str | None:
    """ "bold"/"italic" when the emphasised descendants hold (nearly) all of ``text``."""
    if own_text:
        return None
    bold = italic = 0
    for el in elements:
        if not isinstance(el.tag, str):
            continue
        for node in el.iter():
            tag = tag_name(node)
            if tag in ("strong", "b"):
                bold += len(element_text(node))
            elif tag in ("em", "i"):
                italic += len(element_text(node))
        if (el.tail or "").strip():
            return None
    if bold >= 0.9 * len(text):
        return "bold"
    if italic >= 0.9 * len(text):
        return "italic"
    return None
