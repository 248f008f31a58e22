"""The Ray engine gives the same results as the local engine on the same corpus."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import import_or_unavailable
from support import repository_snapshot

from sitrep.engines import make_engine
from sitrep.pipeline import Pipeline
from sitrep.store.sqlite import SQLiteRepository

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "sitrep" / "samples" / "corpus"


@pytest.mark.slow
def test_local_engine_runs_the_stages_in_several_processes_with_the_same_results(tmp_path):
    inputs = [SAMPLES / "txt", SAMPLES / "records"]
    one = SQLiteRepository(tmp_path / "one.sqlite")
    Pipeline(one, engine=make_engine("local", workers=1)).ingest(inputs)
    two = SQLiteRepository(tmp_path / "two.sqlite")
    pipeline = Pipeline(two, engine=make_engine("local", workers=2), batch_size=8)
    try:
        pipeline.ingest(inputs)
        engine = pipeline.engine
        # every batch went to the two forked workers, which inherited the one build of the stages
        assert len(engine.worker_pids) == 2 and os.getpid() not in engine.worker_pids
        assert engine.model_loads == 1 and {"parse", "claims", "events"} <= set(engine.stage_cpu)
    finally:
        pipeline.engine.close()
    a, b = repository_snapshot(one), repository_snapshot(two)
    assert a["articles"] and a["claims"] and a["events"]
    for key in a:
        assert a[key] == b[key], f"{key} differ between one and two parsing processes"


@pytest.mark.slow
def test_ray_engine_matches_local_engine(tmp_path):
    import_or_unavailable("ray", "the Ray engine test needs the extra: pip install 'sitrep[ray]'")
    inputs = [SAMPLES / "txt", SAMPLES / "records"]
    local = SQLiteRepository(tmp_path / "local.sqlite")
    Pipeline(local, engine=make_engine("local", workers=1)).ingest(inputs)
    distributed = SQLiteRepository(tmp_path / "ray.sqlite")
    pipeline = Pipeline(distributed, engine=make_engine("ray", num_cpus=2), batch_size=4)
    try:
        pipeline.ingest(inputs)
        engine = pipeline.engine
        # many pipeline batches, yet the stages (the model) were built once per worker process
        assert engine.worker_pids and engine.model_loads == len(engine.worker_pids) <= 2
    finally:
        pipeline.engine.close()
    a, b = repository_snapshot(local), repository_snapshot(distributed)
    assert a["articles"] and a["claims"] and a["events"]
    for key in a:
        assert a[key] == b[key], f"{key} differ between the local and the Ray engine"
