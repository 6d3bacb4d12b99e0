"""Take the README's screenshots of `summitkg viz` in headless Chromium (Playwright, Debian's chromium).

    python scripts/viz_screenshots.py        # docs/images/viz-whole-graph.png, docs/images/viz-ego-s400.png

The whole graph is shown as the page opens; the ego network of res:S-400 with S-400's details
(every claim and verbatim quote behind it) in the side panel, as the page opens on a focus.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from summitkg.config import Settings
from summitkg.kg import load
from summitkg.network import ego_network, entity_network, resolve_entity
from summitkg.visualize import NetworkView

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
VIEWPORT = {"width": 1440, "height": 900}


def main() -> int:
    chromium = shutil.which("chromium")
    if chromium is None:
        print("Debian's chromium is not on PATH (apt-get install chromium)", file=sys.stderr)
        return 1
    with load(Settings(home=ROOT)) as kg:
        graph = entity_network(kg)
    s400 = resolve_entity(graph, "res:S-400")
    pages = {
        "viz-whole-graph.png": NetworkView(graph, title="The summit network"),
        "viz-ego-s400.png": NetworkView(ego_network(graph, s400, 1), title="S-400: ego network, depth 1", focus=s400),
    }
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        for name, view in pages.items():
            page_file = view.write(Path(folder) / name.replace(".png", ".html"))
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(page_file.as_uri())
            page.wait_for_selector("body[data-ready='true']", state="attached", timeout=120_000)
            page.screenshot(path=IMAGES / name)
            print(f"wrote {(IMAGES / name).relative_to(ROOT)}")
            page.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
