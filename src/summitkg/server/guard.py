"""What a request may ask of the endpoint, decided by a cheap scan *before* any parser sees the text.

One linear pass over the tokens (comments, strings and IRIs skipped) finds the query form, the
nesting depth, ``PREFIX``/``BASE`` declarations, and every ``SERVICE``, ``FROM``/``FROM NAMED``
and ``LOAD``. Parsers are the expensive and fragile part — Oxigraph's overflows its stack on a few
thousand nested braces, rdflib's recurses — so a query is refused here when it is too large, too
deep, names a graph we do not hold, or calls a ``SERVICE`` the operator has not allowed.

SPARQL lets ``\\uXXXX`` escapes stand for any character *anywhere* (rdflib expands them before
parsing), so ``\\u0053ERVICE`` is ``SERVICE``: the scan runs on the expanded text.
Decisions are cached per query text, so a hot query is scanned once.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin

from ..namespaces import PREFIXES
from .errors import (
    GraphNotHeld,
    PayloadTooLarge,
    ProtocolError,
    QueryRefused,
    TooDeeplyNested,
)

__all__ = ["Plan", "Policy", "scan", "expand_escapes"]

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_VERBS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r"""(?P<skip>\s+|\#[^\n\r]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*(?:'''|$) | \"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)
                  | '(?:[^'\\\n\r]|\\.)*'? | "(?:[^"\\\n\r]|\\.)*"?)
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]*)
      | (?P<pname>(?:[^\W\d][\w.\-]*)?:(?:[\w:%\-]|\\.|\.(?=[\w:%\-]))*)
      | (?P<word>[^\W\d]\w*)
      | (?P<open>[{(\[])
      | (?P<close>[})\]])
      | (?P<other>.)
    """,
    re.X | re.S,
)


def expand_escapes(text: str) -> str:
    """``\\uXXXX`` and ``\\UXXXXXXXX`` replaced by their characters, as SPARQL's grammar says."""
    if "\\u" not in text and "\\U" not in text:
        return text

    def char(match: re.Match[str]) -> str:
        code = int(match[1] or match[2], 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise ProtocolError(f"\\u escape {match[0]!r} is not a Unicode character", parameter="query")
        return chr(code)

    return _ESCAPE.sub(char, text)


@dataclass(frozen=True)
class Plan:
    """What the scan found in one request's text."""

    operation: str  # "query" or "update"
    form: str | None  # SELECT, CONSTRUCT, DESCRIBE, ASK for queries
    depth: int
    services: tuple[str | None, ...] = ()  # None: SERVICE ?variable
    from_default: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()
    loads: int = 0
    #: The word SERVICE or LOAD occurs more often than the scan found it as a keyword (in a string,
    #: IRI or comment): engines that cannot show us their parse tree get a second, parser-based check.
    unverified: bool = False

    @property
    def graph_shaped(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class Policy:
    """The operator's limits: sizes, depth, which graphs exist, which SERVICEs may be called."""

    graphs: frozenset[str]
    services: tuple[str, ...] = ()
    max_query_bytes: int = 100_000
    max_depth: int = 64
    extra_prefixes: dict[str, str] = field(default_factory=lambda: dict(PREFIXES))

    def service_allowed(self, iri: str | None) -> bool:
        return iri is not None and any(iri == s or iri.startswith(s.rstrip("/") + "/") for s in self.services)

    def check(self, text: str, *, operation: str) -> Plan:
        """The plan for ``text`` if the policy allows it; a ``SummitError`` saying why not otherwise."""
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > self.max_query_bytes:
            raise PayloadTooLarge(f"the {operation} is {size:,} bytes; this endpoint accepts at most "
                                  f"{self.max_query_bytes:,}")
        plan = scan(text, operation=operation, max_depth=self.max_depth, prefixes=self.extra_prefixes)
        for service in plan.services:
            if not self.service_allowed(service):
                target = "a variable" if service is None else f"<{service}>"
                allowed = ", ".join(f"<{s}>" for s in self.services) or "none (start the server with --service-allow URL)"
                raise QueryRefused(f"SERVICE {target} is not allowed; allowed endpoints: {allowed}")
        if plan.loads:
            raise QueryRefused("LOAD is not allowed: this endpoint never fetches a URL or file because a request names it")
        self.check_graphs(plan.from_default, "FROM")
        self.check_graphs(plan.from_named, "FROM NAMED")
        return plan

    def check_graphs(self, graphs: Collection[str], clause: str) -> None:
        for graph in graphs:
            if graph not in self.graphs:
                raise GraphNotHeld(graph, clause=clause, held=sorted(self.graphs))


@lru_cache(maxsize=2048)
def _scan_cached(text: str, operation: str, max_depth: int, prefixes: tuple[tuple[str, str], ...]) -> Plan:
    return _scan(text, operation, max_depth, dict(prefixes))


def scan(text: str, *, operation: str, max_depth: int = 64, prefixes: dict[str, str] | None = None) -> Plan:
    """Tokenize ``text`` once and say what it asks for. Raises for empty, too deep or misdirected text."""
    return _scan_cached(text, operation, max_depth, tuple(sorted((prefixes or {}).items())))


def _scan(raw: str, operation: str, max_depth: int, known: dict[str, str]) -> Plan:
    text = expand_escapes(raw)
    prefixes = dict(known)
    base = ""
    depth = max_seen = 0
    form: str | None = None
    services: list[str | None] = []
    from_default: list[str] = []
    from_named: list[str] = []
    loads = 0
    service_keywords = 0
    pending: str | None = None  # the keyword whose argument comes next: PREFIX, BASE, SERVICE, FROM, FROM NAMED
    prefix_name = ""
    line, line_start = 1, 0

    def where(position: int) -> str:
        return f"line {line}, column {position - line_start + 1}"

    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup, match[0]
        if kind == "skip" or kind == "string":
            newlines = value.count("\n")
            if newlines:
                line += newlines
                line_start = match.start() + value.rindex("\n") + 1
            continue
        if kind == "open":
            depth += 1
            if depth > max_depth:
                raise TooDeeplyNested(f"the {operation} nests brackets more than {max_depth} deep "
                                      f"(at {where(match.start())})")
            max_seen = max(max_seen, depth)
        elif kind == "close":
            depth = max(depth - 1, 0)
        upper = value.upper() if kind == "word" else ""
        if pending is not None:
            argument = pending
            pending = None
            if argument == "PREFIX" and kind == "pname":
                prefix_name = value.removesuffix(":")
                pending = "PREFIX-IRI"
                continue
            if argument == "PREFIX-IRI" and kind == "iri":
                prefixes[prefix_name] = urljoin(base, value[1:-1])
                continue
            if argument == "BASE" and kind == "iri":
                base = urljoin(base, value[1:-1])
                continue
            if argument == "SERVICE":
                if upper == "SILENT":
                    pending = "SERVICE"
                    continue
                services.append(_resolve(kind, value, prefixes, base))
                continue
            if argument == "FROM":
                if upper == "NAMED":
                    pending = "FROM NAMED"
                    continue
                from_default.append(_resolve(kind, value, prefixes, base) or value)
                continue
            if argument == "FROM NAMED":
                from_named.append(_resolve(kind, value, prefixes, base) or value)
                continue
        if kind != "word":
            continue
        if upper in ("PREFIX", "BASE", "FROM"):
            pending = upper
        elif upper == "SERVICE":
            pending = "SERVICE"
            service_keywords += 1
        elif upper == "LOAD":
            loads += 1
        if form is None and upper in QUERY_FORMS + UPDATE_VERBS:
            form = upper
    if form is None:
        raise ProtocolError(f"the {operation} is empty or has no SELECT, CONSTRUCT, DESCRIBE, ASK or update operation",
                            parameter=operation)
    if operation == "query" and form in UPDATE_VERBS:
        raise ProtocolError(f"this is a SPARQL Update ({form}); send it as the `update` parameter "
                            "(or application/sparql-update) to the update operation", parameter="query")
    if operation == "update" and form in QUERY_FORMS:
        raise ProtocolError(f"this is a SPARQL query ({form}); send it as the `query` parameter", parameter="update")
    unverified = (len(re.findall(r"\bservice\b", text, re.I)) > service_keywords
                  or len(re.findall(r"\bload\b", text, re.I)) > loads)
    return Plan(operation=operation, form=form if operation == "query" else None, depth=max_seen,
                services=tuple(services), from_default=tuple(from_default), from_named=tuple(from_named),
                loads=loads, unverified=unverified)


def _resolve(kind: str | None, value: str, prefixes: dict[str, str], base: str) -> str | None:
    """The IRI an IRIREF or prefixed name stands for; ``None`` for a variable or anything else."""
    if kind == "iri":
        return urljoin(base, value[1:-1])
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
        return value
    return None
