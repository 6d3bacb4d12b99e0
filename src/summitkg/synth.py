"""Deterministic scale data in summitkg's ontology, with the shape of the real graph.

The output is the real summit graph plus synthetic "clusters": one state visit between two
countries in a year, with its summit, leaders, documents, agreements with statuses, weapon
systems, a corridor, trade observations, and claims with modalities, periods, references and
verbatim quotes. A few claims per cluster touch the real graph's hub entities (India, Russia,
the S-400, the INSTC, bilateral trade, strategic autonomy), so every named query has rows at
any size. The same seed and size always give the same bytes.

Quotes are written into the documents' text files (``sources/`` beside the output), so
``summitkg validate`` checks them as it does the real ones.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .config import Settings
from .loading import discover

__all__ = ["SynthSpec", "synthesize", "TRIPLES_PER_CLUSTER"]

SKG = "https://w3id.org/summitkg/ontology#"
RES = "https://w3id.org/summitkg/resource/"
VOCAB = "https://w3id.org/summitkg/vocab/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
GYEAR = ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")
#: Roughly how many triples one cluster adds; used to turn --triples into a cluster count.
TRIPLES_PER_CLUSTER = 240

_STATUSES = ("anticipated", "on-agenda", "reportedly-on-the-table", "under-consideration", "offered", "sought",
             "existing")
_ARRANGEMENT_CLASSES = ("Agreement", "MemorandumOfUnderstanding", "Contract", "Offer", "Procurement",
                        "PaymentMechanism", "SupplyDeal", "TechnologyTransfer", "CooperationArea")
_SECTORS = ("Trade", "Energy", "Defence", "Shipping", "Healthcare", "Nuclear_Energy", "Space", "Fertilisers",
            "Pharmaceuticals", "Automobiles", "Agricultural_Products", "Engineering_Goods", "Electronics")
_HUB_SYSTEMS = ("S-400", "S-500", "Su-57", "Su-30")


def n(local: str) -> ox.NamedNode:
    return ox.NamedNode(RES + local)


def p(local: str) -> ox.NamedNode:
    return ox.NamedNode(SKG + local)


def v(scheme: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(f"{VOCAB}{scheme}/{local}")


def en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def dec(value: float) -> ox.Literal:
    return ox.Literal(f"{value:.1f}", datatype=DECIMAL)


@dataclass(frozen=True)
class SynthSpec:
    triples: int
    seed: int = 42

    def clusters(self, seed_triples: int) -> int:
        """Clusters needed on top of the real graph's ``seed_triples`` to reach about ``triples``."""
        return max(1, (self.triples - seed_triples) // TRIPLES_PER_CLUSTER)


class _Cluster:
    """Writes one cluster's triples and collects the sentences its documents must contain."""

    def __init__(self, index: int, rng: random.Random, emit: Callable[[ox.Triple], None]) -> None:
        self.i, self.rng, self.emit = index, rng, emit
        self.doc_keys = (f"S{index:07d}a", f"S{index:07d}b")
        self.docs = [n(f"synth/Document_{k}") for k in self.doc_keys]
        self.sentences: dict[int, list[str]] = {0: [], 1: []}
        self.claims = 0

    def t(self, s: ox.NamedNode, pred: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        self.emit(ox.Triple(s, pred, o))

    def entity(self, local: str, cls: str, label: str) -> ox.NamedNode:
        node = n(local)
        self.t(node, RDF_TYPE, p(cls))
        self.t(node, LABEL, en(label))
        self.t(node, p("mentionedIn"), self.docs[self.rng.randrange(2)])
        return node

    def _claim(self, node: ox.NamedNode, modality: str, sentence: str, both: bool) -> None:
        self.t(node, p("claimId"), ox.Literal(f"C{self.rng.randrange(1000):03d}"))
        self.t(node, p("modality"), v("modality", modality))
        for d in ((0, 1) if both else (self.rng.randrange(2),)):
            ref = n(f"synth/reference/{self.i}-{self.claims}-{d}")
            self.t(node, p("reference"), ref)
            self.t(ref, RDF_TYPE, p("Reference"))
            self.t(ref, p("source"), self.docs[d])
            self.t(ref, p("quote"), ox.Literal(sentence))
            self.sentences[d].append(sentence)

    def statement(self, s: ox.NamedNode, pred: str, o: ox.NamedNode | ox.Literal, modality: str, sentence: str,
                  *, period: str | None = None) -> None:
        self.claims += 1
        node = n(f"synth/statement/{self.i}-{self.claims}")
        self.t(s, p(pred), o)
        self.t(node, RDF_TYPE, p("Statement"))
        self.t(node, ox.NamedNode(RDF + "subject"), s)
        self.t(node, ox.NamedNode(RDF + "predicate"), p(pred))
        self.t(node, ox.NamedNode(RDF + "object"), o)
        if period:
            self.t(node, p("period"), ox.NamedNode(RES + "period/" + period))
        self._claim(node, modality, sentence, both=self.rng.random() < 0.3)

    def observation(self, entity: ox.NamedNode, measure: str, value: float, unit: str, period: str,
                    sentence: str, comparator: str = "exact") -> None:
        self.claims += 1
        node = n(f"synth/statement/{self.i}-{self.claims}")
        self.t(entity, p("hasObservation"), node)
        self.t(node, RDF_TYPE, p("Observation"))
        self.t(node, p("observationId"), ox.Literal(f"O{self.i}-{self.claims}"))
        self.t(node, p("observedEntity"), entity)
        self.t(node, p("measure"), v("measure", measure))
        self.t(node, p("value"), dec(value))
        self.t(node, p("comparator"), v("comparator", comparator))
        self.t(node, p("unit"), v("unit", unit))
        self.t(node, p("period"), ox.NamedNode(RES + "period/" + period))
        self._claim(node, "stated", sentence, both=False)

    def period(self, year: int) -> str:
        local = f"synth-{year}"
        node = ox.NamedNode(RES + "period/" + local)
        self.t(node, RDF_TYPE, p("Period"))
        self.t(node, LABEL, en(str(year)))
        self.t(node, p("startYear"), ox.Literal(str(year), datatype=GYEAR))
        self.t(node, p("endYear"), ox.Literal(str(year), datatype=GYEAR))
        return local

    def build(self, countries: int) -> None:
        rng, i = self.rng, self.i
        for d, key in enumerate(self.doc_keys):
            self.t(self.docs[d], RDF_TYPE, p("Document"))
            self.t(self.docs[d], LABEL, en(f"Synthetic document {key}"))
            self.t(self.docs[d], p("docKey"), ox.Literal(key))
            self.t(self.docs[d], p("fileName"), ox.Literal(f"{key}.txt"))
            self.t(self.docs[d], p("genre"), en("synthetic news analysis"))
        a, b = rng.sample(range(countries), 2)
        host, guest = n(f"synth/Country_{a}"), n(f"synth/Country_{b}")
        year = rng.randrange(1995, 2026)
        period = self.period(year)
        visitor = self.entity(f"synth/Leader_{i}", "Leader", f"Leader {i} of country {b}")
        office = self.entity(f"synth/Office_{b}", "Position", f"Head of state of country {b}")
        visit = self.entity(f"synth/Visit_{i}", "StateVisit", f"State visit {i} to country {a}")
        summit = self.entity(f"synth/Summit_{i}", "Summit", f"Summit {i} of countries {a} and {b}")
        self.statement(visitor, "holdsPosition", office, "stated", f"Leader {i} is head of state of country {b}.")
        self.statement(visit, "visitor", visitor, "stated", f"Leader {i} has begun a visit to country {a} (cluster {i}).")
        self.t(visit, p("destination"), host)
        self.statement(visit, "purpose", summit, "stated", f"The visit {i} is for summit {i}.")
        self.statement(visitor, "participatesIn", summit, "scheduled", f"Leader {i} will take part in summit {i}.")
        self.observation(visit, "visit-duration", rng.choice((1, 2, 3, 4)), "day", period,
                         f"a {rng.choice(('one', 'two', 'three', 'four'))}-day visit, number {i}")
        system = self.entity(f"synth/System_{i}", rng.choice(("AirDefenceSystem", "FighterAircraft")), f"System {i}")
        corridor = self.entity(f"synth/Corridor_{i}", "TransportCorridor", f"Corridor {i}")
        for k in range(3):
            cls = rng.choice(_ARRANGEMENT_CLASSES)
            deal = self.entity(f"synth/Deal_{i}_{k}", cls, f"Deal {k} of summit {i}")
            status = rng.choice(_STATUSES)
            self.t(deal, p("agreementStatus"), v("agreement-status", status))
            self.t(deal, p("party"), host)
            self.t(deal, p("party"), guest)
            self.t(deal, p("sector"), n(rng.choice(_SECTORS)))
            if k == 0:
                target = n(rng.choice(_HUB_SYSTEMS)) if rng.random() < 0.05 else system
                self.t(deal, p("concernsSystem"), target)
            self.statement(summit, "agendaIncludesFinalizing", deal, "expected",
                           f"The agenda of summit {i} includes finalising deal {k}.")
        self.statement(n("synth/Deal_%d_1" % i), "advances", corridor if rng.random() > 0.02 else n("INSTC"),
                       "expected", f"Deal 1 of summit {i} would advance a corridor.")
        self.statement(guest, "reliesHeavilyOn", system, "stated", f"Country {b} still relies heavily on system {i}.",
                       period=period)
        flow = self.entity(f"synth/Trade_{min(a, b)}_{max(a, b)}", "TradeFlow", f"Trade of countries {min(a, b)} and {max(a, b)}")
        for offset in range(2):
            y, value = year - offset, round(rng.uniform(1, 120), 1)
            self.observation(flow, "bilateral-trade-volume", value, "USD-billion", self.period(y),
                             f"trade of ${value:.1f} billion in {y} (cluster {i})",
                             comparator=rng.choice(("exact", "approximately")))
        if rng.random() < 0.02:
            self.observation(n("India_Russia_Bilateral_Trade"), "bilateral-trade-volume", rng.uniform(5, 90),
                             "USD-billion", period, f"India–Russia trade in {year} as cluster {i} reports it")
        self.statement(visit, "demonstrates", n("Strategic_Autonomy") if rng.random() < 0.05 else n("Multipolar_World"),
                       "interpretation", f"Visit {i} is widely read as a demonstration.")
        self.statement(guest, "prioritisedSector", n(rng.choice(_SECTORS)), "stated", f"Exports of country {b} prioritise a sector.")
        self.statement(visitor, "sharesRapportWith", n(f"synth/Leader_{max(0, i - 1)}"), "stated",
                       f"Leader {i} shares a rapport with leader {max(0, i - 1)}.")

    def texts(self) -> dict[str, str]:
        return {f"{key}.txt": "\n".join(self.sentences[d]) + "\n" for d, key in enumerate(self.doc_keys)}


def _countries(emit: Callable[[ox.Triple], None], count: int) -> None:
    for c in range(count):
        node = n(f"synth/Country_{c}")
        emit(ox.Triple(node, RDF_TYPE, p("Country")))
        emit(ox.Triple(node, LABEL, en(f"Country {c}")))
        emit(ox.Triple(node, p("mentionedIn"), n("synth/Document_S0000000a")))


def synthesize(spec: SynthSpec, output: Path, settings: Settings,
               progress: Callable[[int, int], None] | None = None) -> int:
    """Write the real graph plus ``spec.clusters`` synthetic clusters to ``output`` (N-Triples) and
    the documents' texts to ``output.parent / "sources"``. Returns the number of triples written."""
    rng = random.Random(spec.seed)
    sources = output.parent / "sources"
    sources.mkdir(parents=True, exist_ok=True)
    written = 0

    def triples() -> Iterator[ox.Triple]:
        nonlocal written
        buffer: list[ox.Triple] = []
        for source in discover(settings):
            if source.graph.endswith("/ontology"):
                continue
            for quad in ox.parse(path=str(source.path)):
                buffer.append(ox.Triple(quad.subject, quad.predicate, quad.object))
        clusters = spec.clusters(len(buffer))
        countries = max(8, int(clusters ** 0.5) * 4)
        _countries(buffer.append, countries)
        yield from buffer
        written += len(buffer)
        for i in range(clusters):
            buffer = []
            cluster = _Cluster(i, rng, buffer.append)
            cluster.build(countries)
            for name, text in cluster.texts().items():
                (sources / name).write_text(text, encoding="utf-8")
                digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
                buffer.append(ox.Triple(n(f"synth/Document_{name[:-4]}"), p("sha256"), ox.Literal(digest)))
            written += len(buffer)
            yield from buffer
            if progress:
                progress(i + 1, clusters)

    with output.open("wb") as out:
        ox.serialize(triples(), out, ox.RdfFormat.N_TRIPLES)
    for text_file in settings.sources_dir.glob("*.txt"):
        (sources / text_file.name).write_bytes(text_file.read_bytes())
    return written
