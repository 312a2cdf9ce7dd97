"""The pieces of a headline and lead that every reader of the event stage shares.

Each specific the event stage reads (places, days, counts, names, incidents, the phase) is
read from the same normalized headline and lead: how much of the body is the lead, how a
first sentence and a clause end, and the mainland spelling of names Hong Kong's and
Taiwan's outlets write otherwise. They are kept here, below every reader, so that the
readers depend on this module and not on one another for them; so is the one empty set
that an article's empty facts share (issue 21).
"""

from __future__ import annotations

import re

#: characters of the body read as its lead
LEAD_CHARS = 200

#: Hong Kong's and Taiwan's spellings of names in the news (as OpenCC's t2s leaves them:
#: 伊莉莎白, 菲腊, 伊波拉, 兹卡), read as the mainland's: outlets that tell one death or one
#: declaration share its name once it is spelled one way. The judge's normalisation
#: converts characters only (:mod:`jianbao.judge.normalize`), and the lexicon's regional
#: forms match its own terms without rewriting the text; the event stage compares whole
#: headlines, so it rewrites the names in what it compares, as it reads the spellings of
#: places abroad (:mod:`jianbao.judge.event_places`)
# fmt: off
NAME_SPELLINGS = {
    "伊莉莎白": "伊丽莎白", "菲腊": "菲利普", "查理斯": "查尔斯", "佛奇": "福奇",
    "川普": "特朗普", "普丁": "普京", "蒲亭": "普京", "梅克尔": "默克尔", "马克宏": "马克龙",
    "伊波拉": "埃博拉", "兹卡": "寨卡", "屈公病": "基孔肯雅热", "沙士": "非典",
    "武汉肺炎": "新冠肺炎", "中东呼吸综合症": "中东呼吸综合征",
}
# fmt: on
_NAME_SPELLING = re.compile(
    "|".join(sorted((k for k, v in NAME_SPELLINGS.items() if k != v), key=len, reverse=True))
)


def _spelled(text: str) -> str:
    """``text`` with Hong Kong's and Taiwan's spellings of names (:data:`NAME_SPELLINGS`)
    read as the mainland's."""
    if _NAME_SPELLING.search(text) is None:
        return text
    return _NAME_SPELLING.sub(lambda found: NAME_SPELLINGS[found.group(0)], text)


_FIRST_SENTENCE = re.compile(r"[^。!?！？]*")
_CLAUSE = re.compile(r"[，,。；;！!？?]")

_NON_WORD = re.compile(r"[\W_]+")

#: the empty set an article's empty facts share (issue 21), and the readers return
_NONE: frozenset[str] = frozenset()
