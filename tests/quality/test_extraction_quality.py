"""The extraction quality gate: aeval on both evaluation sets must stay at or above the floors in floors.toml."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
FLOORS = Path(__file__).with_name("floors.toml")
DATASETS = ("aeb", "fundus")


@pytest.fixture(scope="module")
def aeval_runs(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """One aeval run per data set through `builtin:newscrawl`: its scores and its per-page records."""
    out = tmp_path_factory.mktemp("aeval")
    env = {**os.environ, "PYTHONPATH": str(shared_dir / "eval"), "AEVAL_DATA": str(shared_dir / "data")}
    runs = {}
    for dataset in DATASETS:
        done = subprocess.run(
            [sys.executable, "-m", "aeval", "run", "--dataset", dataset, "--extractor", "builtin:newscrawl",
             "--out", str(out), "--timeout", "30"],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=1200, check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        folder = out / dataset
        runs[dataset] = {
            "scores": json.loads((folder / "newscrawl.scores.json").read_text(encoding="utf-8")),
            "pages": [json.loads(line) for line in
                      (folder / "newscrawl.jsonl").read_text(encoding="utf-8").splitlines()],
        }
    return runs


@pytest.mark.parametrize("dataset", DATASETS)
def test_scores_stay_above_their_floors(dataset: str, aeval_runs: dict[str, dict[str, Any]]) -> None:
    floors: dict[str, float] = tomllib.loads(FLOORS.read_text(encoding="utf-8"))[dataset]
    scores = aeval_runs[dataset]["scores"]
    below = {
        metric: {"floor": floor, "measured": scores.get(metric)}
        for metric, floor in floors.items()
        if not isinstance(scores.get(metric), int | float) or scores[metric] < floor
    }
    assert not below, f"{dataset}: below the floors in {FLOORS.name}: {json.dumps(below, indent=1)}"


@pytest.mark.parametrize("dataset", DATASETS)
def test_no_page_raises(dataset: str, aeval_runs: dict[str, dict[str, Any]]) -> None:
    failed = {page["id"]: page["error"] for page in aeval_runs[dataset]["pages"] if page["error"]}
    assert not failed, failed
