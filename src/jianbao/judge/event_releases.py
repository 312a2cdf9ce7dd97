"""A document's release as an event key: 《…》 named as what is released.

Outlets tell one report's release by its figures, its issuer or its advice, and their
headlines may share no word (国家卫健委：成年居民超重肥胖超过50% / 居民不健康生活方式仍
存在). What they share is the document, named in the lead as what was published,
introduced or passed (国新办就《…》有关情况举行发布会, 李斌发布了《…》). A document cited in
passing (依据《…》, 提醒注意《…》相关规定) is no release: one ministry's two stories of a day
may cite the same rules, so a citation alone never joins (issue 20).
"""

from __future__ import annotations

import re

#: a document's name as written in title marks
_DOC_TITLE = re.compile(r"《([^《》]{4,60})》")
_NON_WORD = re.compile(r"[\W_]+")
#: the clause around a document's name says it is the thing released
_RELEASED = re.compile(r"发布|公布|印发|出台|颁布|介绍|审议通过|表决通过")
#: ... unless it says the document is followed, cited or commented on
_CITED = re.compile(r"依据|根据|按照|参照|对照|遵照|注意|落实|贯彻|学习|解读|宣传|培训")
_CLAUSE_END = re.compile(r"[，,。；;！!？?\n]")
#: how far before and after a name its clause is read
BEFORE_CHARS = 24
AFTER_CHARS = 16


def released_documents(text: str) -> frozenset[str]:
    """The documents ``text`` names as released, passed or introduced, each by its name
    without punctuation (《…报告（2020年）》 and 《…报告(2020)年》 are one name)."""
    found = set()
    for match in _DOC_TITLE.finditer(text):
        before = _CLAUSE_END.split(text[max(0, match.start() - BEFORE_CHARS) : match.start()])[-1]
        after = _CLAUSE_END.split(text[match.end() : match.end() + AFTER_CHARS])[0]
        clause = before + "|" + after
        if _RELEASED.search(clause) and not _CITED.search(clause):
            name = _NON_WORD.sub("", match.group(1))
            if len(name) >= 4:
                found.add(name)
    return frozenset(found)


#: the words right before a document's name that make it the basis another document is
#: issued under (按照《…》有关安排，我们组织编写了《…》)
_BASIS = re.compile(r"(?:按照|根据|依据|遵照|落实|贯彻|贯彻落实)$")


def basis_documents(text: str) -> frozenset[str]:
    """The documents ``text`` names as the basis it acts under (按照《X》, 落实《X》), by
    their names without punctuation.

    A notice issued under a plan (按照《“体重管理年”活动实施方案》有关安排，我们组织编写了
    《核心知识》) is its own release, not the plan's: the plan's name in its lead is no
    shared document with the plan's own news (issue 20)."""
    found = set()
    for match in _DOC_TITLE.finditer(text):
        if _BASIS.search(text[max(0, match.start() - 4) : match.start()]):
            name = _NON_WORD.sub("", match.group(1))
            if len(name) >= 4:
                found.add(name)
    return frozenset(found)


def cited_documents(text: str) -> frozenset[str]:
    """The documents ``text`` names only as followed, cited or commented on (依据《…》,
    注意《…》相关规定), by their names without punctuation: one ministry's two stories of
    a day may cite one rule, so such a name and a day both name are no one release."""
    cited: set[str] = set()
    named: set[str] = set()
    for match in _DOC_TITLE.finditer(text):
        name = _NON_WORD.sub("", match.group(1))
        before = _CLAUSE_END.split(text[max(0, match.start() - BEFORE_CHARS) : match.start()])[-1]
        after = _CLAUSE_END.split(text[match.end() : match.end() + AFTER_CHARS])[0]
        (cited if _CITED.search(before + "|" + after) else named).add(name)
    return frozenset(cited - named)
