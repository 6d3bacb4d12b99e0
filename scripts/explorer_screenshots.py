"""Take the README's screenshots of the web explorer (`summitkg serve`) in headless Chromium.

    python scripts/explorer_screenshots.py [SERVE OPTIONS]   # docs/images/explorer-query.png,
                                                             # entity-s400.png, source-document.png

Starts the real server on a free port, runs the named query ``trade_by_year`` in YASGUI, opens the
entity page of res:S-400 at its Indian Air Force quote, and the source text of document 004.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
VIEWPORT = {"width": 1440, "height": 900}
S400_QUOTE = "The system has already been described as a “game-changer” by the Indian Air Force."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server stopped before answering")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


def main() -> int:
    chromium = shutil.which("chromium")
    if chromium is None:
        print("Debian's chromium is not on PATH (apt-get install chromium)", file=sys.stderr)
        return 1
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "summitkg", "serve", "--port", str(port), *sys.argv[1:]], cwd=ROOT)
    try:
        wait_for(base + "/sparql", server)
        IMAGES.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(base + "/")
            page.get_by_role("button", name="trade_by_year").click()
            page.locator(".yasr table.dataTable tbody tr").first.wait_for(timeout=60_000)
            page.mouse.move(900, 820)
            page.screenshot(path=IMAGES / "explorer-query.png")

            page = browser.new_page(viewport=VIEWPORT)
            page.goto(base + "/resource/S-400")
            page.locator("blockquote.quote", has_text=S400_QUOTE).first.wait_for()
            page.screenshot(path=IMAGES / "entity-s400.png")

            page = browser.new_page(viewport=VIEWPORT)
            page.goto(base + "/documents/004")
            mark = page.locator("mark.q", has_text="game-changer").first
            mark.scroll_into_view_if_needed()
            mark.click()
            page.locator(".popover").wait_for()
            page.screenshot(path=IMAGES / "source-document.png")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    for name in ("explorer-query.png", "entity-s400.png", "source-document.png"):
        print(IMAGES / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
