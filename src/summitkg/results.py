"""Query results as rdflib ``Result`` objects that also display themselves in Jupyter."""

from __future__ import annotations

import functools
import html
from io import BytesIO

from rdflib import Graph, Variable
from rdflib.query import Result

__all__ = ["QueryResult", "from_rdflib", "from_sparql_json", "from_graph", "from_boolean"]

_HTML_ROW_LIMIT = 200


class QueryResult(Result):
    """An rdflib ``Result`` (SELECT rows, ASK boolean or CONSTRUCT graph) with a notebook view."""

    def _repr_html_(self) -> str:
        if self.type == "ASK":
            return f"<p><b>ASK</b>: {html.escape(str(self.askAnswer))}</p>"
        if self.type in ("CONSTRUCT", "DESCRIBE"):
            rows = [(s, p, o) for s, p, o in self.graph][:_HTML_ROW_LIMIT]
            head = ["subject", "predicate", "object"]
            total = len(self.graph)
        else:
            head = [str(v) for v in self.vars or []]
            rows = [tuple(b.get(v) for v in self.vars or []) for b in self.bindings[:_HTML_ROW_LIMIT]]
            total = len(self.bindings)
        cells = "".join(
            "<tr>" + "".join(f"<td>{html.escape('' if c is None else _short(c))}</td>" for c in row) + "</tr>" for row in rows
        )
        more = f"<p>… {total - len(rows)} more rows</p>" if total > len(rows) else ""
        header = "".join(f"<th>{html.escape(h)}</th>" for h in head)
        return f"<table><thead><tr>{header}</tr></thead><tbody>{cells}</tbody></table><p>{total} rows</p>{more}"

    def __repr__(self) -> str:
        size = len(self.graph) if self.type in ("CONSTRUCT", "DESCRIBE") else (
            self.askAnswer if self.type == "ASK" else len(self.bindings))
        return f"<QueryResult {self.type}: {size}>"


def _short(term: object) -> str:
    n3 = getattr(term, "n3", None)
    return n3() if callable(n3) else str(term)


class Row(dict):
    """One solution, looked up by ``Variable`` or by plain name, whichever engine produced it."""

    def __missing__(self, key: object) -> object:
        if isinstance(key, str) and not isinstance(key, Variable):
            return self[_variable(key)]
        raise KeyError(key)

    def get(self, key: object, default: object = None) -> object:
        try:
            return self[key]
        except KeyError:
            return default


#: ``row["x"]`` is looked up for every row of a result; the Variable for a name is made once.
_variable = functools.lru_cache(maxsize=1024)(Variable)


def from_rdflib(result: Result) -> QueryResult:
    out = QueryResult(result.type)
    if result.type == "SELECT":
        out.vars = result.vars
        out.bindings = [Row(b) for b in result.bindings]
    elif result.type == "ASK":
        out.askAnswer = result.askAnswer
    else:
        out.graph = result.graph
    return out


def from_sparql_json(data: bytes) -> QueryResult:
    """Parse W3C SPARQL JSON results (SELECT or ASK)."""
    return from_rdflib(Result.parse(BytesIO(data), format="json"))


def from_graph(graph: Graph, kind: str = "CONSTRUCT") -> QueryResult:
    out = QueryResult(kind)
    out.graph = graph
    return out


def from_boolean(answer: bool) -> QueryResult:
    out = QueryResult("ASK")
    out.askAnswer = answer
    return out
