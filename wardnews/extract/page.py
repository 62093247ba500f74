"""One parsed page and the indexes every field extractor shares.

The page is parsed once with lxml's plain HTML parser (its elements are
cheaper to walk than ``lxml.html``'s), and walked once to index elements by
tag and by class word. Site selectors of the simple kind (``.a .b``,
``div.x > p[style*='right'] strong``) are answered from those indexes; any
other CSS goes to parsel. Extraction then costs a few passes over the tree,
not one per selector.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache

from lxml import etree
from parsel import Selector

from wardnews.extract.text import NO_TOKENS, tokens_of

_PARSER = etree.HTMLParser(recover=True, huge_tree=True, remove_blank_text=False)
_UTF8_PARSER = etree.HTMLParser(recover=True, huge_tree=True, remove_blank_text=False, encoding="utf-8")
# Compiled once: the indexes start from these (XPath runs in C, the walk in Python does not).
# Relative to the root element: a broken page can leave nodes outside it, and
# everything indexed must also be in ``order``.
_CLASS_VALUES = etree.XPath("descendant-or-self::*/@class")  # each knows its element (getparent)
_INVALID_ENCODING = etree.ErrorTypes.ERR_INVALID_ENCODING
_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>")
_COMPOUND_RE = re.compile(
    r"^(?P<tag>[a-zA-Z][a-zA-Z0-9-]*|\*)?(?P<classes>(?:\.[\w-]+)*)"
    r"(?:\[(?P<attr>[\w-]+)(?:(?P<op>\*?=)['\"]?(?P<value>[^'\"\]]*)['\"]?)?\])?$"
)


# Tags every extraction asks for (metadata, the document title), found in one walk.
_HEAD_TAGS = ("meta", "link", "script", "title")
# Above this many holders of a class, walking down from the step before is cheaper.
MAX_CLASS_CANDIDATES = 64


class Page:
    """A parsed page: the lxml root, a parsel Selector over it, and shared indexes."""

    def __init__(self, text: str | None, url: str, utf8: bytes | None = None):
        """``text`` is the decoded page; ``utf8``, when given, its bytes, parsed instead as UTF-8.

        libxml2 reads UTF-8 bytes as they are, and a ``str`` only after converting it.
        Given bytes, ``text`` may be None: it is decoded when asked for (few pages need
        it), and ``invalid_utf8`` says whether the bytes were UTF-8 at all.
        """
        self.url = url
        self._text = text
        self._utf8 = utf8
        parser = _PARSER
        if utf8 and not utf8.isspace():  # (strip() would copy the page to find out)
            source = utf8  # the parser's encoding overrides any the page declares
            parser = _UTF8_PARSER
        else:
            self._utf8 = None
            text = text or ""
            # An XML declaration naming an encoding makes lxml refuse (or half-read) a decoded str.
            source = _XML_DECLARATION_RE.sub("", text, count=1) if text and "<?xml" in text[:200] else text
        try:
            self.root = etree.fromstring(source or "<html></html>", parser)
        except (etree.ParserError, ValueError):
            self.root = None
        errors = parser.error_log
        # True when the parser gave up on nesting too deep (the rest of the page is missing).
        self.too_deep = any("depth" in entry.message.lower() for entry in errors)
        # True when bytes given as UTF-8 were not (libxml2 read U+FFFD for them).
        self.invalid_utf8 = parser is _UTF8_PARSER and any(
            entry.type == _INVALID_ENCODING for entry in errors
        )
        if self.root is None:  # nothing parseable at all
            self.root = etree.fromstring("<html><body></body></html>", _PARSER)
        # "</html><html>" inside a page leaves a second top-level element beside the root;
        # its content is the page's too, so it joins the root.
        for stray in list(self.root.itersiblings()):
            if isinstance(stray.tag, str):
                self.root.extend(list(stray))
        self.sel = Selector(root=self.root, type="html", base_url=url)

    @property
    def text(self) -> str:
        """The decoded page, for a library that parses on its own (htmldate)."""
        if self._text is None:
            self._text = self._utf8.decode("utf-8", "replace") if self._utf8 is not None else ""
        return self._text

    def source_mentions(self, word: str) -> bool:
        """Whether the page's source holds ``word`` (lower-case ASCII) in any case.

        False only when the page cannot hold it: a walk of the tree for an attribute
        name the source never spells is saved.
        """
        source = self._lowered_source
        return (word.encode("ascii") if isinstance(source, bytes) else word) in source

    @cached_property
    def _lowered_source(self) -> bytes | str:
        return self._utf8.lower() if self._utf8 is not None else (self._text or "").lower()

    @cached_property
    def language(self) -> str | None:
        """The page's declared language (``<html lang>``, else ``content-language``), or None."""
        lang = self.root.get("lang") or self.root.get("{http://www.w3.org/XML/1998/namespace}lang")
        if not lang:
            for meta in self.tagged("meta"):
                if (meta.get("http-equiv") or "").lower() == "content-language":
                    lang = meta.get("content")
                    break
        return lang.strip() if lang and lang.strip() else None

    @cached_property
    def elements(self) -> list:
        """Every element, in document order."""
        return list(self.root.iter(etree.Element))

    @cached_property
    def body_elements(self) -> list:
        """The elements inside ``<body>`` (all of them when the page has none), in document order."""
        bodies = self.tagged("body")
        if not bodies:
            return self.elements
        # A page that opens <body> twice nests the second one in the first: each element once.
        return list(dict.fromkeys(el for body in bodies for el in body.iterdescendants(etree.Element)))

    @cached_property
    def order(self) -> dict:
        """Element -> its position in document order."""
        return {el: position for position, el in enumerate(self.elements)}

    def tagged(self, *tags: str) -> list:
        """Elements with any of ``tags``, in document order."""
        found = self._tagged.get(tags)
        if found is None:
            if tags[0] in _HEAD_TAGS and len(tags) == 1:
                # Every page is asked for all four: one walk of the tree rather than four.
                for tag in _HEAD_TAGS:
                    self._tagged[(tag,)] = []
                for el in self.root.iter(*_HEAD_TAGS):
                    self._tagged[(el.tag,)].append(el)
                return self._tagged[tags]
            found = self._tagged[tags] = list(self.root.iter(*tags))
        return found

    @cached_property
    def _tagged(self) -> dict:
        return {}

    @cached_property
    def _by_word(self) -> dict[str, list]:
        by_word: dict[str, list] = {}
        lists_of: dict[str, list] = {}  # class string -> the lists of its words (pages repeat them)
        for classes in _CLASS_VALUES(self.root):
            lists = lists_of.get(classes)
            if lists is None:
                lists = lists_of[str(classes)] = [by_word.setdefault(word, []) for word in classes.split()]
            element = classes.getparent()
            for found in lists:
                found.append(element)
        return by_word

    @cached_property
    def classed(self) -> list:
        """``(element, class/id tokens)`` for every element with a class, id, itemprop or data-role."""
        return self._marked[0]

    @cached_property
    def itemtyped(self) -> list:
        """The elements with an ``itemtype`` (schema.org microdata), in document order."""
        return self._marked[1]

    @cached_property
    def propertied(self) -> list:
        """``(element, class/id tokens)`` for the elements with an ``itemprop`` or ``data-role``."""
        return self._marked[2]

    @cached_property
    def _marked(self) -> tuple[list, list, list]:
        # One walk in Python over the attributes is cheaper than libxml2's XPath predicates.
        marked, typed, propertied = [], [], []
        seen: dict = {}  # a page repeats a few hundred class strings on thousands of elements
        for el in self.root.iter(etree.Element):
            names = el.keys()  # a list, cheaper than the attrib proxy
            if not names:
                continue
            classes, ident = el.get("class"), el.get("id")
            has_property = "itemprop" in names or "data-role" in names
            if classes is not None or ident is not None or has_property:
                key = (classes, ident)
                tokens = seen.get(key)
                if tokens is None:
                    tokens = seen[key] = (
                        tokens_of(f"{classes or ''} {ident or ''}") if classes or ident else NO_TOKENS
                    )
                marked.append((el, tokens))
                if has_property:
                    propertied.append((el, tokens))
            if "itemtype" in names:
                typed.append(el)
        return marked, typed, propertied

    def marked_with(self, test) -> list:
        """The elements of ``classed`` whose tokens pass ``test``, asked once per distinct token set."""
        verdicts: dict = {}
        found = []
        for el, tokens in self.classed:
            verdict = verdicts.get(tokens)
            if verdict is None:
                verdict = verdicts[tokens] = bool(test(tokens))
            if verdict:
                found.append(el)
        return found

    def select(self, css: str) -> list:
        """Elements matching ``css`` in document order (simple selectors from the indexes)."""
        steps = _compile(css)
        if steps is None:
            return [node.root for node in self.sel.css(css) if not isinstance(node.root, str)]
        last = len(steps) - 1
        if last == 0 or steps[last][1][1]:
            # The rightmost step names a class (few candidates): check each one's ancestors.
            return [
                el
                for el in self._candidates(steps[last][1])
                if _matches(el, steps[last][1]) and _chain_matches(el, steps, last)
            ]
        # ".tags a", "nav a": few ".tags" or "nav", many "a": walk down from the left instead
        # (an element made for every "a" of the page costs more than the walk).
        current = [el for el in self._candidates(steps[0][1]) if _matches(el, steps[0][1])]
        roots = current
        for combinator, compound in steps[1:]:
            if combinator == " " and compound[1]:
                candidates = self._candidates(compound)
                if len(candidates) <= MAX_CLASS_CANDIDATES:
                    # A class below: its few holders (document order) asked for their ancestors,
                    # rather than every element under ``current`` made and tested.
                    inside = set(current)
                    current = [
                        el
                        for el in candidates
                        if _matches(el, compound) and any(a in inside for a in el.iterancestors())
                    ]
                    continue
            found: dict = {}
            for el in current:
                below = el if combinator == ">" else el.iterdescendants(compound[0] or etree.Element)
                for child in below:
                    if isinstance(child.tag, str) and _matches(child, compound):
                        found[child] = None
            current = list(found)
        if len(current) <= 1 or len(roots) == 1:
            return current  # found walking down from one element: already in document order
        return sorted(current, key=self.order.__getitem__)

    def _candidates(self, compound) -> list:
        tag, classes, _ = compound
        if classes:
            return self._by_word.get(classes[0], [])
        return self.tagged(tag) if tag else list(self.root.iter(etree.Element))


@lru_cache(maxsize=512)
def _compile(css: str):
    """``[(combinator, (tag, classes, attribute-test)), ...]`` or None when not simple."""
    parts = css.replace(">", " > ").split()
    steps, combinator = [], " "
    for part in parts:
        if part == ">":
            combinator = ">"
            continue
        match = _COMPOUND_RE.match(part)
        if not match or "::" in part or ":" in part:
            return None
        tag = (match.group("tag") or "").lower()
        tag = "" if tag == "*" else tag
        classes = tuple(c for c in match.group("classes").split(".") if c)
        attr = None
        if match.group("attr"):
            attr = (match.group("attr").lower(), match.group("op"), match.group("value") or "")
        steps.append((combinator, (tag, classes, attr)))
        combinator = " "
    return steps or None


def _matches(el, compound) -> bool:
    tag, classes, attr = compound
    if tag and (not isinstance(el.tag, str) or el.tag.lower() != tag):
        return False
    if classes:
        words = (el.get("class") or "").split()
        if any(c not in words for c in classes):
            return False
    if attr:
        name, op, value = attr
        actual = el.get(name)
        if actual is None or (op == "=" and actual != value) or (op == "*=" and value not in actual):
            return False
    return True


def _chain_matches(el, steps, i: int) -> bool:
    """``el`` matched step ``i``: do its ancestors match the steps before it?"""
    if i == 0:
        return True
    combinator, previous = steps[i][0], steps[i - 1][1]
    if combinator == ">":
        parent = el.getparent()
        return parent is not None and _matches(parent, previous) and _chain_matches(parent, steps, i - 1)
    return any(
        _matches(ancestor, previous) and _chain_matches(ancestor, steps, i - 1)
        for ancestor in el.iterancestors()
    )
