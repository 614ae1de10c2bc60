"""notebooks/01-evaluation.ipynb: runs headless end to end and writes its three figures.

The notebook is executed for real (nbclient, a fresh ipykernel) on 20 held-out gold
reports, with its figures sent to a temporary directory so the test never writes into
the repository.
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

import nbformat
import pytest

from nlp.evaluation.facts import read_labeled
from nlp.evaluation.splits import gold_split

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "01-evaluation.ipynb"
GOLD = (ROOT / "corpus/gold/gold-a.jsonl", ROOT / "corpus/gold/gold-b.jsonl")
# name -> (width, height) in pixels: the notebook's figsize at dpi 100.
FIGURES = {
    "confusion-matrix.png": (900, 800),
    "reliability.png": (800, 700),
    "precision-auto-rate.png": (800, 600),
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KERNEL = "spectcoder-notebook-test"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (which the format puts first)."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture
def kernel_manager(tmp_path: Path):
    """A kernel on this interpreter, from a kernel spec of our own.

    On a fresh machine no `python3` kernel may be registered, and a user-level one may
    point at another Python without `nlp`: a spec in a temporary directory naming
    `sys.executable` (the venv after `make install`, which installs ipykernel) avoids both
    without touching the user's Jupyter setup.
    """
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    spec_dir = tmp_path / "kernels" / KERNEL
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "spectcoder (test)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    specs = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    return KernelManager(kernel_name=KERNEL, kernel_spec_manager=specs)


@pytest.fixture
def twenty_heldout_cases(tmp_path: Path) -> Path:
    cases = [c for f in GOLD for c in read_labeled(f) if gold_split(str(c["id"])) == "heldout"]
    path = tmp_path / "eval.jsonl"
    path.write_text("".join(json.dumps(c) + "\n" for c in cases[:20]), encoding="utf-8")
    return path


def test_notebook_is_stored_without_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert code_cells
    assert [(c.outputs, c.execution_count) for c in code_cells] == [([], None)] * len(code_cells)
    assert nb.metadata.kernelspec.name == "python3"
    assert "parameters" in code_cells[0].metadata.get("tags", [])


@pytest.mark.slow
def test_notebook_runs_and_writes_three_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernel_manager, twenty_heldout_cases: Path
) -> None:
    from nbclient import NotebookClient

    figures_dir = tmp_path / "figures"
    # The kernel inherits the environment: these are the notebook's documented overrides.
    monkeypatch.setenv("SPECTCODER_EVAL_FILE", str(twenty_heldout_cases))
    monkeypatch.setenv("SPECTCODER_FIGURES_DIR", str(figures_dir))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb,
        km=kernel_manager,
        timeout=300,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},  # cwd as in Jupyter
    )
    client.execute()  # raises CellExecutionError if any cell fails

    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code_cells] == list(range(1, len(code_cells) + 1))
    outputs = [o for c in code_cells for o in c.outputs]
    assert [o for o in outputs if o.output_type == "error"] == []
    stdout = "".join(o.text for o in outputs if o.output_type == "stream" and o.name == "stdout")
    assert "Evaluated 20 reports from eval.jsonl\n" in stdout
    for name in FIGURES:
        assert f"  {figures_dir / name}\n" in stdout
    # Each figure is also shown inline, as a PNG.
    inline = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(inline) == 3

    assert sorted(p.name for p in figures_dir.iterdir()) == sorted(FIGURES)
    for name, size in FIGURES.items():
        data = (figures_dir / name).read_bytes()
        assert png_size(data) == size, name
        assert len(data) > 10_000, name  # axes, labels and marks, not an empty canvas
    # The notebook on disk is untouched: still without outputs.
    assert all(c.outputs == [] for c in nbformat.read(NOTEBOOK, 4).cells if c.cell_type == "code")
