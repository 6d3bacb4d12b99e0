"""`summitkg export`: every format read back by an independent parser (rdflib, pyld, networkx, csv)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from rdflib import RDF, Dataset, Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, OWL, VOID

from summitkg.export import (
    EXPORT_FORMATS,
    dataset_of,
    load_context,
    named_graphs,
    network_bytes,
    rdf_bytes,
)

SKG = Namespace("https://w3id.org/summitkg/ontology#")
RES = Namespace("https://w3id.org/summitkg/resource/")
GRAPH = Namespace("https://w3id.org/summitkg/graph/")
RDF_PARSERS = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld", "xml": "xml"}
# FACTS.md C001, both references, byte for byte.
C001_QUOTES = {
    "ref:C001-000": ("res:Document_000", "Russian President Vladimir Putin has begun a two-day visit to India"),
    "ref:C001-004": ("res:Document_004", "Russian President Vladimir Putin is on a two-day state visit to India"),
}


@pytest.fixture(scope="module")
def loaded(kg) -> Dataset:
    return dataset_of(kg)


@pytest.fixture(scope="module")
def context(settings) -> dict:
    return load_context(settings)


def _graph_names(kg) -> set[URIRef]:
    return {source.graph for source in kg.sources}


def _union(dataset: Dataset) -> Graph:
    out = Graph()
    for graph in named_graphs(dataset):
        out += graph
    return out


@pytest.mark.parametrize("name", ["nq", "trig", "jsonld"])
def test_quad_formats_parse_back_isomorphic_graph_by_graph(name, kg, loaded, context) -> None:
    data = rdf_bytes(loaded, EXPORT_FORMATS[name], context=context)
    back = Dataset()
    back.parse(data=data, format=RDF_PARSERS[name])
    assert {g.identifier for g in named_graphs(back)} == _graph_names(kg)
    assert len(back.default_graph) == 0
    for graph in named_graphs(loaded):
        assert isomorphic(back.graph(graph.identifier), graph), graph.identifier


@pytest.mark.parametrize("name", ["ttl", "nt", "xml"])
def test_triple_formats_parse_back_isomorphic_to_the_union(name, loaded) -> None:
    data = rdf_bytes(loaded, EXPORT_FORMATS[name])
    back = Graph().parse(data=data, format=RDF_PARSERS[name])
    assert isomorphic(back, _union(loaded))


def test_jsonld_expands_with_pyld_to_the_same_quads(kg, loaded, context) -> None:
    from pyld import jsonld

    document = json.loads(rdf_bytes(loaded, EXPORT_FORMATS["jsonld"], context=context))
    nquads = jsonld.to_rdf(jsonld.expand(document), {"format": "application/n-quads"})
    back = Dataset()
    back.parse(data=nquads, format="nquads")
    assert {g.identifier for g in named_graphs(back)} == _graph_names(kg)
    for graph in named_graphs(loaded):
        assert isomorphic(back.graph(graph.identifier), graph), graph.identifier


def test_jsonld_keys_read_as_words(loaded, context) -> None:
    document = json.loads(rdf_bytes(loaded, EXPORT_FORMATS["jsonld"], context=context))
    nodes: dict[str, dict] = {}  # a node's keys from every named graph it appears in
    for graph in document["@graph"]:
        assert graph["id"].startswith("graph:")
        for node in graph["@graph"]:
            nodes.setdefault(node["id"], {}).update(node)
    for ref, (source, quote) in C001_QUOTES.items():
        assert nodes[ref]["source"] == source
        assert nodes[ref]["quote"] == quote
        assert nodes[ref]["type"] == "Reference"
    assert nodes["res:Vladimir_Putin"]["label"] == "Vladimir Putin"
    assert nodes["res:Vladimir_Putin"]["holdsPosition"] == "res:President_of_Russia"


def test_shipped_context_is_a_valid_versioned_jsonld_11_context(settings) -> None:
    """pyld loads ontology/context.jsonld as a remote context; its version is the ontology's."""
    from pyld import jsonld

    path = settings.ontology_dir / "context.jsonld"
    context_url = "https://w3id.org/summitkg/context.jsonld"

    def loader(url: str, options: dict) -> dict:
        assert url == context_url
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": json.loads(path.read_text(encoding="utf-8"))}

    data = {"@context": context_url, "id": "ref:C001-000", "type": "Reference",
            "source": "res:Document_000", "quote": C001_QUOTES["ref:C001-000"][1]}
    expanded = jsonld.expand(data, {"documentLoader": loader, "processingMode": "json-ld-1.1"})
    assert expanded == [{
        "@id": str(URIRef("https://w3id.org/summitkg/resource/reference/C001-000")),
        "@type": [str(SKG.Reference)],
        str(SKG.source): [{"@id": str(RES.Document_000)}],
        str(SKG.quote): [{"@value": C001_QUOTES["ref:C001-000"][1]}],
    }]
    described = Graph().parse(path, format="json-ld")
    ontology = Graph().parse(ROOT / "ontology" / "summitkg.ttl")
    version = ontology.value(URIRef("https://w3id.org/summitkg/ontology"), OWL.versionInfo)
    assert described.value(URIRef("https://w3id.org/summitkg/context"), OWL.versionInfo) == version


def test_context_terms_name_declared_properties(settings) -> None:
    """A term for a summitkg property must name one the ontology declares (no typos)."""
    context = load_context(settings)
    ontology = Graph().parse(ROOT / "ontology" / "summitkg.ttl")
    declared = {p for kind in (OWL.ObjectProperty, OWL.DatatypeProperty) for p in ontology.subjects(RDF.type, kind)}
    for term, definition in context.items():
        if isinstance(definition, dict) and definition["@id"].startswith("skg:"):
            assert SKG[definition["@id"][4:]] in declared, term


def test_ontology_only_rdfxml_for_protege(loaded) -> None:
    data = rdf_bytes(loaded, EXPORT_FORMATS["xml"], ontology_only=True)
    back = Graph().parse(data=data, format="xml")
    assert isomorphic(back, Graph().parse(ROOT / "ontology" / "summitkg.ttl"))
    assert (URIRef("https://w3id.org/summitkg/ontology"), RDF.type, OWL.Ontology) in back


def test_ontology_only_trig_keeps_its_graph_name(loaded) -> None:
    back = Dataset()
    back.parse(data=rdf_bytes(loaded, EXPORT_FORMATS["trig"], ontology_only=True), format="trig")
    assert [g.identifier for g in named_graphs(back)] == [GRAPH.ontology]
    assert isomorphic(back.graph(GRAPH.ontology), Graph().parse(ROOT / "ontology" / "summitkg.ttl"))


def test_cli_export_guesses_format_and_ships_void(tmp_path: Path, kg) -> None:
    target = tmp_path / "dist" / "summitkg.nq"
    done = run_cli("export", "-o", str(target), "--sparql-endpoint", "http://127.0.0.1:7878/query")
    assert done.returncode == 0, done.stderr
    back = Dataset()
    back.parse(target, format="nquads")
    assert {g.identifier for g in named_graphs(back)} == _graph_names(kg)

    void_file = tmp_path / "dist" / "summitkg.nq.void.ttl"
    void = Graph().parse(void_file, format="turtle")
    dataset = URIRef("https://w3id.org/summitkg/dataset")
    assert (dataset, RDF.type, VOID.Dataset) in void and (dataset, RDF.type, DCAT.Dataset) in void
    assert void.value(dataset, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert void.value(dataset, VOID.sparqlEndpoint) == URIRef("http://127.0.0.1:7878/query")
    assert void.value(dataset, VOID.dataDump) == URIRef(target.as_uri())  # relative to the description
    assert int(void.value(dataset, VOID.triples)) == len(_union(back))
    assert set(void.objects(dataset, DCTERMS.source)) == {RES.Document_000, RES.Document_004}
    sources = Graph().parse(ROOT / "graph" / "sources.ttl")
    assert int(void.value(GRAPH.sources, VOID.triples)) == len(sources)
    partitions = {void.value(p, VOID["class"]): int(void.value(p, VOID.entities))
                  for p in void.objects(dataset, VOID.classPartition)}
    assert partitions[SKG.Leader] == 4  # FACTS.md §1: Putin, Modi, Trump, Xi
    assert partitions[SKG.Document] == 2
    uses = {void.value(p, VOID.property): int(void.value(p, VOID.triples))
            for p in void.objects(dataset, VOID.propertyPartition)}
    assert uses[SKG.docKey] == 2
    distribution = void.value(dataset, DCAT.distribution, any=True)
    media = {void.value(d, DCAT.mediaType) for d in void.objects(dataset, DCAT.distribution)}
    assert distribution is not None
    assert URIRef("https://www.iana.org/assignments/media-types/application/n-quads") in media


def test_cli_export_to_stdout_and_void_only() -> None:
    done = run_cli("export", "--format", "ttl")
    assert done.returncode == 0, done.stderr
    exported = Graph().parse(data=done.stdout, format="turtle")
    assert (RES.Vladimir_Putin, SKG.holdsPosition, RES.President_of_Russia) in exported
    void = run_cli("export", "--void-only", "--publish-url", "https://example.org/dumps/")
    assert void.returncode == 0, void.stderr
    description = Graph().parse(data=void.stdout, format="turtle")
    assert description.value(URIRef("https://w3id.org/summitkg/dataset"), VOID.triples) is not None


@pytest.mark.parametrize("args, option", [
    (("-o", "graph.unknown"), "--format"),
    (("--format", "pdf"), "--format"),
    (("--format", "ttl", "--ontology-only", "--void-only"), "--ontology-only"),
    (("--format", "gexf", "--ontology-only"), "--format"),
])
def test_cli_export_mistakes_name_the_option(args, option, tmp_path: Path) -> None:
    done = run_cli("export", *args)
    assert done.returncode == 2
    assert option in done.stderr and "Traceback" not in done.stderr
    assert not (ROOT / "graph.unknown").exists()


# -- the entity network: GraphML, GEXF, CSV ----------------------------------------------------------

@pytest.fixture(scope="module")
def network(kg):
    from summitkg.network import entity_network

    return entity_network(kg)


def _check_network(back, network) -> None:
    assert back.number_of_nodes() == network.number_of_nodes()
    assert back.number_of_edges() == network.number_of_edges()
    putin = back.nodes[str(RES.Vladimir_Putin)]
    assert putin["label"] == "Vladimir Putin" and putin["class_label"] == "leader"
    edges = [data for u, v, data in back.edges(data=True)
             if (u, v) == (str(RES.Vladimir_Putin), str(RES.President_of_Russia))]
    assert [e["property_label"] for e in edges] == ["holds position"]  # FACTS.md C001
    assert edges[0]["label"] == "holds position" and "status" in edges[0]
    for node, data in back.nodes(data=True):
        assert data["class_label"] == network.nodes[node]["class_label"]
    statuses = sorted(data["status"] for _, _, data in back.edges(data=True))
    assert statuses == sorted(data["status"] for _, _, data in network.edges(data=True))


def test_graphml_reads_back_with_networkx(network) -> None:
    import networkx as nx

    back = nx.read_graphml(io.BytesIO(network_bytes(network, EXPORT_FORMATS["graphml"])))
    _check_network(back, network)


def test_gexf_reads_back_with_networkx(network) -> None:
    import networkx as nx

    back = nx.read_gexf(io.BytesIO(network_bytes(network, EXPORT_FORMATS["gexf"])))
    _check_network(back, network)


def test_csv_one_edge_per_row(network, tmp_path: Path) -> None:
    target = tmp_path / "edges.csv"
    done = run_cli("export", "-o", str(target))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == network.number_of_edges()
    assert list(rows[0]) == ["source", "source_label", "property", "property_label", "target", "target_label",
                             "status", "document"]
    putin = [r for r in rows if r["source"] == "res:Vladimir_Putin" and r["property"] == "skg:holdsPosition"]
    assert putin == [{"source": "res:Vladimir_Putin", "source_label": "Vladimir Putin", "property": "skg:holdsPosition",
                      "property_label": "holds position", "target": "res:President_of_Russia",
                      "target_label": "President of Russia", "status": "", "document": "000 004"}]
    assert (tmp_path / "edges.csv.void.ttl").is_file()


def test_cli_network_export_from_the_embedded_oxigraph_store(tmp_path: Path, network) -> None:
    import networkx as nx

    target = tmp_path / "summitkg.gexf"
    done = run_cli("export", "-o", str(target), "--store", "oxigraph", "--no-void")
    assert done.returncode == 0, done.stderr
    _check_network(nx.read_gexf(target), network)
    assert not (tmp_path / "summitkg.gexf.void.ttl").exists()


def test_cli_rdf_export_from_the_embedded_oxigraph_store(tmp_path: Path, loaded) -> None:
    """Read out of another store, every named graph keeps its size (Oxigraph writes 23.0 as 23, the same value)."""
    target = tmp_path / "summitkg.trig"
    done = run_cli("export", "-o", str(target), "--store", "oxigraph")
    assert done.returncode == 0, done.stderr
    back = Dataset()
    back.parse(target, format="trig")
    assert {g.identifier: len(g) for g in named_graphs(back)} == {g.identifier: len(g) for g in named_graphs(loaded)}
