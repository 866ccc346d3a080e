"""Markdown articles, with optional YAML front matter (``title``, ``date``, ``source``, ``url``).

The body is the markdown made plain: heading markers, emphasis, link and image syntax and
HTML comments go; paragraphs (and each heading and list item) are separated by one blank
line, and a paragraph's wrapped lines are joined by spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from kg.errors import IngestError
from kg.ingest.text import field_text, normalise_date
from kg.model import Article

FRONT_MATTER_LIMIT = 64 * 1024  # characters: metadata, not a document
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?:(.*?)\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_FENCE = re.compile(r"\s*(```|~~~)")
_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*))?$")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_REFERENCE = re.compile(r" {0,3}\[[^\]]+\]:\s*\S+.*$")
_BULLET = re.compile(r"\s*[-*+][ \t]+(.*)$")
_NUMBERED = re.compile(r"\s*(\d{1,9})[.)][ \t]+")
_QUOTE = re.compile(r"\s*(?:>[ \t]?)+")
_QUOTE_START = re.compile(r"\s*>")
# Linear time on hostile input: spans are bounded, brackets do not nest, and an opening
# delimiter's span cannot run past the next delimiter of its kind, so no pattern scans the
# rest of the paragraph from every opener (a 900 KB file of ``<http:`` or ``*x`` reads in
# well under a second). Each pattern runs only when its trigger character is present.
_PARENS = r"\((?:[^()\n]|\([^()\n]*\)){0,2000}\)"
_INLINE: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("[", re.compile(r"!\[[^\[\]]{0,1000}\](?:" + _PARENS + r"|\[[^\[\]]{0,200}\])"), ""),  # images
    ("[", re.compile(r"\[([^\[\]]{0,1000})\](?:" + _PARENS + r"|\[[^\[\]]{0,200}\])"), r"\1"),  # links
    ("<", re.compile(r"<((?:https?|mailto):[^<>\s]{1,2000})>"), r"\1"),  # autolinks
    ("`", re.compile(r"`([^`]+)`"), r"\1"),
    ("**", re.compile(r"\*\*(?=\S)((?:[^*]|\*(?!\*)){1,500}?)(?<=\S)\*\*"), r"\1"),
    ("__", re.compile(r"__(?=\S)((?:[^_]|_(?!_)){1,500}?)(?<=\S)__"), r"\1"),
    ("*", re.compile(r"(?<![\w*])\*(?=\S)([^*]{1,500}?)(?<=\S)\*(?![\w*])"), r"\1"),
    ("_", re.compile(r"(?<![\w_])_(?=\S)([^_]{1,500}?)(?<=\S)_(?![\w_])"), r"\1"),
    ("~~", re.compile(r"~~(?=\S)((?:[^~]|~(?!~)){1,500}?)(?<=\S)~~"), r"\1"),
    ("\\", re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])"), r"\1"),  # backslash escapes
)


class _FrontMatterLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # libyaml when present
    """A safe YAML loader that keeps dates as strings, so a bad date is no YAML error."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_markdown(text: str, path: str) -> Article:
    """Read one markdown article.

    Without a front-matter ``title`` the first ``# heading`` is the title; a ``# heading``
    at the very top that serves as the title is not repeated in the body. Raises
    :class:`IngestError` for malformed front matter and for a document with no body text.
    """
    meta, markdown = split_front_matter(text, path)
    blocks = _Blocks.parse(_COMMENT.sub("", markdown))
    title = field_text(meta.get("title"))
    if blocks.items and blocks.items[0][0] == "h1" and title in (None, blocks.items[0][1]):
        title = blocks.items.pop(0)[1]
    if title is None:
        title = next((text for kind, text in blocks.items if kind == "h1"), None)
    body = "\n\n".join(text for _, text in blocks.items)
    if not body:
        raise IngestError(path, "no article body")
    return Article(
        body=body,
        path=path,
        title=title,
        date=normalise_date(meta.get("date")),
        source=field_text(meta.get("source")),
        url=field_text(meta.get("url")),
    )


def split_front_matter(text: str, path: str) -> tuple[dict[str, object], str]:
    """Split ``text`` into its YAML front matter (empty when there is none) and the rest.

    Raises :class:`IngestError` when the front matter is not valid YAML or not a mapping.
    """
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    if match.end() > FRONT_MATTER_LIMIT:
        raise IngestError(path, f"front matter too long ({match.end():,} characters; limit {FRONT_MATTER_LIMIT:,})")
    try:
        meta = yaml.load(match.group(1) or "", Loader=_FrontMatterLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 2 if exc.problem_mark else 1  # + the opening "---"
        reason = f"malformed YAML front matter at line {line}: {exc.problem}"
        raise IngestError(path, reason) from None
    except RecursionError:
        raise IngestError(path, "malformed YAML front matter: nested too deeply") from None
    except (yaml.YAMLError, ValueError) as exc:
        raise IngestError(path, f"malformed YAML front matter: {exc}") from None
    if meta is None:
        return {}, text[match.end() :]
    if not isinstance(meta, dict):
        raise IngestError(path, "front matter is not a mapping (expected title:, ...)")
    return {str(key): value for key, value in meta.items()}, text[match.end() :]


def markdown_to_text(markdown: str) -> str:
    """Markdown made plain text, paragraphs separated by one blank line."""
    blocks = _Blocks.parse(_COMMENT.sub("", markdown))
    return "\n\n".join(text for _, text in blocks.items)


def inline_to_text(text: str) -> str:
    """Drop images and the syntax of links, code spans and emphasis from one paragraph."""
    for trigger, pattern, replacement in _INLINE:
        if trigger in text:
            text = pattern.sub(replacement, text)
    return " ".join(text.split())


@dataclass
class _Blocks:
    """The paragraphs of a markdown document, each tagged ``h1`` or ``text``."""

    items: list[tuple[str, str]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # the paragraph being read
    in_code: bool = False
    in_list: bool = False

    @classmethod
    def parse(cls, markdown: str) -> _Blocks:
        """Split ``markdown`` into plain-text paragraphs."""
        blocks = cls()
        for line in markdown.split("\n"):
            blocks.feed(line)
        blocks.flush()
        return blocks

    def feed(self, line: str) -> None:
        """Take one line of markdown."""
        if line[:1].isalpha() and not self.in_code:  # prose: no block syntax starts with a letter
            self.in_list = self.in_list and bool(self.lines)
            self.lines.append(line)
        elif _FENCE.match(line):
            self.flush()
            self.in_code = not self.in_code
        elif self.in_code:
            self.lines.append(line)
        elif (setext := _SETEXT.match(line)) and self.lines:
            self.flush("h1" if setext.group(1)[0] == "=" else "text")
        elif heading := _HEADING.match(line):
            self.flush()
            self.lines.append(_strip_closing_hashes(heading.group(2) or ""))
            self.flush("h1" if len(heading.group(1)) == 1 else "text")
        elif _RULE.match(line) or _REFERENCE.match(line):
            self.flush()
        else:
            self._feed_text(_QUOTE.sub("", line, count=1) if _QUOTE_START.match(line) else line)

    def _feed_text(self, line: str) -> None:
        """Take a line of paragraph text: a list item starts a paragraph, a blank line ends one.

        A bullet's marker goes; a numbered item keeps its number. A wrapped line that happens
        to begin ``1945. The`` inside a paragraph is no list item (CommonMark agrees).
        """
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        if not line.strip():
            self.flush()
        elif bullet or (numbered and (self.in_list or not self.lines or numbered[1] == "1")):
            self.flush()
            self.in_list = True
            self.lines.append(bullet[1] if bullet else line.strip())
        else:
            self.in_list = self.in_list and bool(self.lines)
            self.lines.append(line)

    def flush(self, kind: str = "text") -> None:
        """End the current paragraph, keeping it when it has text."""
        text = "\n".join(self.lines) if self.in_code else inline_to_text(" ".join(self.lines))
        self.lines = []
        if text.strip():
            self.items.append((kind, text.strip("\n")))


def _strip_closing_hashes(heading: str) -> str:
    """Drop an ATX heading's optional closing ``#`` run (``## Title ##``), not ``C#``."""
    heading = heading.rstrip()
    stripped = heading.rstrip("#")
    if stripped != heading and (not stripped or stripped[-1] in " \t"):
        return stripped.rstrip()
    return heading
