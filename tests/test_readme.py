"""The README's SPARQL examples run as written and return rows."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

EXAMPLES = re.findall(r"```sparql\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def test_readme_has_an_example_per_entity_kind() -> None:
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize("text", EXAMPLES, ids=[f"example{i}" for i in range(len(EXAMPLES))])
def test_example_returns_rows(kg, text) -> None:
    assert len(kg.query(text).bindings) > 0
