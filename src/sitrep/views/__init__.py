"""Read-side views over a ``Repository``: compound reads (a story's dossier, an entity's events)
and exports (ACLED CSV, GeoJSON, claims CSV).

They live apart from ``api`` because three faces use them: the CLI, the web pages and the HTTP
API. ``api`` keeps only what is HTTP (routes, parameters, caching, errors, the app).
"""
