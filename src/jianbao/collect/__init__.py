"""jianbao.collect: from sources to article links and fetched pages.

Modules, each named for what it holds (import them directly; this package imports nothing
so that loading one piece stays cheap):

- ``fetcher``: ``Fetcher`` — polite, bounded, SSRF-guarded HTTP GETs with retries.
- ``ssrf``: the guard against fetching loopback, private and reserved addresses.
- ``robots``: robots.txt rules, cached per origin.
- ``urls``: ``canonicalize_url``, ``same_site``.
- ``feeds``: ``parse_feed`` (RSS, Atom, JSON Feed); ``listing``: ``find_article_links``,
  ``find_next_page``; ``sitemaps``: ``parse_sitemap``; ``dates``: dates next to links.
- ``discover``: ``discover_links`` (one page) and ``discover_source`` (pagination,
  sitemap indexes) by source kind; ``probe``: ``probe_source`` for ``sources test``.
- ``opml`` and ``sourcefile``: sources in and out as OPML, YAML or TOML.
- ``schedule``: adaptive poll intervals; ``health``: is a source quiet or failing.
"""
