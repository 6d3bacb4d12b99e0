"""A remote SPARQL 1.1 endpoint (Fuseki, GraphDB, Oxigraph server, Virtuoso …) through SPARQLWrapper.

Read-only: the operator fills the store (``summitkg push`` or the store's own loader).
Query variables are bound with a ``VALUES`` block opening the WHERE pattern (see ``binding``).
"""

from __future__ import annotations

import socket
import urllib.error

from rdflib import Graph

from ..binding import inject_values
from ..errors import QuerySyntaxError, QueryTimeoutError, StoreError
from ..namespaces import sparql_prologue
from ..results import QueryResult, from_graph, from_sparql_json
from .base import Backend, Bindings
from .memory import parse_sparql

__all__ = ["RemoteBackend"]


class RemoteBackend(Backend):
    scheme = "sparql"
    writable = False

    def __init__(self, location: str, *, timeout: float = 10.0) -> None:
        if not location.startswith(("http://", "https://")):
            raise StoreError("a remote store needs an http:// or https:// endpoint URL", location=location)
        super().__init__(location)
        self.timeout = timeout

    def query(self, text: str, *, bindings: Bindings | None = None) -> QueryResult:
        from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

        kind = parse_sparql(text).algebra.name  # checks syntax locally, with line and column
        client = SPARQLWrapper(self.location)
        client.setTimeout(max(1, round(self.timeout)))
        client.setMethod("POST")
        client.setQuery(sparql_prologue() + inject_values(text, bindings or {}))
        graph_shaped = kind in ("ConstructQuery", "DescribeQuery")
        client.setReturnFormat(TURTLE if graph_shaped else JSON)
        try:
            data = client.query().response.read()
        except QueryBadFormed as error:
            raise QuerySyntaxError(_endpoint_message(error), source=f"query sent to {self.location}") from error
        except SPARQLWrapperException as error:
            raise StoreError(_endpoint_message(error), location=self.location) from error
        except (socket.timeout, TimeoutError) as error:
            raise QueryTimeoutError(self.timeout) from error
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, (socket.timeout, TimeoutError)):
                raise QueryTimeoutError(self.timeout) from error
            raise StoreError(f"cannot reach the SPARQL endpoint ({reason})", location=self.location) from error
        except OSError as error:
            raise StoreError(f"cannot reach the SPARQL endpoint ({error})", location=self.location) from error
        if graph_shaped:
            graph = Graph()
            graph.parse(data=data, format="turtle")
            return from_graph(graph, "CONSTRUCT" if kind == "ConstructQuery" else "DESCRIBE")
        return from_sparql_json(data)

    def __len__(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(result.bindings[0]["n"])


def _endpoint_message(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
