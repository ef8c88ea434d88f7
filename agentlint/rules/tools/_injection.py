"""What makes a tool description an attack on the model rather than documentation for it.

Kept narrow on purpose: descriptions are full of ordinary imperatives ("Use this tool to …",
"IMPORTANT: results are paginated", "Do NOT use this tool for …") that must not be flagged.
What is flagged is (1) characters a reviewer cannot see, and (2) the phrases of known tool
poisoning attacks (Invariant Labs' ``<IMPORTANT>`` blocks, hiding actions from the user,
overriding earlier instructions, reading credentials "before using this tool").
"""

from __future__ import annotations

import re
import unicodedata

# Invisible characters: zero-width, invisible operators, bidi embeddings/overrides/isolates,
# tag characters (ASCII smuggling) and the supplementary variation selectors.
_HIDDEN = re.compile(
    "[\u200b\u200c\u200d\u2060-\u2064\ufeff\u180e\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f\U000e0100-\U000e01ef]"
)
_FLAG_TAGS = re.compile("\U0001f3f4[\U000e0061-\U000e007a]{2,6}\U000e007f")  # 🏴 subdivision flags

_QUOTES = "'\"`\u2018\u2019\u201c\u201d\u00ab"
_TEXTUAL = re.compile(r"prompt[- ]injection|injection attack|jailbreak", re.IGNORECASE)
_ANY_IMPORTANT = re.compile(r"<\s*/?\s*important\s*>", re.IGNORECASE)
_HTML_DOC = re.compile(r"<(?:p|code|ul|li|note|b|i)>|<a\s", re.IGNORECASE)

# (pattern, what it is, whether quoting it or discussing injections makes it documentation)
_PHRASES: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    (re.compile(r"<\s*/?\s*IMPORTANT\s*>"), "an <IMPORTANT> block", False),
    (
        re.compile(
            r"<\s*/?\s*system(?:[-_ ]?(?:prompt|reminder|message|instructions?))?\s*>(?!\s*(?:element|tag|node|attribute|field)s?\b)", re.I
        ),
        "a <system> tag",
        True,
    ),
    (
        re.compile(
            r"\b(?:(?:ignore|disregard|forget)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:your\s+|the\s+)?(?:all\s+other|previous|prior|above"
            r"|earlier|preceding|original|system)|override\s+(?:all\s+|any\s+)?(?:your\s+|the\s+)?(?:previous|prior|system|other))\s+"
            r"(?:instructions|prompts?|directions|directives)",
            re.I,
        ),
        "an instruction to ignore previous instructions",
        True,
    ),
    # "Do not tell the user to click Approve" is guidance; hiding the call itself is not.
    (
        re.compile(
            r"\b(?:do\s+not|don'?t|never|must\s+not|should\s+not)\s+(?:tell|inform|notify|alert)\s+(?:the\s+|your\s+)?users?"
            r"(?:\s*(?:[.,;:!)]|$)|\s+(?:about\s+(?:this|it|that|these|any\s+of\s+this)\b|that\s+(?!they\b|he\b|she\b)|what\s+you\b|anything\b))"
            r"|\b(?:do\s+not|don'?t|never)\s+(?:mention|reveal|disclose)\s+(?:this|it|that|these|anything)\s+to\s+(?:the\s+|your\s+)?users?\b"
            r"|\b(?:do\s+not|don'?t|never)\s+(?:mention|reveal|disclose)\s+(?:that\s+you\b|this\s+(?:instruction|note|step|requirement)"
            r"|these\s+(?:instructions|steps))",
            re.I,
        ),
        "an instruction to keep something from the user",
        True,
    ),
)

# Reading secrets is an attack only when the description also tells the model to do it.
_SECRET_PATH = re.compile(
    r"~/\.(?:ssh|aws|cursor|gnupg|kube|docker|netrc|npmrc|pgpass|git-credentials)\b|\bid_(?:rsa|ed25519|ecdsa|dsa)\b"
    r"|\.aws/credentials|/etc/(?:passwd|shadow)\b|\bmcp\.json\b|claude_desktop_config\.json|\.git-credentials",
    re.I,
)
_SECRET_READ = re.compile(r"\b(?:read|cat|open|copy|send|pass|upload|attach|include)\b[^.\n]{0,30}?(?:" + _SECRET_PATH.pattern + ")", re.I)
_SECRET_WORD = re.compile(r"system\s+prompt|conversation|chat\s+history|environment\s+variables|api\s+keys?|credentials|secrets|passwords", re.I)
_FETCH = re.compile(
    r"\b(?:before|prior\s+to)\s+(?:using|calling|invoking|running|executing)\s+(?:this|the)\s+tool\b"
    r"|\b(?:pass|send|include|put|add|provide|append)\s+(?:its|their|the\s+file'?s?|the)\s+(?:full\s+|entire\s+|complete\s+)?contents?\s+(?:as|in|into)\b",
    re.I,
)
_SEND_CONTENTS = re.compile(r"\bsend\s+(?:the\s+|all\s+)?contents?\s+of\b([^.\n]{0,60})", re.I)


def hidden_characters(text: str) -> list[str]:
    """Names of the invisible characters in ``text`` (legitimate uses left out: emoji ZWJ
    sequences, ZWNJ/ZWJ inside non-Latin words, subdivision flags, ideographic variants)."""
    text = _FLAG_TAGS.sub("", text)
    found: list[str] = []
    smuggled = "".join(chr(ord(c) - 0xE0000) for c in text if "\U000e0020" <= c <= "\U000e007e")
    if smuggled:  # ASCII written in tag characters: show what the model reads
        found.append(f"tag characters spelling '{smuggled[:40]}'")
    for match in _HIDDEN.finditer(text):
        char, i = match.group(), match.start()
        before, after = text[i - 1 : i], text[i + 1 : i + 2]
        if char in "\u200c\u200d" and _joins(before, after, char):
            continue
        if "\U000e0100" <= char <= "\U000e01ef" and before and unicodedata.name(before, "").startswith("CJK"):
            continue
        if smuggled and "\U000e0020" <= char <= "\U000e007e":
            continue
        name = f"U+{ord(char):04X} {unicodedata.name(char, 'tag character').lower()}"
        if name not in found:
            found.append(name)
    return found


def _joins(before: str, after: str, char: str) -> bool:
    if not before or not after:
        return False
    if char == "\u200d" and (unicodedata.category(before) == "So" or before in "\ufe0f" or "\U0001f3fb" <= before <= "\U0001f3ff"):
        return unicodedata.category(after) == "So"
    word = ("Lo", "Lm", "Mn", "Mc")
    return not before.isascii() and unicodedata.category(before) in word and unicodedata.category(after) in word


def injected_instruction(text: str) -> str | None:
    """What in ``text`` addresses the model as an attacker would, or None."""
    plain = " ".join(_HIDDEN.sub("", text).split())
    textual = _TEXTUAL.search(plain) is not None
    for pattern, what, quotable in _PHRASES:
        for match in pattern.finditer(plain):
            if not (quotable and (textual or _quoted(plain, match.start()))):
                return what
    # Lower-case <important> is also an HTML element of AWS API documentation.
    if _ANY_IMPORTANT.search(plain) and not _HTML_DOC.search(plain):
        return "an <IMPORTANT> block"
    if _SECRET_READ.search(plain) and _FETCH.search(plain):
        return "an instruction to read a credentials file and pass it on"
    for match in _SEND_CONTENTS.finditer(plain):
        if _SECRET_PATH.search(match.group(1)) or _SECRET_WORD.search(match.group(1)):
            return "an instruction to send secrets or the conversation elsewhere"
    return None


def _quoted(text: str, start: int) -> bool:
    return any(c in _QUOTES for c in text[max(0, start - 2) : start])
