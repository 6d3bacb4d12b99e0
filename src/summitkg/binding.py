"""Bind query variables for engines without rdflib's ``initBindings``: a ``VALUES`` block at the
start of the WHERE pattern, so the values join *before* projection (a trailing ``VALUES``, as
SPARQLStore sends, only reaches projected variables; pyoxigraph's substitutions likewise).

Values are written with ``Identifier.n3()``, which escapes them; query text is never spliced.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from rdflib.term import Identifier

__all__ = ["inject_values", "values_block"]

# Things inside which a brace or the word WHERE means nothing: comments, strings, IRIs.
_SKIP = re.compile(
    r"""\#[^\n]*                       # comment
      | '''(?:[^'\\]|\\.|'(?!''))*''' | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"   # long strings
      | '(?:[^'\\\n]|\\.)*' | "(?:[^"\\\n]|\\.)*"                           # short strings
      | <[^<>"{}|^`\\\s]*>             # IRI
    """,
    re.X,
)
_TOKEN = re.compile(r"\bWHERE\b|\{", re.I)


def values_block(bindings: Mapping[str, Identifier]) -> str:
    names = list(bindings)
    head = " ".join(f"?{n}" for n in names)
    row = " ".join(bindings[n].n3() for n in names)
    return f"VALUES ({head}) {{ ({row}) }}"


@functools.lru_cache(maxsize=512)
def _open_brace_of_where(text: str) -> int:
    """Index of the ``{`` that opens the query's WHERE pattern (kept per text: named queries repeat)."""
    position, first_brace = 0, -1
    while True:
        skip = _SKIP.search(text, position)
        token = _TOKEN.search(text, position)
        if token is None:
            break
        if skip is not None and skip.start() <= token.start():
            position = skip.end()
            continue
        if token[0] == "{":
            if first_brace < 0:
                first_brace = token.start()
            position = token.end()
            continue
        # WHERE keyword: the next brace outside comments/strings/IRIs opens the pattern.
        position = token.end()
        while True:
            skip = _SKIP.search(text, position)
            brace = text.find("{", position)
            if brace < 0:
                return -1
            if skip is not None and skip.start() <= brace:
                position = skip.end()
                continue
            return brace
    return first_brace


def inject_values(text: str, bindings: Mapping[str, Identifier]) -> str:
    """``text`` with ``bindings`` as a VALUES block opening its WHERE pattern."""
    if not bindings:
        return text
    brace = _open_brace_of_where(text)
    if brace < 0:
        return text  # no pattern: let the engine report the syntax error
    return f"{text[: brace + 1]} {values_block(bindings)} {text[brace + 1:]}"
