"""jianbao.editions: publications, issue composition and the checker.

- ``numerals``, ``dates``: issue numbers digit by digit (第五四六期), dates in report words
- ``daynote``: China's working days (调休) and the daily note (今日立秋, 今日入伏, 假期)
- ``periods``: the period an issue covers, by the publication's rule
- ``lead``: the 本期导语, from the issue's own figures
- ``compose``: ``build_issue_view``, the IssueView every renderer draws
- ``publication``: publications as configuration (TOML)
- ``issue_store``: drafts, items and numbering in the database
- ``report_doc``, ``report_parse``: reports as written, read from .docx/.md/.txt
- ``check`` (with ``findings``, ``rules_layout``, ``rules_items``, ``linkcheck``): the checker
"""
