"""Read the hand-written FACTS checklist (tests/data/FACTS.md): entity ids, labels, claims and quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FACTS = Path(__file__).resolve().parent / "data" / "FACTS.md"
_QUOTE = re.compile(r"\[(000|004)\] `([^`]+)`")


@dataclass(frozen=True)
class EntityRow:
    id: str
    type: str
    label: str
    section: str


@dataclass(frozen=True)
class ClaimRow:
    id: str
    subject: str
    relation: str
    obj: str
    modality: str
    quotes: tuple[tuple[str, str], ...]  # (doc key, quote)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def entity_rows() -> list[EntityRow]:
    rows, section = [], ""
    for line in FACTS.read_text(encoding="utf-8").splitlines():
        if line.startswith("### 1."):
            section = line[4:].split()[0]
        elif line.startswith("## 2."):
            section = ""
        elif section and section != "1.0" and line.startswith("| `"):
            cells = _cells(line)
            rows.append(EntityRow(cells[0].strip("`"), cells[1], cells[2], section))
    return rows


def claim_rows() -> list[ClaimRow]:
    rows = []
    for line in FACTS.read_text(encoding="utf-8").splitlines():
        if re.match(r"^\| C\d{3} \|", line):
            cells = _cells(line)
            quote_cell = line[line.rindex("| [") + 2:] if "| [" in line else cells[-1]
            rows.append(ClaimRow(cells[0], cells[1], cells[2], cells[3], cells[6],
                                 tuple(_QUOTE.findall(quote_cell))))
    return rows


def verified_wikidata() -> dict[str, str]:
    """Local id → QID for the ids FACTS §1.0 marks verified."""
    out, inside = {}, False
    for line in FACTS.read_text(encoding="utf-8").splitlines():
        if line.startswith("### 1.0"):
            inside = True
        elif line.startswith("### 1.1"):
            break
        elif inside and line.startswith("| `"):
            cells = _cells(line)
            out[cells[0].strip("`")] = cells[1]
    return out
