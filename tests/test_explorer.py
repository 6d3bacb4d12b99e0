"""The web explorer in a real headless Chromium, against the real `summitkg serve` process.

YASGUI runs a named query and shows its rows; entity pages show their quotes and ego network;
the source documents highlight every quote; and no page ever requests another host.
Expected values come from the source documents (FACTS.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from serving import summitkg_server

#: FACTS.md C133 (004): the Indian Air Force's words about the S-400.
S400_QUOTE = "The system has already been described as a “game-changer” by the Indian Air Force."
#: FACTS.md C001 (000).
C001_QUOTE = "Russian President Vladimir Putin has begun a two-day visit to India"


@pytest.fixture(scope="module")
def explorer() -> Iterator[str]:
    with summitkg_server("--no-validate", "--workers", "2") as served:
        yield served.url


def only_this_host(page, base: str) -> list[str]:
    """Every URL the page requested that is not on our server (data: URLs are not requests)."""
    return [u for u in page.requested_urls if not u.startswith(base + "/") and not u.startswith(("data:", "blob:", "about:"))]


def test_a_named_query_runs_in_yasgui(page, explorer: str) -> None:
    page.goto(explorer + "/")
    page.get_by_role("button", name=re.compile("trade_by_year")).click()
    table = page.locator(".yasr table.dataTable")
    table.wait_for(timeout=30_000)
    rows = table.locator("tbody tr")
    rows.first.wait_for()
    text = table.inner_text()
    for year, value in (("2020", "8.1"), ("2024", "63.6"), ("2025", "68.7")):
        assert year in text and value in text
    assert rows.count() == 3
    assert only_this_host(page, explorer) == []


def test_a_construct_result_is_drawn_as_a_network(page, explorer: str) -> None:
    query = ("PREFIX res: <https://w3id.org/summitkg/resource/>\n"
             "CONSTRUCT { res:Vladimir_Putin ?p ?o } WHERE { res:Vladimir_Putin ?p ?o FILTER(isIRI(?o)) }")
    page.goto(explorer + "/?" + httpx.QueryParams({"query": query}).__str__())
    frame = page.frame_locator("iframe.network-frame")
    frame.locator("canvas").first.wait_for(timeout=30_000)
    counts = re.search(r"(\d+) entities · (\d+) relations", frame.locator("body").inner_text())
    assert counts and int(counts[1]) >= 3 and int(counts[2]) >= 2  # Putin, his office, the visit …
    assert only_this_host(page, explorer) == []


def test_the_entity_page_shows_the_quote_and_the_ego_network(page, explorer: str) -> None:
    page.goto(explorer + "/resource/S-400")
    assert page.locator("h1").inner_text() == "S-400"
    quote = page.locator("blockquote.quote", has_text=S400_QUOTE)
    assert quote.count() >= 1
    assert "document 004" in quote.first.inner_text()
    page.frame_locator("iframe.ego").locator("canvas").first.wait_for(timeout=30_000)
    assert only_this_host(page, explorer) == []


def test_the_quote_links_to_its_place_in_the_source(page, explorer: str) -> None:
    page.goto(explorer + "/resource/statement/C001")
    page.get_by_role("link", name="document 000").first.click()
    page.wait_for_url(re.compile(r"/documents/000#ref-C001-000$"))
    marked = page.locator("mark.q", has_text="Russian President Vladimir")
    assert marked.count() >= 1
    marked.first.click()
    popover = page.locator(".popover")
    popover.wait_for()
    assert "C001" in popover.inner_text()
    assert only_this_host(page, explorer) == []


def test_every_quote_of_a_document_is_highlighted(explorer: str) -> None:
    text = httpx.get(explorer + "/documents/000", headers={"Accept": "text/html"}).text
    highlighted = re.sub(r"<[^>]+>", "", "".join(re.findall(r"<mark[^>]*>.*?</mark>", text, flags=re.S)))
    assert "Russian President Vladimir" in highlighted
    counts = re.search(r"(\d+) of (\d+) quotes highlighted", text)
    assert counts and counts[1] == counts[2]


@pytest.mark.parametrize("path", ["/", "/classes", "/classes/Leader", "/search?q=Modi", "/ontology", "/documents",
                                  "/documents/004", "/resource/Vladimir_Putin", "/vocab/modality/stated"])
def test_pages_load_nothing_from_elsewhere(page, explorer: str, path: str) -> None:
    response = page.goto(explorer + path)
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    assert only_this_host(page, explorer) == []


def test_a_query_in_the_address_cannot_inject_markup(explorer: str) -> None:
    hostile = "</script><script>alert(1)</script><!--"
    page = httpx.get(explorer + "/", params={"query": hostile}).text
    assert "<script>alert(1)" not in page
    found = httpx.get(explorer + "/search", params={"q": "<img src=x onerror=alert(1)>"}).text
    assert "<img src=x" not in found


def test_search_finds_labels_and_aliases(explorer: str) -> None:
    by_label = httpx.get(explorer + "/search", params={"q": "narendra modi"}).text
    assert "/resource/Narendra_Modi" in by_label
    by_alias = httpx.get(explorer + "/search", params={"q": "President Putin"}).text  # a skos:altLabel
    assert "/resource/Vladimir_Putin" in by_alias


def test_browse_by_class_counts_the_leaders(explorer: str) -> None:
    classes = httpx.get(explorer + "/classes").text
    assert re.search(r'href="/classes/Leader".*?<span class="count">4</span>', classes, flags=re.S)
    leaders = httpx.get(explorer + "/classes/Leader").text
    for name in ("Vladimir_Putin", "Narendra_Modi", "Donald_Trump", "Xi_Jinping"):  # FACTS §1 leaders
        assert f"/resource/{name}" in leaders


def test_the_ontology_documents_its_terms(explorer: str) -> None:
    page = httpx.get(explorer + "/ontology").text
    assert 'id="Statement"' in page and 'id="holdsPosition"' in page
    turtle = httpx.get(explorer + "/ontology", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert "skg:Statement" in turtle.text
