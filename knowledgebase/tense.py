"""Sentences in the future tense about dates that have passed («Fra 1.1.2020 skal …» read in 2026).

Imports nothing from the package. The «Til kontroll» list shows what :func:`stale_future_sentences` finds,
and a test keeps the kommune pages free of them: such a sentence is rewritten as what the plan said
(«Planen fra 2018 sa at …»).
"""

from __future__ import annotations

import re

_YEAR = r"((?:19|20)\d{2})"
_DATE = r"(?:\d{1,2}\.\s?\d{1,2}\.\s?|\d{1,2}\.\s+[a-zæøå]+\s+|[a-zæøå]+\s+)?"
_PATTERNS = (
    # «Fra 1.1.2020 skal …», «Innen 2019 vil …»
    re.compile(r"\b(?:[Ff]ra(?: og med)?|[Ii]nnen|[Ii] løpet av)\s+" + _DATE + _YEAR + r"\b,?\s+(?:skal|vil)\b"),
    # «… skal være ferdig i 2017», «… vil lage en avtale … i 2018»
    re.compile(r"\b(?:[Ss]kal|[Vv]il)\b[^.!?\n]{0,80}?\b(?:innen|fra|i|fra og med)\s+" + _DATE + _YEAR + r"\b"),
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«(\-])")
_REF = re.compile(r"\[\[[^\]]*\]\]")


def stale_future_sentences(text: str, this_year: int) -> list[str]:
    """The sentences of ``text`` that say what shall or will happen in a year before ``this_year``."""
    plain = _REF.sub("…", " ".join(text.split()))
    found = []
    for sentence in (s.strip() for s in _SENTENCE_END.split(plain)):
        if sentence and any(int(year) < this_year for p in _PATTERNS for year in p.findall(sentence)):
            found.append(sentence)
    return found
