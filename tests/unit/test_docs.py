"""The documents name the tests behind their claims: every test they name must exist.

SECURITY.md, docs/privacy.md and the others say "checked by tests/...::test_x"; a moved or
renamed test would leave a claim with nothing behind it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted(
    [*ROOT.glob("*.md"), *(ROOT / "docs").glob("*.md"), *(ROOT / "bench").rglob("*.md")]
)
NAMED = re.compile(r"\btests/[\w/]+\.py(?:::\w+)?")


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.ClassDef)
    }


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_test_a_document_names_exists(document: Path) -> None:
    missing = []
    for named in sorted(set(NAMED.findall(document.read_text(encoding="utf-8")))):
        file, _, test = named.partition("::")
        path = ROOT / file
        if not path.is_file() or (test and test not in _tests_in(path)):
            missing.append(named)
    assert missing == [], f"{document.name} names tests that do not exist"
