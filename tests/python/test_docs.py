"""Every ```python block of docs/python.md (and of README.md, if it has any) runs, in
order and in one namespace per file, from a temporary folder holding a copy of examples/;
the records the code writes must pass `umr validate`."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Dict, List

import pytest

from conftest import REPO, cli_validate

DOCS = [REPO / "docs" / "python.md", REPO / "README.md"]
BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)


def python_blocks(path: Path) -> List[str]:
    return BLOCK.findall(path.read_text(encoding="utf-8"))


def test_python_md_has_examples() -> None:
    assert len(python_blocks(REPO / "docs" / "python.md")) >= 3


@pytest.mark.parametrize("doc", DOCS, ids=[p.name for p in DOCS])
def test_doc_blocks_run(doc: Path, tmp_path: Path, umr_cli: Path) -> None:
    if not doc.exists():
        pytest.skip(f"{doc.name} does not exist")
    blocks = python_blocks(doc)
    if not blocks:
        pytest.skip(f"{doc.name} has no python blocks")
    if (REPO / "examples").is_dir():
        shutil.copytree(REPO / "examples", tmp_path / "examples")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        ns: Dict[str, object] = {"__name__": "__main__"}
        for i, block in enumerate(blocks, 1):
            code = compile(block, f"{doc.name} (python block {i})", "exec")
            exec(code, ns)
    finally:
        os.chdir(old)
    written = sorted(
        p
        for p in tmp_path.rglob("*")
        if p.suffix in (".yaml", ".yml", ".json")
        and p.is_file()
        and "examples" not in p.relative_to(tmp_path).parts
    )
    if doc.name == "python.md":
        assert written, "the training-script example saves a record"
    if written:
        proc = cli_validate(umr_cli, *written)
        assert proc.returncode == 0, proc.stdout + proc.stderr
