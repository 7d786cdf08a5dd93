"""Site search for Norwegian: the editors' search words, and the Pagefind index of the built site.

Imports :mod:`errors`, :mod:`loader` and :mod:`yamlsource`. Pagefind (the ``pagefind_bin`` package)
indexes the built HTML after the build, with Norwegian stemming, in chunks the browser loads as it
needs them. What people type is often not what the pages say («mannen min drikker for mye»,
«avlasning»), so ``data/sokeord.yml`` lists stop words and everyday words, synonyms, misspellings
and compound splits with what to search for instead. The build checks that file and writes it, with
the kommune names, to ``assets/sokeord.json`` for the search page's script (``docs/assets/kb-search.js``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import Problems
from .loader import SEARCH_WORDS_FILE, report_validation_error
from .yamlsource import LineDict, LineList, load_yaml_file

if TYPE_CHECKING:
    from .index import Index

SEARCH_WORDS_JSON = "assets/sokeord.json"
"""Where the build writes the search words for the browser, relative to the site."""
PAGEFIND_LANGUAGE = "no"
"""Pagefind's code for Norwegian stemming (the pages say ``lang="nb"``, which Pagefind does not stem)."""

_PHRASE = re.compile(r"^[a-zæøåéü0-9§]+(?:[ -][a-zæøåéü0-9§]+)*$")
_PHRASE_HINT = "small letters, digits and single spaces, for example 'drikker for mye'"


def _check_phrase(value: str) -> str:
    if not _PHRASE.match(value):
        raise ValueError(f"'{value}' is not a search phrase; write {_PHRASE_HINT}")
    return value


def _one_or_more(schema: dict[str, Any]) -> None:
    """In the JSON Schema, 'sok' may be one phrase or a list, as the validator accepts."""
    listed = {"type": "array", "items": schema.pop("items"), "minItems": schema.pop("minItems")}
    schema.pop("type")
    schema["anyOf"] = [{"type": "string"}, listed]


class SearchWord(BaseModel):
    """What people type (``sok``) and what the search looks for instead (``finn``)."""

    model_config = ConfigDict(extra="forbid")

    sok: list[str] = Field(min_length=1, description="what people type: one or more phrases in small letters",
                           json_schema_extra=_one_or_more)
    finn: str = Field(description="the words the pages use, searched for instead, for example 'rus'")
    slag: Literal["hverdagsord", "synonym", "skrivefeil", "orddeling"] = Field(
        description="hverdagsord, synonym, skrivefeil or orddeling")

    @field_validator("sok", mode="before")
    @classmethod
    def _one_or_more(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("sok")
    @classmethod
    def _phrases(cls, value: list[str]) -> list[str]:
        return [_check_phrase(v) for v in value]

    @field_validator("finn")
    @classmethod
    def _target(cls, value: str) -> str:
        return _check_phrase(value)


class SearchWords(BaseModel):
    """The whole of ``data/sokeord.yml``."""

    model_config = ConfigDict(extra="forbid")

    stoppord: list[str] = Field(default_factory=list, description="words left out of every search, such as 'å'")
    ord: list[SearchWord] = Field(default_factory=list)

    @field_validator("stoppord")
    @classmethod
    def _words(cls, value: list[str]) -> list[str]:
        for word in value:
            if not re.match(r"^[a-zæøå]+$", word):
                raise ValueError(f"'{word}' is not one word in small letters; write one word per item, such as 'å'")
        return value


def load_search_words(data_dir: Path, problems: Problems) -> SearchWords:
    """Read and check ``data/sokeord.yml``; a missing file means no search words."""
    path = data_dir / SEARCH_WORDS_FILE
    if not path.exists():
        return SearchWords()
    data = load_yaml_file(path, problems)
    if data is None:
        return SearchWords()
    if not isinstance(data, dict):
        problems.add(path, getattr(data, "line", 1), "the file must hold 'stoppord:' and 'ord:'; see docs/redaktor/")
        return SearchWords()
    # Each item of 'ord' is checked on its own, so a message names the item's own line and field.
    items = data.get("ord")
    try:
        words = SearchWords.model_validate({**data, "ord": []})
    except ValidationError as error:
        report_validation_error(problems, path, SearchWords, data, error)
        return SearchWords()
    if items is not None and not isinstance(items, list):
        problems.add(path, data.key_lines.get("ord", 1) if isinstance(data, LineDict) else 1,
                     "'ord' must be a list of items, each starting with '- sok: ...'", "SearchWords", "ord")
        return words
    for i, item in enumerate(items or []):
        line = items.item_lines[i] if isinstance(items, LineList) else 0
        if not isinstance(item, dict):
            problems.add(path, line, "each item must have the lines 'sok:', 'finn:' and 'slag:'", "SearchWord")
            continue
        try:
            words.ord.append(SearchWord.model_validate(dict(item)))
        except ValidationError as error:
            report_validation_error(problems, path, SearchWord, item, error)
            # An empty stand-in keeps the items' numbers in step for the check of repeats.
            words.ord.append(SearchWord.model_construct(sok=[], finn="", slag="synonym"))
    _report_repeats(words, data, path, problems)
    words.ord = [w for w in words.ord if w.sok]
    return words


def _report_repeats(words: SearchWords, data: Any, path: Path, problems: Problems) -> None:
    """A phrase listed twice would have two meanings; name the second place and the first."""
    items = data.get("ord") if isinstance(data, LineDict) else None
    first: dict[str, int] = {}
    for i, word in enumerate(words.ord):
        line = items.item_lines[i] if isinstance(items, LineList) else 0
        for phrase in word.sok:
            if phrase in first:
                problems.add(path, line, f"'{phrase}' is already listed on line {first[phrase]}; keep one of them",
                             f"SearchWord(sok={phrase!r})", "sok")
            else:
                first[phrase] = line


def _fold(text: str) -> str:
    return text.lower().replace("å", "aa").replace("ø", "o").replace("æ", "ae")


def search_words_json(index: Index, only: Collection[str] | None = None) -> str:
    """The search words and kommune names (all, or those in ``only``) the browser's search script reads, as JSON."""
    words: SearchWords = index.search_words
    kommuner = [{"id": e.id, "navn": e.record.navn,
                 "varianter": sorted({e.record.navn.lower(), _fold(e.record.navn), e.id.replace("-", " ")})}
                for e in index.of_type("kommune") if only is None or e.id in only]
    data = {
        "stoppord": sorted(set(words.stoppord)),
        "ord": sorted([phrase, w.finn, w.slag] for w in words.ord for phrase in w.sok),
        "kommuner": kommuner,
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def write_search_index(site_dir: Path, index: Index, only: Collection[str] | None = None,
                       pagefind: bool = True) -> None:
    """Write the search words (with the kommuner in ``only``, or all), then let Pagefind index the built pages
    into ``pagefind/`` (unless ``pagefind`` is false: a shard's site is indexed after the merge, and a dirty
    rebuild under ``mkdocs serve`` keeps the index it has).

    Raises:
        RuntimeError: Pagefind failed; the message is one line saying why.
    """
    target = site_dir / SEARCH_WORDS_JSON
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(search_words_json(index, only), encoding="utf-8")
    if pagefind:
        run_pagefind(site_dir)


def run_pagefind(site_dir: Path) -> None:
    """Let Pagefind index the built pages of ``site_dir`` into ``pagefind/``.

    Raises:
        RuntimeError: Pagefind failed; the message is one line saying why.
    """
    # Pagefind adds to an index folder it finds; a dirty build must not keep fragments of older pages.
    shutil.rmtree(site_dir / "pagefind", ignore_errors=True)
    command = [sys.executable, "-m", "pagefind_bin", "--site", str(site_dir), "--force-language", PAGEFIND_LANGUAGE,
               "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise RuntimeError(f"search: Pagefind could not run ({err}); run scripts/setup.sh") from err
    if result.returncode != 0:
        # Pagefind writes its error last on stderr; its progress goes to stdout.
        lines = [line.strip() for line in (result.stderr or result.stdout).splitlines() if line.strip()]
        why = lines[-1] if lines else f"exit status {result.returncode}"
        raise RuntimeError(f"search: Pagefind failed to index the site: {why}; run scripts/setup.sh "
                           "(pagefind-bin from requirements.lock) and build again")
