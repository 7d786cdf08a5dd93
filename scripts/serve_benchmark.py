"""Benchmark of the editor's loop: save a file while ``mkdocs serve`` runs, and time until the page shows it.

It copies the project (code, data, docs, config) into a temporary folder, never touching the real
data, and starts ``mkdocs serve`` there with the options ``make serve`` uses (read from the Makefile
of the code measured). Then, three times each, it saves:

- a service name in ``data/kommuner/sel/tjenester.yml``, and polls the service's page;
- a paragraph added to a plan chapter, ``docs/kommuner/sel/plan/12-voksne.md``, and polls the chapter.

It prints the save-to-served latency (the median of three, and each run) and, from the server's log,
how long each rebuild took. With ``--compare REV`` it also measures the code of an earlier commit
(extracted with ``git archive`` into a temporary folder), with that commit's ``make serve`` options.

Usage: python scripts/serve_benchmark.py [--compare REV] [--repeat 3]
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVICES = "data/kommuner/sel/tjenester.yml"
SERVICE_NAME = "navn: Psykisk helsearbeid for voksne"
SERVICE_URL = "kommuner/sel/tjenester/psykisk-helsearbeid-voksne/"
CHAPTER = "docs/kommuner/sel/plan/12-voksne.md"
CHAPTER_URL = "kommuner/sel/plan/12-voksne/"
TIMEOUT = 120.0


def serve_options(code: Path) -> list[str]:
    """The options ``make serve`` gives ``mkdocs serve`` in the Makefile at ``code`` (without the address)."""
    makefile = (code / "Makefile").read_text(encoding="utf-8")
    line = re.search(r"mkdocs serve(.*)", makefile)
    words = shlex.split(line.group(1)) if line else []
    out, skip = [], False
    for word in words:
        if skip:
            skip = False
        elif word in ("--dev-addr", "-a"):
            skip = True
        else:
            out.append(word)
    return out


def copy_project(code: Path, dest: Path) -> None:
    """The code, config, data and docs of ``code``: the server imports the package from this copy."""
    for name in ("mkdocs.yml", "hooks", "overrides", "schema", "data", "docs", "knowledgebase"):
        src = code / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy(src, dest / name)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


class Server:
    """``mkdocs serve`` in a project folder, with its log read as it comes."""

    def __init__(self, project: Path, options: list[str]) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.lines: list[tuple[float, str]] = []
        command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{self.port}", *options]
        self.process = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append((time.monotonic(), line.rstrip()))

    def wait_built(self, since: float, end: str = "Reloading browsers") -> str:
        """Wait for the end of the build that started after ``since``; return its log lines that say what it did."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            lines = [line.split(" - ", 1)[-1].strip() for when, line in list(self.lines) if when >= since]
            said = [line for line in lines if line.startswith(("Rebuilding", "Title of"))]
            # MkDocs drops a log line equal to the one before ("Documentation built in 2.80 seconds" twice);
            # the server's reload line, with its time stamp, ends every build.
            built = [line for line in lines if "Documentation built in" in line or "Aborted" in line]
            if any(end in line or "error happened" in line for line in lines):
                return "; ".join(said + (built or ["Documentation built (MkDocs left out a repeated time)"]))
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError("mkdocs serve did not finish a build:\n" + "\n".join(line for _, line in self.lines[-30:]))

    def poll(self, path: str, marker: str) -> float:
        """Seconds until the page at ``path`` holds ``marker``."""
        start = time.monotonic()
        while time.monotonic() - start < TIMEOUT:
            if marker in fetch(self.base + path):
                return time.monotonic()
            time.sleep(0.02)
        raise RuntimeError(f"{path} never showed {marker!r}:\n" + "\n".join(line for _, line in self.lines[-30:]))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def measure(code: Path, repeat: int) -> dict[str, list[tuple[float, str]]]:
    """Latency (s) and the server's log line of each save, per kind of edit."""
    results: dict[str, list[tuple[float, str]]] = {"service name (YAML)": [], "plan chapter (Markdown)": []}
    with tempfile.TemporaryDirectory(prefix="kb-serve-bench-") as tmp:
        project = Path(tmp)
        copy_project(code, project)
        server = Server(project, serve_options(code))
        try:
            server.wait_built(0.0, end="Serving on")
            while not fetch(server.base + SERVICE_URL):
                time.sleep(0.1)
            time.sleep(1.0)
            name = SERVICE_NAME
            for i in range(1, repeat + 1):
                marker = f"måling {i}"
                for kind, rel, url, old, new in [
                    ("service name (YAML)", SERVICES, SERVICE_URL, name, f"{SERVICE_NAME} {marker}"),
                    ("plan chapter (Markdown)", CHAPTER, CHAPTER_URL, None, f"\nEt nytt avsnitt, {marker}.\n"),
                ]:
                    path = project / rel
                    text = path.read_text(encoding="utf-8")
                    text = text.replace(old, new, 1) if old else text + new
                    saved = time.monotonic()
                    path.write_text(text, encoding="utf-8")
                    served = server.poll(url, marker)
                    line = server.wait_built(saved)
                    results[kind].append((served - saved, line))
                    time.sleep(1.0)  # let the server settle before the next save
                name = f"{SERVICE_NAME} {marker}"
        finally:
            server.stop()
    return results


def report(label: str, results: dict[str, list[tuple[float, str]]]) -> None:
    print(label, flush=True)
    for kind, runs in results.items():
        median = statistics.median(r[0] for r in runs)
        each = ", ".join(f"{r[0]:.2f}" for r in runs)
        verdict = "meets" if median <= 2.0 else "misses"
        print(f"  {kind:<24} save -> served: median {median:.2f} s (runs: {each}); {verdict} the 2 s target",
              flush=True)
        for _, line in runs:
            print(f"      server: {line}", flush=True)


def main(args: list[str]) -> None:
    rev, repeat = None, 3
    while args:
        if args[0] == "--compare":
            rev, args = args[1], args[2:]
        elif args[0] == "--repeat":
            repeat, args = int(args[1]), args[2:]
        else:
            raise SystemExit(__doc__)
    if rev:
        with tempfile.TemporaryDirectory() as tmp:
            archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
            report(f"mkdocs serve {' '.join(serve_options(Path(tmp)))} with the code of {rev}:",
                   measure(Path(tmp), repeat))
    report(f"mkdocs serve {' '.join(serve_options(ROOT))} (make serve) with this code:", measure(ROOT, repeat))


if __name__ == "__main__":
    main(sys.argv[1:])
