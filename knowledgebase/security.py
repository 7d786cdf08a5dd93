"""Security headers for hosting: a strict Content-Security-Policy that the built site passes.

Imports nothing from the package. Material's theme has a few small inline scripts; they are
allowed by their SHA-256 hash, never by 'unsafe-inline'. The result is written as
``site/_headers`` (the format of Netlify and Cloudflare Pages); README shows the same for nginx.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)
_DATA_TYPES = ("application/json", "application/ld+json")


def script_hashes_of(html: str) -> set[str]:
    """The 'sha256-...' sources of the executable inline scripts in one page."""
    hashes = set()
    for attrs, body in _INLINE_SCRIPT.findall(html):
        if any(kind in attrs for kind in _DATA_TYPES):
            continue
        digest = hashlib.sha256(body.encode("utf-8")).digest()
        hashes.add("'sha256-" + base64.b64encode(digest).decode("ascii") + "'")
    return hashes


def inline_script_hashes(site: Path) -> list[str]:
    """The sorted hashes of every executable inline script in a built site (reads every page)."""
    hashes: set[str] = set()
    for page in site.rglob("*.html"):
        hashes |= script_hashes_of(page.read_text(encoding="utf-8"))
    return sorted(hashes)


def content_security_policy(site: Path, hashes: set[str] | None = None) -> str:
    """A policy that allows only this site's own files and the theme's hashed inline scripts."""
    directives = [
        "default-src 'self'",
        "script-src 'self' " + " ".join(sorted(hashes) if hashes is not None else inline_script_hashes(site)),
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(d.strip() for d in directives)


def headers_file(site: Path, hashes: set[str] | None = None) -> str:
    """The ``_headers`` file: the same security headers for every path."""
    lines = [
        "# Security headers for static hosts that read _headers (Netlify, Cloudflare Pages).",
        "/*",
        f"  Content-Security-Policy: {content_security_policy(site, hashes)}",
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
