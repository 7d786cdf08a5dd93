"""Check every internal link and anchor of a built site with linkchecker, served on loopback.

Usage: python scripts/linkcheck.py SITE_DIR
External links are not checked here (the build machines have no internet); run
``linkchecker --check-extern`` on a published site for those.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from browser import serve_site  # noqa: E402

CONFIG = """[checking]
threads=4
maxrequestspersecond=1000
[filtering]
ignorewarnings=http-empty-content,url-content-too-large
[AnchorCheck]
"""


def main(site: str) -> int:
    linkchecker = Path(sys.executable).with_name("linkchecker")
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)  # linkchecker run as root switches to 'nobody', who must read the config
        config = Path(tmp) / "linkcheckerrc"
        config.write_text(CONFIG)
        config.chmod(0o644)
        # A 'LinkChecker' response header lifts linkchecker's politeness limit (10 requests per
        # second per host), which would make a check of this local server take many minutes.
        with serve_site(Path(site), headers={"LinkChecker": "local"}) as base:
            result = subprocess.run(
                [str(linkchecker), "--config", str(config), "--no-status", "--recursion-level=-1",
                 "--ignore-url=^tel:", "--ignore-url=^mailto:", base],
                capture_output=True, text=True,
            )
    output = result.stdout + result.stderr
    summary = [line for line in output.splitlines() if "links in" in line or "errors found" in line
               or "Error" in line or "That's it" in line]
    # linkchecker reports a missing anchor as a warning; for this site every warning is a failure.
    warnings = [line for line in output.splitlines() if line.startswith("Warning")]
    if result.returncode != 0 or warnings:
        print(output)
        print("Link check failed: fix the broken links or anchors listed above.", file=sys.stderr)
        return 1
    print("\n".join(summary[-3:]) or output[-500:])
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
