"""sitrep: a sourced situation picture from news reports."""

__version__ = "0.1.0"
