"""Every output format is produced by a library serializer and parses back to the same answer."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Dataset, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.query import Result

from summitkg.errors import ConfigError
from summitkg.formats import RDF_FORMATS, serialize
from summitkg.namespaces import RES, SKG

SELECT = "SELECT ?doc ?key WHERE { ?doc skg:docKey ?key } ORDER BY ?key"
CONSTRUCT = "CONSTRUCT { ?doc skg:docKey ?key } WHERE { ?doc skg:docKey ?key }"
EXPECTED_ROWS = [(str(RES.Document_000), "000"), (str(RES.Document_004), "004")]


def _rows(result) -> list[tuple[str, str]]:
    return [(str(r["doc"]), str(r["key"])) for r in result]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_w3c_results_formats_parse_back(kg, fmt) -> None:
    data = serialize(kg.query(SELECT), fmt)
    assert _rows(Result.parse(io.BytesIO(data), format=fmt)) == EXPECTED_ROWS


def test_csv(kg) -> None:
    rows = list(csv.DictReader(io.StringIO(serialize(kg.query(SELECT), "csv").decode())))
    assert [(r["doc"], r["key"]) for r in rows] == EXPECTED_ROWS


def test_tsv_parses_with_rdflib(kg) -> None:
    data = serialize(kg.query(SELECT), "tsv")
    assert _rows(Result.parse(io.BytesIO(data), format="tsv")) == EXPECTED_ROWS


def test_ask_formats(kg) -> None:
    result = kg.query("ASK { res:Document_000 skg:docKey '000' }")
    assert json.loads(serialize(result, "json"))["boolean"] is True
    assert Result.parse(io.BytesIO(serialize(result, "xml")), format="xml").askAnswer is True
    assert serialize(result, "tsv").strip() == b"true"


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_graph_formats_parse_back_isomorphic(kg, fmt) -> None:
    result = kg.query(CONSTRUCT)
    data = serialize(result, fmt)
    expected = Graph()
    expected.add((RES.Document_000, SKG.docKey, Literal("000")))
    expected.add((RES.Document_004, SKG.docKey, Literal("004")))
    parse_as = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld", "xml": "xml"}[fmt]
    if fmt in ("nq", "trig"):
        parsed = Dataset()
        parsed.parse(data=data, format=parse_as)
        back = Graph()
        for s, p, o, _ in parsed.quads((None, None, None, None)):
            back.add((s, p, o))
    else:
        back = Graph().parse(data=data, format=parse_as)
    assert isomorphic(back, expected)


def test_jsonld_is_compacted_with_prefixes(kg) -> None:
    doc = json.loads(serialize(kg.query(CONSTRUCT), "jsonld"))
    assert "@context" in doc
    assert "skg:docKey" in json.dumps(doc)


def test_wrong_format_for_result_kind(kg) -> None:
    with pytest.raises(ConfigError, match="--format"):
        serialize(kg.query(SELECT), "ttl")
    with pytest.raises(ConfigError, match="--format"):
        serialize(kg.query(CONSTRUCT), "csv")
