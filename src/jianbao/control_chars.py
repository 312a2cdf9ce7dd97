"""The control characters no text of ours may hold, written once.

XML 1.0 refuses C0 controls but tab, newline and carriage return, lone surrogates, U+FFFE
and U+FFFF: lxml refuses a string holding one, Word will not open a document holding one,
PostgreSQL refuses a ``\\x00`` in text and UTF-8 cannot encode a lone surrogate. They are
invisible, so nobody who pasted one can find it. Extraction drops them from what it reads
(folding ``\\x0b`` and ``\\x0c`` to a space first: they are white space), the XML renderers
drop them on output; both import them from here, below every stage, so that the extract
stage need not import render (the stages' dependencies point one way).
"""

from __future__ import annotations

import re

#: what XML 1.0 cannot hold: C0 controls but tab, newline and carriage return (``\x0b``
#: and ``\x0c`` included), lone surrogates, U+FFFE and U+FFFF
XML_REFUSED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def drop_xml_refused(text: str) -> str:
    """``text`` without the characters XML 1.0 refuses (tab and newlines kept)."""
    return XML_REFUSED.sub("", text)
