"""The pipeline checks its composition when it is built: every stage's requirements are filled by
the cleaning or by a stage before it (``sitrep.stages``), before any model loads."""
from __future__ import annotations

import pytest

from sitrep.claims import ClaimStage
from sitrep.engines import make_engine
from sitrep.events.stage import EventStage
from sitrep.nlp.stage import ParseStage
from sitrep.pipeline import CLEANED, Pipeline
from sitrep.stages import CompositionError, check_composition, default_stage_types
from sitrep.store.sqlite import SQLiteRepository


@pytest.fixture
def repo(tmp_path):
    return SQLiteRepository(tmp_path / "s.sqlite")


def test_standard_composition_is_parse_claims_events_and_passes(repo):
    assert default_stage_types() == [ParseStage, ClaimStage, EventStage]
    pipeline = Pipeline(repo, engine=make_engine(workers=1))  # the model is not loaded to check
    assert [s.name for s in pipeline.engine.declared_stages] == ["parse", "claims", "events"]
    assert [s.name for s in pipeline.corpus_stages] == ["line_stats", "entity_resolver", "story_clusterer"]


def test_claims_without_the_parse_fail_at_construction(repo):
    with pytest.raises(CompositionError, match=r"stage 'claims' requires article\.doc, which no stage before it assigns"):
        Pipeline(repo, engine=make_engine(stages=[ClaimStage()]), resolve_entities=False, cluster_stories=False)


def test_entity_resolution_without_mentions_fails_at_construction(repo):
    with pytest.raises(CompositionError, match=r"stage 'entity_resolver' requires article\.mentions"):
        Pipeline(repo, engine=make_engine(stages=[]), resolve_entities=True, cluster_stories=False)


def test_a_later_stage_does_not_fill_an_earlier_stage_requirement():
    with pytest.raises(CompositionError, match=r"stage 'events' requires article\.claims"):
        check_composition([ParseStage, EventStage, ClaimStage], CLEANED)
    check_composition([ParseStage, ClaimStage, EventStage], CLEANED)  # the right order passes


def test_a_declared_attribute_an_article_lacks_is_an_error():
    class Typo:
        name = "typo"
        requires = ("txt",)
        assigns: tuple[str, ...] = ()

    with pytest.raises(CompositionError, match=r"stage 'typo' declares txt, which an Article does not have"):
        check_composition([Typo], CLEANED)


def test_given_stages_run_only_on_the_local_engine():
    with pytest.raises(ValueError, match="use the local engine"):
        make_engine("ray", stages=[])
    with pytest.raises(ValueError, match="unknown engine"):
        make_engine("spark")
