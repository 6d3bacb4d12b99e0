"""`summitkg viz` pages opened from disk in a real headless Chromium (Playwright).

Each page is written by the real command, opened as a file:// URL, and read through the
vis-network object the page holds (``network.body.data``). Expected entities, labels and
quotes come from FACTS.md and tests/data/network_tiny.ttl; counts from SPARQL.
"""

from __future__ import annotations

import html
import re
import time
from pathlib import Path

import pytest

from conftest import run_cli
from summitkg.kg import KnowledgeGraph
from test_network import tiny_home

RES = "https://w3id.org/summitkg/resource/"
PUTIN, S400 = RES + "Vladimir_Putin", RES + "S-400"
#: FACTS.md C001 and C133, verbatim.
PUTIN_QUOTE = "Russian President Vladimir Putin has begun a two-day visit to India"
S400_QUOTE = "The system has already been described as a “game-changer” by the Indian Air Force."


def build(folder: Path, name: str, *args: str, home: Path | None = None) -> Path:
    target = folder / name
    done = run_cli("viz", "-o", str(target), *args, home=home)
    assert done.returncode == 0, done.stderr
    return target


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pages")


@pytest.fixture(scope="module")
def whole(folder: Path) -> Path:
    return build(folder, "whole.html")


@pytest.fixture(scope="module")
def ego(folder: Path) -> Path:
    return build(folder, "ego.html", "--focus", "res:S-400", "--depth", "1")


@pytest.fixture(scope="module")
def tiny(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(folder, "tiny.html", home=tiny_home(tmp_path_factory.mktemp("tiny-home")))


def open_page(page, path: Path) -> None:
    """Open the page and wait until the layout has settled (the page marks <body data-ready>)."""
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready='true']", state="attached", timeout=120_000)


def poll(page, expression: str, timeout: float = 5.0) -> None:
    """Wait until ``expression`` is true in the page (the page's CSP forbids wait_for_function's eval)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        page.wait_for_timeout(50)


def node_ids(page) -> set[str]:
    return set(page.evaluate("network.body.data.nodes.getIds()"))


def only_this_file(page, path: Path) -> bool:
    return page.requested_urls == [path.as_uri()]


def test_whole_graph_holds_every_entity_and_relation(page, whole: Path, kg: KnowledgeGraph) -> None:
    entities = {str(r["e"]) for r in kg.query("SELECT DISTINCT ?e WHERE { ?e skg:mentionedIn ?d }").bindings}
    relations = kg.query("""SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o . FILTER(?p != skg:mentionedIn)
        FILTER EXISTS { ?s skg:mentionedIn ?a } FILTER EXISTS { ?o skg:mentionedIn ?b } }""")
    open_page(page, whole)
    assert node_ids(page) == entities
    assert page.evaluate("network.body.data.edges.length") == len(relations.bindings)
    putin = page.evaluate(f"network.body.data.nodes.get({PUTIN!r})")
    assert putin["label"] == "Vladimir Putin"
    assert putin["classLabel"] == "leader"
    edges = page.evaluate(f"network.body.data.edges.get({{filter: e => e.from === {PUTIN!r}}})")
    assert {"to": RES + "President_of_Russia", "label": "holds position"} in [
        {"to": e["to"], "label": e["label"]} for e in edges]
    assert only_this_file(page, whole), page.requested_urls


def test_the_page_needs_no_network(browser, whole: Path, kg: KnowledgeGraph) -> None:
    """Opened from disk with the network switched off, the page still draws the full graph."""
    context = browser.new_context(offline=True)
    try:
        tab = context.new_page()
        requests: list[str] = []
        tab.on("request", lambda request: requests.append(request.url))
        open_page(tab, whole)
        count = int(kg.query("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e skg:mentionedIn ?d }").bindings[0]["n"])
        assert tab.evaluate("network.body.data.nodes.length") == count
        assert tab.evaluate("document.querySelector('#network canvas').width") > 0
        assert requests == [whole.as_uri()]
    finally:
        context.close()


def test_the_file_inlines_everything(whole: Path) -> None:
    text = whole.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)=", text)
    assert "default-src 'none'" in text  # the browser itself refuses any request
    assert "vis-network 10.1.5" in text


def hover(page, node: str) -> str:
    """Move the mouse onto ``node`` and return the tooltip's text."""
    page.evaluate(f"network.focus({node!r}, {{scale: 1.6}})")
    x, y = page.evaluate(f"""() => {{
        const p = network.canvasToDOM(network.getPositions([{node!r}])[{node!r}]);
        const box = document.getElementById('network').getBoundingClientRect();
        return [box.left + p.x, box.top + p.y]; }}""")
    page.mouse.move(x - 30, y - 30)
    page.mouse.move(x, y, steps=5)
    tooltip = page.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)
    return tooltip.inner_text()


def test_tooltip_shows_type_description_and_verbatim_quote(page, whole: Path) -> None:
    open_page(page, whole)
    text = hover(page, PUTIN)
    assert "Vladimir Putin" in text and "leader" in text
    assert PUTIN_QUOTE in text
    assert "Document 000 · claim C001" in text


def test_s400_tooltip_quotes_the_indian_air_force(page, ego: Path) -> None:
    open_page(page, ego)
    text = hover(page, S400)
    assert "air-defence system" in text
    assert S400_QUOTE in text
    assert only_this_file(page, ego), page.requested_urls


@pytest.mark.parametrize(("typed", "expected"), [("putin", PUTIN), ("S-400", S400)])
def test_search_box_finds_and_focuses_a_node(page, whole: Path, typed: str, expected: str) -> None:
    open_page(page, whole)
    page.fill("#search", typed)
    page.press("#search", "Enter")
    assert page.evaluate("network.getSelectedNodes()") == [expected]
    poll(page, f"""(() => {{
        const view = network.getViewPosition(), node = network.getPositions([{expected!r}])[{expected!r}];
        return Math.hypot(view.x - node.x, view.y - node.y) < 1; }})()""")
    label = page.evaluate(f"network.body.data.nodes.get({expected!r}).label")
    assert label in page.inner_text("#details")


def test_search_box_says_when_nothing_matches(page, whole: Path) -> None:
    open_page(page, whole)
    page.fill("#search", "zzz no such entity")
    page.press("#search", "Enter")
    assert page.inner_text("#search-status") == "no entity matches"
    assert page.evaluate("network.getSelectedNodes()") == []


def test_class_toggles_hide_and_show_a_class(page, whole: Path) -> None:
    open_page(page, whole)
    leaders = "network.body.data.nodes.get({filter: n => n.cls === 'Leader'})"
    assert {n["label"] for n in page.evaluate(leaders)} == {"Vladimir Putin", "Narendra Modi", "Donald Trump",
                                                             "Xi Jinping"}
    page.uncheck("#class-legend input[data-cls='Leader']")
    assert all(n.get("hidden") for n in page.evaluate(leaders))
    page.check("#class-legend input[data-cls='Leader']")
    assert not any(n.get("hidden") for n in page.evaluate(leaders))


def test_edges_show_how_firm_a_relation_is(page, tiny: Path) -> None:
    """tests/data/network_tiny.ttl: a signed deal, an expected signing, an opinion, a stated fact."""
    open_page(page, tiny)
    edges = {(e["from"].rsplit("/", 1)[1], e["to"].rsplit("/", 1)[1]): e
             for e in page.evaluate("network.body.data.edges.get()")}
    assert edges["Deal", "Beta"]["kind"] == "in-force" and edges["Deal", "Beta"]["dashes"] is False
    assert edges["Deal", "Beta"]["status"] == "signed"
    assert edges["Gamma", "Offer"]["kind"] == "tentative" and edges["Gamma", "Offer"]["dashes"] == [8, 6]
    assert edges["Gamma", "Offer"]["label"] == "expected to sign"
    assert edges["Gamma", "Meet"]["kind"] == "opinion" and edges["Gamma", "Meet"]["dashes"] == [2, 5]
    assert edges["Gamma", "Meet"]["attributedTo"] == "Alpha Leader"
    assert edges["Alpha", "Meet"]["kind"] == "stated" and edges["Alpha", "Meet"]["dashes"] is False
    assert edges["Deal", "Beta"]["width"] > edges["Alpha", "Meet"]["width"]
    legend = page.inner_text("#class-legend")
    for entry in ("leader", "country", "event", "arrangement (deal)", "concept"):
        assert entry in legend
    assert "signed or existing arrangement" in page.inner_text("#edge-legend")


def test_clicking_an_entity_shows_all_its_claims(page, tiny: Path) -> None:
    open_page(page, tiny)
    page.evaluate(f"network.focus({RES + 'Beta'!r}, {{scale: 1.5}})")
    x, y = page.evaluate(f"""() => {{
        const p = network.canvasToDOM(network.getPositions([{RES + 'Beta'!r}])[{RES + 'Beta'!r}]);
        const box = document.getElementById('network').getBoundingClientRect();
        return [box.left + p.x, box.top + p.y]; }}""")
    page.mouse.click(x, y)
    details = page.inner_text("#details")
    assert "Betaland" in details
    assert "population: ≲ 1.5 billion people — 2024 [T005]" in details
    assert "comes at: a sensitive moment [T004]" in details
    assert "“the meeting, analysts said, caused it all”" in details


def test_ego_view_centres_on_the_focus(page, ego: Path) -> None:
    open_page(page, ego)
    ids = node_ids(page)
    assert {S400, RES + "India", RES + "Indian_Air_Force"} <= ids  # FACTS C115, C133
    assert page.evaluate(f"network.body.data.nodes.get({S400!r}).borderWidth") == 4
    assert "The system has already been described" in page.inner_text("#details")  # the focus, in full
    assert "S-400: ego network, depth 1" in page.inner_text("h1")


def test_path_view_draws_the_chain(page, folder: Path) -> None:
    path = build(folder, "path.html", "--path", "Vladimir Putin", "President of Russia")
    open_page(page, path)
    assert node_ids(page) == {PUTIN, RES + "President_of_Russia"}
    assert [e["label"] for e in page.evaluate("network.body.data.edges.get()")] == ["holds position"]
    assert page.inner_text("#paths") == "Vladimir Putin —holds position→ President of Russia"


def test_query_view_draws_a_construct_result(page, folder: Path, kg: KnowledgeGraph) -> None:
    path = build(folder, "query.html", "--query", "network_edges")
    entities = {str(r["e"]) for r in kg.query("SELECT DISTINCT ?e WHERE { ?e skg:mentionedIn ?d }").bindings}
    open_page(page, path)
    ids = node_ids(page)
    assert ids and ids <= entities
    assert "Query view: network_edges" in page.inner_text("h1")


def test_a_large_view_keeps_the_most_central_and_says_so(page, folder: Path,
                                                         tmp_path_factory: pytest.TempPathFactory) -> None:
    # By hand (network_tiny.ttl): degree Gamma 3, Meet 3, Beta 2, Deal 2 … ties go by IRI, so Beta;
    # of the six relations only Gamma→Meet and Beta→Meet lie inside, so four are left out.
    path = build(folder, "capped.html", "--max-nodes", "3", home=tiny_home(tmp_path_factory.mktemp("capped")))
    open_page(page, path)
    assert node_ids(page) == {RES + "Gamma", RES + "Meet", RES + "Beta"}
    assert "Showing the 3 most central of 7 entities (by degree); 4 entities and 4 relations are left out." \
        in page.inner_text("#notes")


def test_notebook_view_renders_inside_an_iframe(page, tmp_path: Path) -> None:
    from summitkg.config import Settings
    from summitkg.kg import load
    from summitkg.network import entity_network
    from summitkg.visualize import NetworkView

    with load(Settings(home=tiny_home(tmp_path / "home"))) as tiny_kg:
        view = NetworkView(entity_network(tiny_kg), title="notebook")
    cell = view._repr_html_()
    assert cell.startswith("<iframe srcdoc=") and html.unescape(cell).count("<!DOCTYPE html>") == 1
    page.set_content(cell)
    frame = page.frames[1]
    frame.wait_for_selector("body[data-ready='true']", state="attached", timeout=60_000)
    assert frame.evaluate("network.body.data.nodes.length") == 7


# --- bad input ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    (("--classes", "TransportCorridor", "--source", "000"),
     "no entity of class TransportCorridor in document 000; no page was written"),
    (("--focus", "Vladimir Puttin"), "Did you mean: Vladimir Putin (res:Vladimir_Putin)"),
    (("--path", "Vladimir Putin", "Atlantis"), "no entity 'Atlantis'"),
    (("--classes", "Leeder"), "classes: unknown class 'Leeder'; did you mean Leader"),
    (("--query", "leaders"), "a query view draws a CONSTRUCT or DESCRIBE query; 'leaders' is a SELECT query"),
    (("--depth", "2"), "--depth goes with --focus ENTITY"),
    (("--focus", "India", "--path", "India", "Russia"), "choose one view: --focus or --path"),
])
def test_bad_input_writes_no_page(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    target = tmp_path / "out.html"
    done = run_cli("viz", "-o", str(target), *args)
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_empty_construct_result_writes_no_page(tmp_path: Path) -> None:
    query = tmp_path / "nothing.rq"
    query.write_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s <urn:summitkg:no-such-property> ?o }\n", encoding="utf-8")
    done = run_cli("viz", "-o", str(tmp_path / "out.html"), "--query", str(query))
    assert done.returncode != 0
    assert "returned no relations; no page was written" in done.stderr
    assert not (tmp_path / "out.html").exists()


@pytest.mark.parametrize("where", ["missing-folder/out.html", "."])
def test_unwritable_output_is_named(tmp_path: Path, where: str) -> None:
    target = tmp_path / where
    done = run_cli("viz", "-o", str(target))
    assert done.returncode != 0
    assert "output" in done.stderr and str(target) in done.stderr
    assert "Traceback" not in done.stderr
