"""Shared fixtures: the loaded graph on each store, a real Oxigraph server, a copy of the project to break."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from summitkg.config import Settings
from summitkg.kg import KnowledgeGraph, load
from summitkg.loading import discover

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# Validation records go to a cache of this run's own, never the user's.
os.environ["SUMMITKG_CACHE"] = tempfile.mkdtemp(prefix="summitkg-test-cache-")


def require(condition: bool, reason: str) -> None:
    """Skip locally when a real component is missing; in CI that is a failure."""
    if not condition:
        if IN_CI:
            pytest.fail(f"CI must provide this: {reason}")
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, *, timeout: float = 20.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(home=ROOT)


@pytest.fixture(scope="session")
def kg(settings: Settings) -> Iterator[KnowledgeGraph]:
    """The shipped graph in rdflib's store, literals exactly as written; the fact checks read its Dataset."""
    graph = load(settings, store="memory")
    yield graph
    graph.close()


@pytest.fixture(scope="session")
def dataset(kg: KnowledgeGraph):
    return kg.backend.dataset


@pytest.fixture(scope="session")
def oxigraph_server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server on 127.0.0.1, filled by `oxigraph load`; yields its query URL."""
    binary = shutil.which("oxigraph")
    require(binary is not None, "the `oxigraph` server (PyPI package oxigraph) is not on PATH")
    location = tmp_path_factory.mktemp("oxigraph")
    for source in discover(settings):
        subprocess.run([binary, "load", "--location", str(location), "--file", str(source.path),
                        "--graph", str(source.graph)], check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                                "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", process=process)
        yield f"http://127.0.0.1:{port}/query"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session", params=["memory", "oxigraph", "remote"])
def any_kg(request: pytest.FixtureRequest, settings: Settings) -> Iterator[KnowledgeGraph]:
    """The shipped graph on each store: rdflib, embedded Oxigraph, and a real Oxigraph server."""
    if request.param == "remote":
        store = "sparql:" + request.getfixturevalue("oxigraph_server")
    else:
        store = request.param
    graph = load(settings, store=store)
    yield graph
    graph.close()


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A throwaway copy of ontology/, graph/ and queries/ to break on purpose."""
    for name in ("ontology", "graph", "queries"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def user_env() -> dict[str, str]:
    """This environment without the developer's own summitkg settings (the cache aside), so a test
    sees the defaults a user gets."""
    return {k: v for k, v in os.environ.items() if not k.startswith("SUMMITKG_") or k == "SUMMITKG_CACHE"}


def run_cli(*args: str, home: Path | None = None, stdin: str | None = None, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the real `summitkg` command in a subprocess."""
    full_env = user_env()
    full_env.update(env or {})
    if home is not None:
        full_env["SUMMITKG_HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "summitkg", *args], capture_output=True, text=True,
                          input=stdin, env=full_env, timeout=timeout, cwd=ROOT)


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A real headless Chromium (Debian's `chromium` on PATH) driven by Playwright."""
    executable = shutil.which("chromium")
    require(executable is not None, "Debian's `chromium` is not on PATH (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A fresh page that records every request it makes, in ``page.requested_urls``."""
    context = browser.new_context()
    tab = context.new_page()
    tab.requested_urls = []
    tab.on("request", lambda request: tab.requested_urls.append(request.url))
    try:
        yield tab
    finally:
        context.close()
