"""Claims and their sourcing chains: who said what, through whom, hedged or denied."""
from sitrep.claims.extract import extract_claims
from sitrep.claims.mentions import extract_mentions, mention_type
from sitrep.claims.stage import ClaimStage

__all__ = ["ClaimStage", "extract_claims", "extract_mentions", "mention_type"]
