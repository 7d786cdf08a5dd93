"""Make Material's search work for Norwegian: compound words and everyday words.

Imports :mod:`index` and :mod:`models`. Norwegian joins words (``kommunepsykolog``,
``avlastningsplass``); Material's search only matches the start of a word, so a search for
"plass" would miss "avlastningsplass". After the build, each indexed section gets the last
parts of its long compound words appended as extra search terms, and each service page gets
the everyday words of its situations (``angst``, ``rusproblem``, ``selvmordstanker``). The build
does this to the search plugin's entries before the plugin writes ``search_index.json``.
"""

from __future__ import annotations

import re
from typing import Any

from . import models as m
from .index import Index
from .routes import page_url

_WORD = re.compile(r"[a-zæøåé]+")
_TAG = re.compile(r"<[^>]+>")
MIN_COMPOUND = 8
MIN_PART = 4


def words(text: str) -> list[str]:
    return _WORD.findall(_TAG.sub(" ", text).lower())


def compound_parts(word: str, vocabulary: set[str]) -> set[str]:
    """The known words a compound ends with: 'avlastningsplass' -> {'plass'}."""
    if len(word) < MIN_COMPOUND:
        return set()
    return {word[i:] for i in range(3, len(word) - MIN_PART + 1) if word[i:] in vocabulary}


def service_keywords(index: Index) -> dict[str, list[str]]:
    """Search location of each service page -> the everyday words of its situations."""
    out = {}
    for entry in index.of_type("tjeneste"):
        keywords = sorted({k for s in entry.record.situasjoner for k in m.SITUATION_KEYWORDS[s]})
        if keywords:
            out[page_url(entry.page)] = keywords
    return out


def enrich_entries(docs: list[dict[str, Any]], index: Index) -> None:
    """Append compound parts and situation words to each search entry (``location``, ``title``, ``text``)."""
    all_words = [set(words(doc.get("title", "") + " " + doc.get("text", ""))) for doc in docs]
    vocabulary = {w for ws in all_words for w in ws if len(w) >= MIN_PART}
    keywords = service_keywords(index)
    # The same words recur on thousands of pages; split each one once.
    parts: dict[str, set[str]] = {}
    for doc, doc_words in zip(docs, all_words, strict=True):
        extra = set(keywords.get(doc["location"], ()))
        for word in doc_words:
            if len(word) >= MIN_COMPOUND:
                found = parts.get(word)
                if found is None:
                    found = parts[word] = compound_parts(word, vocabulary)
                extra |= found
        extra -= doc_words
        if extra:
            doc["text"] = doc.get("text", "") + " <span hidden>" + " ".join(sorted(extra)) + "</span>"

