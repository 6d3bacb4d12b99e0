"""Named queries: one ``queries/<name>.rq`` file each, with a ``#+`` YAML header (the grlc convention).

    #+ title: Bilateral trade across years
    #+ description: Every trade figure with its year, source document and quote.
    #+ params:
    #+   - name: entity
    #+     type: iri
    #+     default: res:S-400

Parameters are bound as values (initBindings, substitutions, VALUES), never spliced into the text.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from stat import S_ISREG

import yaml
from rdflib import XSD, Literal, URIRef
from rdflib.term import Identifier

from .errors import ParameterError, QueryError, UnknownQueryError
from .namespaces import PREFIXES, RES

__all__ = ["Parameter", "NamedQuery", "catalogue", "find", "parse_named_query", "to_term", "PARAM_TYPES"]

PARAM_TYPES = ("iri", "string", "decimal", "integer", "year")
_HEADER = re.compile(r"^#\+ ?(.*)$")


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str = "iri"
    default: str | None = None
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    text: str
    path: Path | None = None
    params: tuple[Parameter, ...] = field(default_factory=tuple)

    def bind(self, values: Mapping[str, str | Identifier]) -> dict[str, Identifier]:
        """Typed values for every parameter: given ones, else defaults. Unknown names are errors."""
        declared = {p.name: p for p in self.params}
        for name in values:
            if name not in declared:
                known = ", ".join(declared) or "none"
                raise ParameterError(f"query {self.name!r} has no such parameter (its parameters: {known})", name=name)
        bound: dict[str, Identifier] = {}
        for param in self.params:
            raw = values.get(param.name, param.default)
            if raw is None:
                raise ParameterError(f"query {self.name!r} needs a value (--param {param.name}=…)", name=param.name)
            bound[param.name] = raw if isinstance(raw, Identifier) else to_term(str(raw), param.type, name=param.name)
        return bound


def to_term(raw: str, kind: str, *, name: str) -> Identifier:
    """A parameter value as an RDF term of the declared type."""
    if kind == "iri":
        return _iri(raw, name=name)
    if kind == "string":
        return Literal(raw)
    if kind == "decimal":
        try:
            return Literal(Decimal(raw), datatype=XSD.decimal)
        except InvalidOperation:
            raise ParameterError(f"expected a decimal number, got {raw!r}", name=name) from None
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", raw):
            raise ParameterError(f"expected an integer, got {raw!r}", name=name)
        return Literal(int(raw))
    if kind == "year":
        if not re.fullmatch(r"\d{4}", raw):
            raise ParameterError(f"expected a four-digit year, got {raw!r}", name=name)
        return Literal(raw, datatype=XSD.gYear)
    raise ParameterError(f"unknown parameter type {kind!r} (types: {', '.join(PARAM_TYPES)})", name=name)


def _iri(raw: str, *, name: str) -> URIRef:
    text = raw.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if re.match(r"^https?://\S+$", text):
        return URIRef(text)
    prefix, colon, local = text.partition(":")
    if colon and prefix in PREFIXES:
        return URIRef(PREFIXES[prefix] + local)
    if not colon and re.fullmatch(r"[\w.\-]+", text):
        return RES[text]
    raise ParameterError(f"expected an IRI, a CURIE such as res:S-400, or a resource name, got {raw!r}", name=name)


def parse_named_query(path: Path) -> NamedQuery:
    """The query in ``path``; parsed once per version of the file (YAML parsing costs ~1 ms a query)."""
    try:
        stat = path.stat()
    except OSError as error:
        raise QueryError(f"{path}: {error.strerror or error}") from error
    return _parse_named_query(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=512)
def _parse_named_query(location: str, mtime_ns: int, size: int) -> NamedQuery:
    path = Path(location)
    text = path.read_text(encoding="utf-8")
    header = "\n".join(m[1] for line in text.splitlines() if (m := _HEADER.match(line)))
    try:
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as error:
        raise QueryError(f"{path}: the #+ header is not valid YAML: {error}") from error
    if not isinstance(meta, dict):
        raise QueryError(f"{path}: the #+ header must be a YAML mapping")
    params = tuple(
        Parameter(name=str(p["name"]), type=str(p.get("type", "iri")),
                  default=None if p.get("default") is None else str(p["default"]),
                  description=str(p.get("description", "")))
        for p in meta.get("params") or []
    )
    for p in params:
        if p.type not in PARAM_TYPES:
            raise QueryError(f"{path}: parameter {p.name!r} has unknown type {p.type!r}")
    return NamedQuery(name=path.stem, title=str(meta.get("title", path.stem)),
                      description=str(meta.get("description", "")).strip(), text=text, path=path, params=params)


def catalogue(directory: Path) -> dict[str, NamedQuery]:
    """Every named query in ``directory``, by name."""
    return {p.stem: parse_named_query(p) for p in sorted(directory.glob("*.rq"))}


def find(directory: Path, name: str) -> NamedQuery:
    """The named query ``name``; only its own file is read, so one broken file breaks only itself."""
    # os.stat on a str, not pathlib: this runs for every request, and pathlib's objects cost more
    # than the rest of the lookup (an ASK on the summit graph takes Oxigraph ~25 µs).
    location = os.path.join(directory, name + ".rq")
    try:
        stat = os.stat(location)
    except OSError:
        stat = None
    if stat is not None and S_ISREG(stat.st_mode):
        return _parse_named_query(location, stat.st_mtime_ns, stat.st_size)
    names = sorted(p.stem for p in directory.glob("*.rq"))
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    close += [q for q in names if name.lower() in q.lower() and q not in close][: 3 - len(close)]
    raise UnknownQueryError(name, suggestions=close)
