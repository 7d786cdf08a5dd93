"""Security for the built site: a Content-Security-Policy from a fixed list of the theme's inline
scripts, and a check that every page is inert apart from them.

Imports nothing from the package. Material puts two small inline scripts on its pages; they are listed here,
for the Material version they belong to, and allowed by their SHA-256 hash, never by
'unsafe-inline'. A page with any other inline script fails the build, as does a page with an
``on...`` attribute, a ``javascript:``/``data:``/``vbscript:`` address, a resource from another
host, or a frame, object, embed, base or refresh element. The policy is written to
``site/_headers`` (Netlify, Cloudflare Pages) and into every page as a ``<meta>`` element (for
hosts such as GitHub Pages that send no headers).
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from functools import lru_cache
from importlib.metadata import version

THEME = "mkdocs-material"
THEME_VERSION = "9.8.1"
"""The Material version whose inline scripts :data:`THEME_SCRIPTS` lists."""

_SCOPE = ('__md_scope=new URL({base},location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),'
          '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
          '__md_set=(e,_,t=localStorage,a=__md_scope)=>{{try{{t.setItem(a.pathname+"."+e,JSON.stringify(_))}}'
          'catch(e){{}}}}')
_TABS = ('var target=document.getElementById(location.hash.slice(1));target&&target.name&&'
         '(target.checked=target.name.startsWith("__tabbed_"))')
_BASES = ['"/"', '"."'] + ['"' + "/".join([".."] * depth) + '"' for depth in range(1, 9)]
THEME_SCRIPTS = [_TABS] + [_SCOPE.format(base=base) for base in _BASES]
"""Every inline script Material 9.8.1 writes: the tab script, and its storage script for pages up to
eight folders deep (its only variable part is the way back to the site's root)."""


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


ALLOWED_HASHES = frozenset(_hash(s) for s in THEME_SCRIPTS)


def theme_problem() -> str | None:
    """Why the list of theme scripts may no longer be right, or None."""
    installed = version(THEME)
    if installed != THEME_VERSION:
        return (f"{THEME} {installed} is installed, but knowledgebase/security.py lists the inline scripts of "
                f"{THEME_VERSION}; build once, compare the inline <script> elements of a page with THEME_SCRIPTS, "
                "update the list and THEME_VERSION")
    return None


def content_security_policy(meta: bool = False) -> str:
    """The policy: this site's own files and the theme's listed inline scripts, nothing else.

    ``meta=True`` leaves out what a ``<meta>`` policy cannot carry (frame-ancestors).
    """
    directives = [
        "default-src 'self'",
        # 'wasm-unsafe-eval' lets the search (Pagefind) compile its own WebAssembly file; it allows no eval().
        "script-src 'self' 'wasm-unsafe-eval' " + " ".join(sorted(ALLOWED_HASHES)),
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    if not meta:
        directives.append("frame-ancestors 'none'")
    return "; ".join(directives)


def headers_file() -> str:
    """The ``_headers`` file: the same security headers for every path."""
    lines = [
        "# Security headers for static hosts that read _headers (Netlify, Cloudflare Pages).",
        "/*",
        f"  Content-Security-Policy: {content_security_policy()}",
        "  X-Content-Type-Options: nosniff",
        "  Referrer-Policy: no-referrer",
        "  X-Frame-Options: DENY",
        "  Permissions-Policy: camera=(), microphone=(), geolocation=(), interest-cohort=()",
        "  Cross-Origin-Opener-Policy: same-origin",
    ]
    return "\n".join(lines) + "\n"


def parse_headers_file(text: str) -> dict[str, str]:
    """Read the headers for '/*' back from a ``_headers`` file (used by tests and local serving)."""
    headers = {}
    for line in text.splitlines():
        if line.startswith("  ") and ":" in line:
            name, _, value = line.strip().partition(":")
            headers[name] = value.strip()
    return headers


def _any_case(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


_SCRIPT = re.compile("<" + _any_case("script") + r"\b([^>]*)>(.*?)</" + _any_case("script") + r"\s*>", re.S)
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*/?>")
_ATTR = re.compile(r"([^\s=>/]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "srcset", "data", "background"}
_RESOURCE_ATTRS = {"src", "srcset", "poster", "data", "background"}
_FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}
_BAD_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.I)
_DATA_TYPES = ("application/json", "application/ld+json")


_SUSPECT = re.compile(
    r"<[a-zA-Z][^>]*?(?:[\s/]on[a-z]+\s*=|[\s/](?:href|src|action|formaction|xlink:href|poster|srcset|data|background)"
    r"\s*=\s*[\"']?\s*(?://|[^\"'\s>]*[:&%])|\shttp-equiv)[^>]*>"
    r"|<(?:iframe|object|embed|base|frame|frameset|applet)\b[^>]*>", re.I)
"""The tags worth a closer look: event attributes, addresses with a scheme, '//', an entity or a
percent sign, refresh elements and frames. A relative address (most links of the site) can neither
call another host nor run script, so its tag is passed over without parsing. (Browsers read '/' between
attributes as a space: ``<img/onerror=...>``.)"""

_ON, _HTTP = _any_case("on"), _any_case("http-")
_CANDIDATE = re.compile(
    r"<[a-zA-Z][^>:&%/\s]*+(?:(?:/(?!/|" + _ON + r")|\s(?!" + _ON + "|" + _HTTP + r"))[^>:&%/\s]*+)*+"
    r"(?:[:&%]|//|[\s/]" + _ON + r"|\s" + _HTTP + r")[^>]*>")
_FORBIDDEN = re.compile("<(?:" + "|".join(map(_any_case, sorted(_FORBIDDEN_TAGS))) + r")\b[^>]*>")
"""A cheap first pass for :data:`_SUSPECT`: the tags holding any of the characters its checks need (':', '&',
'%', '//', or an attribute starting with 'on' or 'http-'). Scanning the page with :data:`_SUSPECT` alone tries its
alternatives at every character of every tag; this pass skips most tags at the speed of a character class and
halves the time of the check."""


def inert_problem(page: str, where: str) -> str | None:
    """One line saying why the built page ``where`` must not be published, or None for an inert page."""
    problems = unsafe_markup(page)
    if not problems:
        return None
    return (f"{where}: the page is not safe to publish: {'; '.join(sorted(set(problems)))}. "
            "Remove the script, event attribute or outside address from the data or page behind it.")


@lru_cache(maxsize=8192)
def _tag_problems(candidate: str) -> tuple[str, ...]:
    """What in one tag could run script or call another host. The same tags (the theme's, links to Lovdata) recur
    on every page, so each distinct tag is read once."""
    if not _SUSPECT.fullmatch(candidate):
        return ()
    match = _TAG.match(candidate)
    if match is None:
        return (f"a tag that cannot be read: {candidate[:60]!r}",)
    found = []
    tag, attrs = match.groups()
    name = tag.lower()
    if name in _FORBIDDEN_TAGS:
        found.append(f"a <{name}> element")
    if not attrs:
        return tuple(found)
    values = {a.lower(): html.unescape((v or "").strip("\"'")) for a, v in _ATTR.findall(attrs)}
    for attr, value in values.items():
        if attr.startswith("on"):
            found.append(f"an event attribute {attr}= on <{name}>")
        elif attr in _URL_ATTRS:
            address = re.sub(r"[\x00-\x20]+", "", value)
            if _BAD_SCHEME.match(address) and not (name == "img" and address.startswith("data:image/")):
                found.append(f"a {address.split(':')[0].lower()}: address in {attr}= on <{name}>")
            elif (attr in _RESOURCE_ATTRS or (name == "link" and values.get("rel") == "stylesheet")) \
                    and re.match(r"^(https?:)?//", address, re.I):
                found.append(f"a resource from another host in {attr}= on <{name}>: {address[:60]}")
    if name == "meta" and values.get("http-equiv", "").lower() == "refresh":
        found.append("a <meta http-equiv=refresh> element")
    return tuple(found)


def unsafe_markup(page: str) -> list[str]:
    """What in a built page could run script or call another host; empty for an inert page."""
    found = []
    for attrs, body in _SCRIPT.findall(page):
        if re.search(r"\bsrc\s*=", attrs):
            continue
        kind = re.search(r"\btype\s*=\s*[\"']?([^\"'\s>]+)", attrs)
        if kind and kind.group(1).lower() in _DATA_TYPES:
            if "<" in body:
                found.append("a JSON script element holds '<'")
            continue
        if _hash(body) not in ALLOWED_HASHES:
            found.append(f"an inline script that is not the theme's: {body[:60]!r}")
    for candidate in _FORBIDDEN.findall(page) + _CANDIDATE.findall(page):
        found += _tag_problems(candidate)
    return found
