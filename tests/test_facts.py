"""Every entity and claim of the FACTS checklist is in the graph, with its quotes, modality and values.

Expected values come from the checklist (tests/data/FACTS.md, hand-written from the two
documents) or are typed here from the documents; none is read back from the graph.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import OWL, XSD

from facts_checklist import claim_rows, entity_rows, verified_wikidata
from summitkg.namespaces import CMP, MEASURE, MOD, PERIOD, REF, RES, SKG, ST, STATUS, UNIT, WD

DOCS = {"000": RES.Document_000, "004": RES.Document_004}
ENTITIES = entity_rows()
CLAIMS = claim_rows()


def test_checklist_is_complete() -> None:
    # The checklist's own size, counted by hand: 151 claims C001–C151 and 21 verified Wikidata ids.
    assert [c.id for c in CLAIMS] == [f"C{i:03d}" for i in range(1, 152)]
    assert len(verified_wikidata()) == 21


@pytest.mark.parametrize("row", ENTITIES, ids=lambda r: r.id)
def test_entity_present_with_preferred_label(dataset, row) -> None:
    entity = RES[row.id]
    labels = {str(label) for label in dataset.objects(entity, RDFS.label)}
    assert labels, f"res:{row.id} has no rdfs:label (FACTS §{row.section})"
    preferred = {r.label for r in ENTITIES if r.id == row.id}
    assert labels & preferred, f"res:{row.id} label {labels} is not the FACTS label {preferred}"
    assert any(str(t).startswith(str(SKG._NS)) for t in dataset.objects(entity, RDF.type)), f"res:{row.id} has no skg: class"


@pytest.mark.parametrize("row", CLAIMS, ids=lambda r: r.id)
def test_claim_present_with_exact_quotes(dataset, row) -> None:
    claim = ST[row.id]
    assert (claim, SKG.claimId, Literal(row.id)) in dataset, f"st:{row.id} is missing"
    references = {
        (str(dataset.value(ref, SKG.source)), str(dataset.value(ref, SKG.quote)))
        for ref in dataset.objects(claim, SKG.reference)
    }
    expected = {(str(DOCS[doc]), quote) for doc, quote in row.quotes}
    assert references == expected


@pytest.mark.parametrize("row", CLAIMS, ids=lambda r: r.id)
def test_claim_modality_matches_checklist(dataset, row) -> None:
    main = re.match(r"[a-z\-]+", row.modality)[0]
    assert dataset.value(ST[row.id], SKG.modality) == MOD[main]
    if "+" in row.modality.split()[0]:
        second = row.modality.split()[0].split("+")[1]
        assert MOD[second] in set(dataset.objects(ST[row.id], SKG.alsoModality))


def test_wikidata_links_only_where_verified(dataset) -> None:
    verified = {RES[local]: WD[qid] for local, qid in verified_wikidata().items()}
    links = {(s, o) for s, o in dataset.subject_objects(OWL.sameAs) if str(s).startswith(str(RES))}
    for subject, target in links:
        assert verified.get(subject) == target, f"{subject} owl:sameAs {target} is not a verified id"
    linked = {s for s, _ in links}
    # Russo_Ukrainian_War may be left unlinked: FACTS links it only if the graph means the broad war.
    missing = set(verified) - linked - {RES.Russo_Ukrainian_War}
    assert not missing, f"verified Wikidata ids not linked: {sorted(missing)}"


# Observations typed from the documents (FACTS §2.10): claim, observation, measure, value
# (or min, max), comparator, unit, period, documents.
OBSERVATIONS = [
    ("C003", "O01", "visit-duration", Decimal("2"), "exact", "day", None, {"000", "004"}),
    ("C008", "O02", "summit-ordinal", Decimal("23"), "exact", "ordinal", None, {"004"}),
    ("C061", "O03", "population", Decimal("1.5"), "nearly", "billion-people", "visit-time", {"000"}),
    ("C062", "O04", "economic-growth-rate", Decimal("8"), "above", "percent", "visit-time", {"000"}),
    ("C093", "O05", "share-of-oil-imports-from-russia", Decimal("2.5"), "exact", "percent", "before-full-scale-invasion", {"000"}),
    ("C096", "O06", "share-of-oil-imports-from-russia", Decimal("35"), "exact", "percent", "after-full-scale-invasion", {"000"}),
    ("C100", "O07", "tariff-rate", Decimal("25"), "exact", "percent", "october-year-unstated", {"000"}),
    ("C066", "O08", "bilateral-trade-volume", Decimal("8.1"), "exact", "USD-billion", "2020", {"000"}),
    ("C067", "O09", "bilateral-trade-volume", Decimal("68.7"), "exact", "USD-billion", "2025", {"000"}),
    ("C068", "O10", "bilateral-trade-volume", Decimal("63.6"), "approximately", "USD-billion", "2024", {"004"}),
    ("C112", "O11", "dependence-on-russian-weaponry", Decimal("72"), "exact", "percent", "2010-2015", {"000"}),
    ("C113", "O12", "dependence-on-russian-weaponry", Decimal("36"), "exact", "percent", "2020-2024", {"000"}),
    ("C130", "O13", "additional-regiments", (Decimal("2"), Decimal("3")), "range", "regiment", None, {"004"}),
    ("C131", "O14", "technology-transfer-share", Decimal("50"), "up-to", "percent", None, {"004"}),
]


@pytest.mark.parametrize("claim, obs, measure, value, comparator, unit, period, docs", OBSERVATIONS,
                         ids=[o[1] for o in OBSERVATIONS])
def test_observation(dataset, claim, obs, measure, value, comparator, unit, period, docs) -> None:
    node = ST[claim]
    assert (node, RDF.type, SKG.Observation) in dataset
    assert (node, SKG.observationId, Literal(obs)) in dataset
    assert dataset.value(node, SKG.measure) == MEASURE[measure]
    if isinstance(value, tuple):
        low, high = dataset.value(node, SKG.minValue), dataset.value(node, SKG.maxValue)
        assert low.datatype == high.datatype == XSD.decimal
        assert (low.toPython(), high.toPython()) == value
    else:
        literal = dataset.value(node, SKG.value)
        assert literal.datatype == XSD.decimal and literal.toPython() == value
    assert dataset.value(node, SKG.comparator) == CMP[comparator]
    assert dataset.value(node, SKG.unit) == UNIT[unit]
    if period is not None:
        assert dataset.value(node, SKG.period) == PERIOD[period]
    sources = {str(dataset.value(ref, SKG.source)) for ref in dataset.objects(node, SKG.reference)}
    assert sources == {str(DOCS[d]) for d in docs}
    entity = dataset.value(node, SKG.observedEntity)
    assert (entity, SKG.hasObservation, node) in dataset


# Agreement status of every FACTS §1.8 arrangement, typed from its Status column.
STATUSES = {
    "Expected_Summit_Agreements": "anticipated",
    "NonTraditional_Sector_Agreements_and_MoUs": "anticipated",
    "Defence_Procurement_Agreements": "on-agenda",
    "Key_Sector_Agreements": "on-agenda",
    "S400_Additional_Regiments_Contract": "reportedly-on-the-table",
    "S400_Technology_Transfer_Offer": "offered",
    "Maintenance_Contracts": "on-agenda",
    "Su57_Acquisition": "on-agenda",
    "India_New_Arms_Purchases": "under-consideration",
    "Rupee_Rouble_Payment_Mechanism": "on-agenda",
    "Shipping_Connectivity_Deal": "anticipated",
    "Fertiliser_Supply_Deals": "anticipated",
    "SMR_Cooperation": "anticipated",
    "Space_Technology_Transfer": "anticipated",
    "Mobility_Partnership": "anticipated",
    "People_to_People_Cooperation": "anticipated",
    "Cultural_Scientific_Collaboration": "anticipated",
    "Delivery_Commitments": "sought",
    "Existing_Defence_Orders": "existing",
}


@pytest.mark.parametrize("local, status", STATUSES.items())
def test_agreement_status(dataset, local, status) -> None:
    assert dataset.value(RES[local], SKG.agreementStatus) == STATUS[status]


def test_nothing_is_signed(dataset) -> None:
    # Neither document states any agreement, MoU, contract or mechanism as signed (FACTS §0, §5).
    assert list(dataset.subjects(SKG.agreementStatus, STATUS.signed)) == []


def test_trade_figures_keep_their_own_sources(kg) -> None:
    rows = kg.query("""
        SELECT ?year ?value ?doc ?quote WHERE {
          res:India_Russia_Bilateral_Trade skg:hasObservation ?o .
          ?o skg:measure measure:bilateral-trade-volume ; skg:value ?value ; skg:period/skg:startYear ?year ;
             skg:reference [ skg:source/skg:docKey ?doc ; skg:quote ?quote ] .
        } ORDER BY ?year""")
    assert [(str(r["year"]), r["value"].toPython(), str(r["doc"]), str(r["quote"])) for r in rows] == [
        ("2020", Decimal("8.1"), "000", "from $8.1 billion in 2020"),
        ("2024", Decimal("63.6"), "004", "reaching approximately $63.6 billion in 2024"),
        ("2025", Decimal("68.7"), "000", "to $68.7 billion in 2025"),
    ]


def test_documents_are_resources_with_their_text_shipped(dataset, settings) -> None:
    import hashlib

    # sha256 values are those FACTS.md records for the two documents.
    expected = {
        "000": ("000_f6f3d427b62fef73.txt", "b648f23897ee27b0603128c3f1ec42178c728c4f86c3dc7c5ff630739d0a8f72"),
        "004": ("004_8d5b412fad35b7b5.txt", "b288202f282f262116540517fac2d8af6c55797c530b94ffbf6f86bdcb6735b2"),
    }
    for key, (name, digest) in expected.items():
        doc = DOCS[key]
        assert (doc, RDF.type, SKG.Document) in dataset
        assert str(dataset.value(doc, SKG.fileName)) == name
        assert hashlib.sha256((settings.sources_dir / name).read_bytes()).hexdigest() == digest
    assert str(dataset.value(DOCS["004"], URIRef("http://purl.org/dc/terms/title"))) == (
        "Putin’s India Visit: Diplomacy, Defense Deals, and a Clear Message to the West")
    # Document 000 has no headline in its text, so none is recorded.
    assert dataset.value(DOCS["000"], URIRef("http://purl.org/dc/terms/title")) is None


def test_every_reference_iri_is_named_after_its_claim(dataset) -> None:
    for claim, ref in dataset.subject_objects(SKG.reference):
        local = str(claim).rsplit("/", 1)[-1]
        assert str(ref).startswith(str(REF) + local + "-"), f"{ref} does not belong to {claim}"
