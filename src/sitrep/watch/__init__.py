"""``sitrep watch``: follow feeds, sitemaps, OPML lists and folders, and ingest what is new.

``sources`` says what a fetched source lists (article URLs, or further sources), ``fetch`` is the
one HTTP client every request goes through (robots.txt, per-host delay, backoff, caps), ``state``
keeps the crawl state in the store so a re-run or a killed watch fetches nothing twice without
reason, and ``run`` makes one pass over the sources and hands the pages to the ``Pipeline``.
"""
