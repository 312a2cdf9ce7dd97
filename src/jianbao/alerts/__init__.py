"""Alerts (预警): hot and risky stories told to the right people within minutes.

The middle layer beside ``editions`` and ``deliver``: ``rules`` decides whether a story
fires and at which level (``levels``), from the judge stage's risk and sentiment, a spike
(``spike``) and the watch list (``watch``); ``store`` keeps one alert per story and level
and the editors' handling; ``quiet`` holds non-red alerts through the night; ``message``
words the notice; ``job`` is what ``jianbao run`` calls at each tick, ``backoff`` bounds
its sending (one try per pass, growing waits after a refusal) and ``sends`` reads what
became of each send from the delivery log; ``dryrun`` replays a rule over the last 30 days
for the rule editor. Nothing here imports ``jobs``, ``pipeline``, ``web`` or ``cli``
(tests/alerts/test_layering.py).
"""
