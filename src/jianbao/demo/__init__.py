"""The bundled demo: fictional outlets and articles served over loopback HTTP.

``content`` loads the articles from ``articles.yaml``; ``site`` builds the pages, feeds and
listings and serves them (``serve_demo``); ``run`` drives ``jianbao demo``. To browse the
site by hand: ``python -m jianbao.demo [port]``.
"""
