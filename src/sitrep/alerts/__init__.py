"""Alerts: rules an analyst writes once, matched against what each watch pass (or ingest) adds.

``rules`` reads and checks a rules file (TOML), ``notices``
holds the records the watch loop hands over besides the store's (an article revised), ``match``
is the pure matching of one rule against one model record, and ``scan`` is the I/O edge: it reads
what is new since each rule's cursor, writes each match as one JSON line, POSTs it to a webhook if
asked, and remembers what fired so a rule fires once per object.
"""
from .match import Alert
from .notices import ArticleRevised
from .rules import Rule, RulesError, load_rules, parse_rules
from .scan import Alerter

__all__ = ["Alert", "Alerter", "ArticleRevised", "Rule", "RulesError", "load_rules", "parse_rules"]
