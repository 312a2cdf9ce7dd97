"""Alerts (预警): hot and risky stories told to the right people within minutes.

The middle layer beside ``editions`` and ``deliver``: ``rules`` decides whether a story
fires and at which level (``levels``), from the judge stage's risk and sentiment, a spike
(``spike``) and the watch list (``watch``); ``store`` keeps one alert per story and level
and the editors' handling; ``quiet`` holds non-red alerts through the night; ``message``
words the notice; ``job`` is what ``jianbao run`` calls at each tick; ``dryrun`` replays a
rule over the last 30 days for the rule editor.
"""
