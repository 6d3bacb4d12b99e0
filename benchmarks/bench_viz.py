"""How long the whole-graph page takes for a 50,000-triple graph in summitkg's shape (issue 4: under 5 s).

The graph is generated deterministically (fixed seed) in the shape of the real data: entities
of the ontology's classes with labels, descriptions and ``skg:mentionedIn``; for every
relation a direct triple plus a claim node with modality and one or two references carrying
a source and a quote; arrangements with an agreement status; observations and literal facts.
Relations attach preferentially, so a few hubs (like India and Russia) gather many.

Timed per store, after loading: ``entity_network`` (the SPARQL queries and the networkx
graph) and ``NetworkView.html()`` (centrality, the 1,500-node cap, pyvis and the template),
then writing the file. Loading the store is reported separately.

    python benchmarks/bench_viz.py              # print the table and write it to RESULTS.md
    python benchmarks/bench_viz.py --no-write   # print it only
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, SKOS
from results_md import write_section

ROOT = Path(__file__).resolve().parents[1]
HEADING = "## Network view (issue 4)"
SKG = Namespace("https://w3id.org/summitkg/ontology#")
RES = Namespace("https://w3id.org/summitkg/resource/")
ST = Namespace("https://w3id.org/summitkg/resource/statement/")
REF = Namespace("https://w3id.org/summitkg/resource/reference/")
MOD = Namespace("https://w3id.org/summitkg/vocab/modality/")
STATUS = Namespace("https://w3id.org/summitkg/vocab/agreement-status/")
MEASURE = Namespace("https://w3id.org/summitkg/vocab/measure/")
UNIT = Namespace("https://w3id.org/summitkg/vocab/unit/")
CMP = Namespace("https://w3id.org/summitkg/vocab/comparator/")
PERIOD = Namespace("https://w3id.org/summitkg/resource/period/")
DOCUMENTS = (RES.Document_000, RES.Document_004)

#: Classes and how often the real data uses them (roughly).
CLASSES = {"Country": 4, "Leader": 2, "Person": 2, "Position": 1, "Region": 1, "Group": 3, "GovernmentBody": 2,
           "ThinkTank": 1, "Event": 3, "StateVisit": 1, "Meeting": 1, "Condition": 2, "AirDefenceSystem": 1,
           "FighterAircraft": 1, "WeaponCategory": 1, "TransportCorridor": 1, "BilateralRelationship": 1,
           "TradeFlow": 1, "Agreement": 3, "Contract": 2, "Offer": 1, "PaymentMechanism": 1, "SupplyDeal": 1,
           "Sector": 6, "Commodity": 2, "Currency": 1, "PolicyGoal": 1, "Sanctions": 1, "Concept": 2}
ARRANGEMENTS = {"Agreement", "Contract", "Offer", "PaymentMechanism", "SupplyDeal"}
STATUSES = ("anticipated", "on-agenda", "reportedly-on-the-table", "under-consideration", "offered", "sought",
            "existing")
MODALITIES = {"stated": 8, "scheduled": 1, "expected": 3, "reported": 2, "offered": 1, "hoped": 1, "sought": 2,
              "possible": 1, "interpretation": 1, "attributed-opinion": 1}
VERBS = ("relies on", "expected to sign", "offered", "seeks", "party to", "hopes to increase", "pressured",
         "supplies", "imports", "reported to consider", "participates in", "described", "aims to improve",
         "linked to", "cooperates with", "competes with", "funds", "part of", "criticises", "opposes", "supports",
         "will explore", "signals to", "balances", "buys from", "sells to", "delivers", "maintains", "develops",
         "benefits from")
WORDS = ("strategic", "defence", "energy", "trade", "corridor", "partnership", "summit", "rupee", "oil", "reactor",
         "missile", "regiment", "payment", "market", "export", "import", "sanctions", "tariff", "technology")


def generate(triples: int, seed: int = 4) -> Graph:
    """A graph of about ``triples`` triples in summitkg's shape, the same for the same seed."""
    rng = random.Random(seed)
    g = Graph()
    properties = []
    for i, verb in enumerate(VERBS):
        prop = SKG[f"bench{''.join(w.title() for w in verb.split())}{i}"]
        g.add((prop, RDF.type, OWL.ObjectProperty))
        g.add((prop, RDFS.label, Literal(verb, lang="en")))
        properties.append(prop)
    classes, weights = list(CLASSES), list(CLASSES.values())
    entities: list[URIRef] = []
    degree: list[int] = []

    def new_entity() -> URIRef:
        number = len(entities)
        cls = rng.choices(classes, weights)[0]
        entity = RES[f"Bench_{cls}_{number}"]
        name = " ".join(rng.sample(WORDS, 2))
        g.add((entity, RDF.type, SKG[cls]))
        g.add((entity, RDFS.label, Literal(f"{name} {number}", lang="en")))
        g.add((entity, SKOS.altLabel, Literal(f"the {name} ({number})", lang="en")))
        g.add((entity, RDFS.comment, Literal(f"A generated {cls} for the benchmark, number {number}.", lang="en")))
        for doc in rng.sample(DOCUMENTS, rng.choice((1, 1, 2))):
            g.add((entity, SKG.mentionedIn, doc))
        if cls in ARRANGEMENTS:
            g.add((entity, SKG.agreementStatus, STATUS[rng.choice(STATUSES)]))
            g.add((entity, SKG.party, entities[rng.randrange(len(entities))] if entities else entity))
        entities.append(entity)
        degree.append(1)
        return entity

    def pick() -> int:
        return rng.choices(range(len(entities)), degree)[0]

    def references(claim: URIRef, number: int) -> None:
        for k, doc in enumerate(rng.sample(DOCUMENTS, rng.choice((1, 1, 1, 2)))):
            ref = REF[f"C{number:05d}-{k}"]
            g.add((claim, SKG.reference, ref))
            g.add((ref, RDF.type, SKG.Reference))
            g.add((ref, SKG.source, doc))
            g.add((ref, SKG.quote, Literal(f"{' '.join(rng.choices(WORDS, k=8))} ({number})")))

    for _ in range(20):
        new_entity()
    number = 0
    modalities, modality_weights = list(MODALITIES), list(MODALITIES.values())
    while len(g) < triples:
        number += 1
        s = entities.index(new_entity()) if rng.random() < 0.55 else pick()
        claim = ST[f"C{number:05d}"]
        g.add((claim, SKG.claimId, Literal(f"C{number:05d}")))
        g.add((claim, SKG.modality, MOD[rng.choices(modalities, modality_weights)[0]]))
        roll = rng.random()
        if roll < 0.1:
            g.add((entities[s], SKG.hasObservation, claim))
            g.add((claim, RDF.type, SKG.Observation))
            g.add((claim, SKG.observedEntity, entities[s]))
            g.add((claim, SKG.measure, MEASURE["bilateral-trade-volume"]))
            g.add((claim, SKG.value, Literal(f"{rng.uniform(1, 100):.1f}", datatype=XSD.decimal)))
            g.add((claim, SKG.comparator, CMP[rng.choice(("exact", "approximately", "above"))]))
            g.add((claim, SKG.unit, UNIT["USD-billion"]))
            g.add((claim, SKG.period, PERIOD[rng.choice(("2020", "2024", "2025"))]))
        else:
            prop = rng.choice(properties)
            if roll < 0.15:
                o: URIRef | Literal = Literal(" ".join(rng.choices(WORDS, k=4)), lang="en")
            else:
                target = pick()
                while target == s:
                    target = pick()
                o = entities[target]
                degree[target] += 1
            g.add((entities[s], prop, o))
            g.add((claim, RDF.type, SKG.Statement))
            g.add((claim, RDF.subject, entities[s]))
            g.add((claim, RDF.predicate, prop))
            g.add((claim, RDF.object, o))
        degree[s] += 1
        references(claim, number)
    return g


def make_home(triples: int, folder: Path) -> Path:
    """A project directory: the real ontology and sources.ttl, plus the generated graph."""
    (folder / "ontology").mkdir(parents=True)
    (folder / "graph").mkdir()
    (folder / "queries").mkdir()
    shutil.copy(ROOT / "ontology" / "summitkg.ttl", folder / "ontology" / "summitkg.ttl")
    shutil.copy(ROOT / "graph" / "sources.ttl", folder / "graph" / "sources.ttl")
    fixed = Graph()
    for name in ("ontology/summitkg.ttl", "graph/sources.ttl"):
        fixed.parse(folder / name)
    generate(triples - len(fixed)).serialize(folder / "graph" / "bench.nt", format="nt", encoding="utf-8")
    return folder


def measure(home: Path, store: str, repeat: int) -> dict[str, object]:
    from summitkg.config import Settings
    from summitkg.kg import load
    from summitkg.network import entity_network
    from summitkg.visualize import NetworkView, write_text

    started = time.perf_counter()
    kg = load(Settings(home=home), store=store)
    loaded = time.perf_counter() - started
    network, page, written, totals = [], [], [], []
    shown = graph = None
    with tempfile.TemporaryDirectory() as out:
        for _ in range(repeat):
            t0 = time.perf_counter()
            graph = entity_network(kg)
            t1 = time.perf_counter()
            view = NetworkView(graph, title="benchmark")
            html = view.html()
            t2 = time.perf_counter()
            write_text(Path(out) / "bench.html", html)
            t3 = time.perf_counter()
            network.append(t1 - t0), page.append(t2 - t1), written.append(t3 - t2), totals.append(t3 - t0)
            shown = view.shown()[0]
    quads = len(kg)
    kg.close()
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "summitkg", "--home", str(home), "viz", "-o", str(Path(out) / "cli.html"),
                        "--store", store], check=True, capture_output=True)
        cold = time.perf_counter() - started
    return {"store": store, "quads": quads, "entities": graph.number_of_nodes(), "relations": graph.number_of_edges(),
            "shown": shown.number_of_nodes(), "load": loaded, "network": statistics.median(network),
            "page": statistics.median(page), "write": statistics.median(written), "total": statistics.median(totals),
            "size": len(html.encode()) / 1e6, "cli": cold}


def environment() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    versions = ", ".join(f"{name} {version(name)}" for name in ("rdflib", "pyoxigraph", "networkx", "pyvis"))
    return (f"{datetime.date.today().isoformat()} · {cpu}, {os.cpu_count()} CPUs · {platform.system()} "
            f"{platform.release()} · Python {platform.python_version()} · {versions} · vis-network 10.1.5")


def table(rows: list[dict[str, object]], triples: int, repeat: int) -> str:
    head = ("| store | quads | entities | relations | drawn | load store (s) | entity_network (s) | page (s) | "
            "write (s) | **page build total (s)** | page size (MB) | `summitkg viz` cold, end to end (s) |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|---|\n")
    body = "".join(f"| {r['store']} | {r['quads']:,} | {r['entities']:,} | {r['relations']:,} | {r['shown']:,} | "
                   f"{r['load']:.2f} | {r['network']:.2f} | {r['page']:.2f} | {r['write']:.3f} | "
                   f"**{r['total']:.2f}** | {r['size']:.1f} | {r['cli']:.2f} |\n" for r in rows)
    return (f"{HEADING}\n\n`python benchmarks/bench_viz.py --triples {triples} --repeat {repeat}`: "
            f"the whole-graph page (`summitkg viz`) for a generated {triples:,}-triple graph in summitkg's shape, "
            f"median of {repeat} runs after the store is loaded (target: under 5 s). The last column runs the "
            "command in a fresh process: Python start-up, imports (pyvis pulls in IPython), loading the store, "
            f"building and writing the page.\n\n{environment()}\n\n"
            f"{head}{body}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stores", default="memory,oxigraph")
    parser.add_argument("--no-write", action="store_true", help="print the table; leave RESULTS.md alone")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        home = make_home(args.triples, Path(folder) / "home")
        rows = [measure(home, store, args.repeat) for store in args.stores.split(",")]
    text = table(rows, args.triples, args.repeat)
    print(text)
    if not args.no_write:
        write_section(HEADING, text + "\n")
    slow = [r for r in rows if r["total"] >= 5.0]
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
