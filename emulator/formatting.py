"""Telegram's text rules: UTF-16 lengths, parse_mode="HTML", trimming, command entities.

Telegram measures text and entity offsets in UTF-16 code units (an emoji outside the
Basic Multilingual Plane counts 2), so every length limit here does too.

The HTML parser follows the Bot API's own (TDLib's) parser rather than a browser's:
only Telegram's tag subset is accepted, only &lt; &gt; &amp; &quot; and numeric
character references are decoded, and the error texts and byte offsets are Telegram's.
That way a bot's HTML that would fail on Telegram fails here, with the same message.
"""

import re
from dataclasses import dataclass, field

# Telegram trims these from both ends of every message text and caption.
_SPACES = " \t\r\n\v\0"

# Tag name -> entity type. "span" is only allowed as <span class="tg-spoiler">.
_TAG_ENTITY_TYPES = {
    "a": "text_link",
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_NAMED_CHARACTERS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_PLAIN = re.compile(r"[^<&]+")
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?")


class FormattingError(ValueError):
    """Telegram could not parse the entities; the message is Telegram's wording."""


@dataclass(frozen=True)
class FormattedText:
    """A text as Telegram stores it: plain text plus entities (UTF-16 offsets)."""

    text: str
    entities: tuple[dict, ...] = ()

    @property
    def length(self) -> int:
        return utf16_len(self.text)


def utf16_len(text: str) -> int:
    """The length of ``text`` as Telegram counts it: in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def format_text(raw: str, parse_mode: str | None, entities: list | None = None) -> FormattedText:
    """Turn a text as a bot sends it into what Telegram stores (parsed, then trimmed).

    Explicit ``entities`` win over ``parse_mode``, as in the Bot API. MarkdownV2 and
    Markdown are not parsed: their texts are kept as they are.
    """
    if entities is not None:
        return _trim(FormattedText(raw, tuple(entities)))
    mode = (parse_mode or "").lower()
    if mode == "html":
        return _trim(_HtmlParser(raw).parse())
    if mode in ("", "markdown", "markdownv2"):
        return _trim(FormattedText(raw))
    raise FormattingError(f"unsupported parse_mode {parse_mode!r}")


def command_entities(text: str) -> list[dict]:
    """The ``bot_command`` entity Telegram adds when a user's text starts with a command."""
    match = _COMMAND.match(text)
    if not match:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group())}]


def _is_name_token_char(char: str) -> bool:
    """An unquoted attribute value is a name token: letters, digits, '.' and '-'."""
    return char.isascii() and (char.isalnum() or char in ".-")


def _trim(formatted: FormattedText) -> FormattedText:
    """Strip leading/trailing whitespace as Telegram does, shifting and clipping entities."""
    text = formatted.text
    stripped = text.strip(_SPACES)
    if stripped == text:
        return formatted
    shift = utf16_len(text[: len(text) - len(text.lstrip(_SPACES))])
    end = utf16_len(stripped)
    entities = []
    for entity in formatted.entities:
        start = max(entity["offset"] - shift, 0)
        stop = min(entity["offset"] + entity["length"] - shift, end)
        if stop > start:
            entities.append({**entity, "offset": start, "length": stop - start})
    return FormattedText(stripped, tuple(entities))


@dataclass
class _OpenTag:
    name: str
    offset: int  # UTF-16 offset in the output where the entity starts
    attributes: dict[str, str] = field(default_factory=dict)


class _HtmlParser:
    """A one-pass parser of Telegram's HTML subset, mirroring TDLib's ``parse_html``."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0
        self.output: list[str] = []
        self.length = 0  # UTF-16 length of the output so far
        self.entities: list[dict] = []
        self.open_tags: list[_OpenTag] = []

    def parse(self) -> FormattedText:
        source = self.source
        while self.pos < len(source):
            char = source[self.pos]
            if char == "&":
                if not self._character_reference():  # no reference: kept as it is
                    self._emit(char)
                    self.pos += 1
            elif char != "<":
                # Up to the next tag or reference at once: a digest of 3,400 characters,
                # a character at a time, held the emulator (and the benchmark's people in its
                # process) 1.5 ms on a quiet core; now 0.03 ms.
                run = _PLAIN.match(source, self.pos).group()
                self._emit(run)
                self.pos += len(run)
            elif source.startswith("</", self.pos):
                self._end_tag()
            else:
                self._start_tag()
        if self.open_tags:
            name = self.open_tags[-1].name
            raise FormattingError(f'Can\'t find end tag corresponding to start tag "{name}"')
        entities = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return FormattedText("".join(self.output), tuple(entities))

    def _emit(self, text: str) -> None:
        self.output.append(text)
        self.length += utf16_len(text)

    def _byte_offset(self, pos: int) -> int:
        return len(self.source[:pos].encode())

    def _at(self, pos: int) -> str:
        return self.source[pos] if pos < len(self.source) else ""

    def _skip_spaces(self) -> None:
        while self._at(self.pos) and self._at(self.pos) in _SPACES:
            self.pos += 1

    def _character_reference(self) -> bool:
        """Decode &name; or &#NN; / &#xNN; at pos (the ';' is optional, as in TDLib)."""
        value, end = self._decode_reference(self.pos)
        if value is None:
            return False
        self._emit(value)
        self.pos = end
        return True

    def _decode_reference(self, pos: int) -> tuple[str | None, int]:
        source = self.source
        end = pos + 1
        if self._at(end) == "#":
            end += 1
            digits = "0123456789"
            base = 10
            if self._at(end) == "x":
                end += 1
                digits += "abcdefABCDEF"
                base = 16
            start = end
            while self._at(end) and self._at(end) in digits:
                end += 1
            code = int(source[start:end], base) if end > start else 0
            if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                return None, pos
            value = chr(code)
        else:
            start = end
            while self._at(end).isascii() and self._at(end).isalpha():
                end += 1
            value = _NAMED_CHARACTERS.get(source[start:end])
            if value is None:
                return None, pos
        if self._at(end) == ";":
            end += 1
        return value, end

    def _start_tag(self) -> None:
        begin = self.pos
        where = f"at byte offset {self._byte_offset(begin)}"
        end = begin + 1
        while self._at(end) and self._at(end) not in _SPACES and self._at(end) != ">":
            end += 1
        if not self._at(end):
            raise FormattingError(f"Unclosed start tag {where}")
        name = self.source[begin + 1 : end].lower()
        if name not in _TAG_ENTITY_TYPES:
            raise FormattingError(f'Unsupported start tag "{name}" {where}')
        self.pos = end
        attributes = self._attributes(name, where)
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise FormattingError(f'Tag "span" must have class "tg-spoiler" {where}')
        self.open_tags.append(_OpenTag(name, self.length, attributes))

    def _attributes(self, tag: str, where: str) -> dict[str, str]:
        """Read attributes up to and including the closing '>'."""
        attributes: dict[str, str] = {}
        while True:
            self._skip_spaces()
            char = self._at(self.pos)
            if not char:
                raise FormattingError(f"Unclosed start tag {where}")
            if char == ">":
                self.pos += 1
                return attributes
            start = self.pos
            while self._at(self.pos) and self._at(self.pos) not in _SPACES + "=>":
                self.pos += 1
            name = self.source[start : self.pos].lower()
            self._skip_spaces()
            if tag == "blockquote" and name == "expandable" and self._at(self.pos) != "=":
                attributes[name] = ""
                continue
            if not name:
                raise FormattingError(f'Empty attribute name in the tag "{tag}" {where}')
            if self._at(self.pos) != "=":
                raise FormattingError(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" {where}'
                )
            self.pos += 1
            self._skip_spaces()
            attributes[name] = self._attribute_value(where)

    def _attribute_value(self, where: str) -> str:
        quote = self._at(self.pos)
        if not quote:
            raise FormattingError(f"Unclosed start tag {where}")
        if quote not in "'\"":
            start = self.pos
            while self._at(self.pos) and _is_name_token_char(self._at(self.pos)):
                self.pos += 1
            if self._at(self.pos) not in _SPACES + ">" or not self._at(self.pos):
                offset = self._byte_offset(start)
                raise FormattingError(f"Unexpected end of name token at byte offset {offset}")
            return self.source[start : self.pos].lower()
        self.pos += 1
        value: list[str] = []
        while self._at(self.pos) and self._at(self.pos) != quote:
            decoded, end = (None, self.pos)
            if self._at(self.pos) == "&":
                decoded, end = self._decode_reference(self.pos)
            if decoded is None:
                value.append(self._at(self.pos))
                self.pos += 1
            else:
                value.append(decoded)
                self.pos = end
        if self._at(self.pos) != quote:
            raise FormattingError(f"Unclosed start tag {where}")
        self.pos += 1
        return "".join(value)

    def _end_tag(self) -> None:
        begin = self.pos
        where = f"at byte offset {self._byte_offset(begin)}"
        if not self.open_tags:
            raise FormattingError(f"Unexpected end tag {where}")
        end = begin + 2
        while self._at(end) and self._at(end) not in _SPACES and self._at(end) != ">":
            end += 1
        name = self.source[begin + 2 : end].lower()
        self.pos = end
        self._skip_spaces()
        if self._at(self.pos) != ">":
            raise FormattingError(f"Unclosed end tag {where}")
        self.pos += 1
        tag = self.open_tags.pop()
        if name and name != tag.name:
            raise FormattingError(
                f'Unmatched end tag {where}, expected "</{tag.name}>", found "</{name}>"'
            )
        self._add_entity(tag)

    def _add_entity(self, tag: _OpenTag) -> None:
        length = self.length - tag.offset
        if length <= 0:
            return
        entity: dict = {"type": _TAG_ENTITY_TYPES[tag.name], "offset": tag.offset, "length": length}
        if tag.name == "a":
            url = tag.attributes.get("href", "")
            if not url:
                return
            entity["url"] = url
        elif tag.name == "blockquote" and "expandable" in tag.attributes:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "code" and self.open_tags and self.open_tags[-1].name == "pre":
            # <pre><code class="language-x"> is Telegram's way to give a pre block a language.
            language = tag.attributes.get("class", "").removeprefix("language-")
            if tag.attributes.get("class", "").startswith("language-") and language:
                self.open_tags[-1].attributes["language"] = language
                return
        elif tag.name == "pre" and tag.attributes.get("language"):
            entity["language"] = tag.attributes["language"]
        self.entities.append(entity)
