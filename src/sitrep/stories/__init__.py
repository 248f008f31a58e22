"""Stories: online clustering of articles, event coreference, claim matching and corroboration
counted by independent origin."""
from sitrep.stories.build import build_story
from sitrep.stories.cluster import StoryClusterer, StoryInfo
from sitrep.stories.coref import merge_events
from sitrep.stories.corroboration import corroborate, origin_key

__all__ = ["StoryClusterer", "StoryInfo", "build_story", "corroborate", "merge_events", "origin_key"]
