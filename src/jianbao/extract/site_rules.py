"""Site rules: where a few templates keep their title, body, source and date.

Format (one ``SiteRule`` per template, applied before the general method):

``name``
    what the rule is for (shown in the extraction's ``method``).
``hosts``
    host names the rule applies to (a host matches itself and its subdomains). Empty:
    the rule applies wherever ``detect`` finds something — used for templates that are
    served from many hosts (WeChat articles are copied and mirrored widely).
``detect``
    XPath that must match for the rule to apply (the template's signature).
``body`` / ``title`` / ``source`` / ``author`` / ``date``
    XPaths, tried in order; the first that yields text wins. ``body`` names elements
    whose paragraphs form the article; the others name elements whose text is the field
    (a ``date`` text is parsed; a ``source`` / ``author`` text may keep its label).
``remove``
    XPaths of elements inside the body to drop first (share bars, QR blocks).

Rules are data: adding a site is adding an entry here, with a small page in the tests.
They exist for templates the general method gets wrong, never for pages it gets right.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SiteRule:
    name: str
    detect: str
    hosts: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    #: read a publish time from script variables (var ct = "unix seconds")
    date_from_script: bool = False


SITE_RULES: tuple[SiteRule, ...] = (
    SiteRule(
        name="wechat",
        detect="//*[@id='js_content']",
        body=("//*[@id='js_content']",),
        title=(
            "//*[@id='activity-name']",
            "//meta[@property='og:title']/@content",
            "//h1[contains(@class,'rich_media_title')]",
        ),
        source=("//*[@id='js_name']", "//meta[@name='author' and false()]/@content"),
        author=(
            "//meta[@name='author']/@content",
            "//*[@id='js_author_name']",
            "//*[contains(@class,'rich_media_meta_text') and not(@id)]",
        ),
        date=("//*[@id='publish_time']",),
        remove=(
            "//*[@id='js_pc_qr_code']",
            "//*[contains(@class,'qr_code_pc')]",
            "//*[@id='js_tags']",
            "//*[contains(@class,'reward_area')]",
        ),
        date_from_script=True,
    ),
    SiteRule(
        name="nhc-xw_box",
        hosts=("nhc.gov.cn",),
        detect="//*[@id='xw_box']",
        body=("//*[@id='xw_box']",),
        title=("//div[contains(@class,'tit')]", "//meta[@name='ArticleTitle']/@content"),
        source=("//div[contains(@class,'source')]",),
        date=("//div[contains(@class,'source')]", "//meta[@name='PubDate']/@content"),
        remove=("//*[contains(@class,'fx')]",),
    ),
    SiteRule(
        name="nhc-ucap",
        hosts=("nhc.gov.cn",),
        detect="//*[@id='UCAP-CONTENT']",
        body=("//*[@id='UCAP-CONTENT']",),
        title=("//div[contains(@class,'article')]/h1", "//meta[@name='ArticleTitle']/@content"),
        source=(
            "//meta[@name='ContentSource']/@content",
            "//div[contains(@class,'article')]//*[contains(@class,'source')]",
        ),
        date=(
            "//meta[@name='PubDate']/@content",
            "//div[contains(@class,'article')]//*[contains(@class,'source')]",
        ),
    ),
)
