"""The rdflib Graph a CONSTRUCT or DESCRIBE answer from Oxigraph arrives in, indexed when first searched.

Most answer graphs are read straight through once: printed, written out, drawn as a network.
rdflib's in-memory store indexes each triple three ways in Python as it is added, which costs
more than Oxigraph took to find the triple. This store keeps the triples in arrival order, serves
a full scan and ``len`` from that list, and builds rdflib's index at the first lookup by pattern
or the first change; from then on it is rdflib's ``SimpleMemory``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rdflib import Graph
from rdflib.plugins.stores.memory import SimpleMemory

__all__ = ["ArrivalOrderStore", "answer_graph"]

Triple = tuple[Any, Any, Any]


def answer_graph(triples: list[Triple]) -> Graph:
    """A Graph over distinct rdflib triples; it takes ownership of the list."""
    return Graph(store=ArrivalOrderStore(triples))


class ArrivalOrderStore(SimpleMemory):
    """``SimpleMemory`` that defers indexing until something needs the index."""

    def __init__(self, triples: list[Triple]) -> None:
        super().__init__()
        self._arrived: list[Triple] | None = triples

    @property
    def indexed(self) -> bool:
        return self._arrived is None

    def _index(self, context: Any) -> None:
        arrived, self._arrived = self._arrived, None
        add = super().add
        for triple in arrived or ():  # None once indexed: nothing left to add
            add(triple, context)

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[tuple[Triple, Iterator[Any]]]:
        arrived = self._arrived
        if arrived is not None:
            subject, predicate, obj = triple_pattern
            if subject is None and predicate is None and obj is None:
                return ((triple, iter(())) for triple in arrived)
        self._index(context)
        return super().triples(triple_pattern, context)

    def __len__(self, context: Any = None) -> int:
        arrived = self._arrived
        return len(arrived) if arrived is not None else super().__len__(context)

    def add(self, triple: Triple, context: Any, quoted: bool = False) -> None:
        self._index(context)
        super().add(triple, context, quoted)

    def remove(self, triple_pattern: Any, context: Any = None) -> None:
        self._index(context)
        super().remove(triple_pattern, context)
