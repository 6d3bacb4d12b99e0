"""A large graph is served at once; its network views are built in the background and then shared.

`serve --network-prebuild 0` treats the summit graph as large, so the background path runs
here on real processes: the endpoint answers first, GET /status says when the views are ready,
and then the ego network of the S-400 (FACTS.md §2.6) is drawn by a worker forked after the build.
Inside a worker, before the build, an entity page says the view is pending and /network gets 503.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from serving import summitkg_server, wait_until

from summitkg.kg import KnowledgeGraph
from summitkg.server import STATUS
from summitkg.server.engine import State
from summitkg.server.errors import NotReady
from summitkg.server.guard import Policy
from summitkg.server.pagedata import build_network, ego_page, resource, warm

S400 = "https://w3id.org/summitkg/resource/S-400"


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    with summitkg_server("--no-validate", "--network-prebuild", "0", "--workers", "2") as server:
        yield server.url


def test_the_endpoint_answers_while_the_network_views_are_built(served: str) -> None:
    with httpx.Client(base_url=served, timeout=60) as client:
        first = client.get("/status").json()
        assert first["network"] in ("building", "ready")
        assert first["quads"] > 4000  # the summit graph: 4,160 quads with the ontology
        answer = client.get("/sparql", params={"query": "ASK { res:S-400 a ?class }"},
                            headers={"Accept": "application/sparql-results+json"})
        assert answer.status_code == 200 and answer.json()["boolean"] is True

        assert wait_until(lambda: client.get("/status").json()["network"] == "ready", timeout=60)
        status = client.get("/status").json()
        assert status["generation"] >= 1  # the build was handed to every worker through a new zygote

        ego = client.get("/network", params={"entity": S400, "depth": "1"})
        assert ego.status_code == 200
        assert "additional S-400 regiments" in ego.text  # FACTS.md: the contract that concerns it
        page = client.get("/resource/S-400", headers={"Accept": "text/html"})
        assert page.status_code == 200 and 'class="ego"' in page.text


def test_before_the_build_a_page_says_so_and_the_network_answers_503(kg: KnowledgeGraph) -> None:
    state = State(kg, Policy(graphs=frozenset()), 100, network_prebuild_quads=0, quads=len(kg))
    warm(state)
    assert resource(state, S400)["in_network"] is None
    with pytest.raises(NotReady) as pending:
        ego_page(state, S400, 1)
    assert "still being built" in str(pending.value) and STATUS[NotReady] == 503

    assert build_network(state) > 0
    assert resource(state, S400)["in_network"] is True
    assert "S-400" in ego_page(state, S400, 1)
