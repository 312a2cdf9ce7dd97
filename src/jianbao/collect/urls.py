"""URL canonicalization: one spelling per article, so a link seen twice is stored once.

The same article reaches us under many spellings: with share and tracking parameters
(``utm_*``, ``spm``, ``from=timeline``…), with fragments, with parameters in another order,
with the scheme or host in capitals. ``canonicalize_url`` removes all of that. WeChat article
links carry a dozen per-reader parameters; only ``__biz``, ``mid``, ``idx`` and ``sn`` name
the article (stricter generic cleaners drop those too and collapse every WeChat link into
one, which is why these rules are our own on top of w3lib's).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as _w3lib_canonicalize

#: query parameters that only say who shared a link or how it was reached
TRACKING_PARAMS = frozenset(
    {
        "spm",
        "spm_id_from",
        "from",
        "scene",
        "srcid",
        "share_token",
        "share_source",
        "share_medium",
        "share_from",
        "sharer_shareid",
        "sharer_sharetime",
        "sharer_shareinfo",
        "sharer_shareinfo_first",
        "isappinstalled",
        "clicktime",
        "enterid",
        "wfr",
        "tt_from",
        "tt_medium",
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "igshid",
        "s_trans",
        "s_channel",
        "timestamp_share",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "__twitter", "hmsr", "hmpl", "hmcu", "hmkw", "hmci")

WECHAT_HOST = "mp.weixin.qq.com"
#: the parameters that identify a WeChat article; everything else is per reader
WECHAT_ARTICLE_PARAMS = ("__biz", "mid", "idx", "sn")

_DEFAULT_PORTS = {"http": 80, "https": 443}

#: second-level labels under which registrations happen (nhc.gov.cn, sina.com.cn…)
_SECOND_LEVEL = frozenset({"com", "net", "org", "gov", "edu", "ac", "mil", "co", "int"})
#: Chinese provincial second-level domains (bj.cn, sh.cn…)
_CN_PROVINCES = frozenset(
    {
        *("bj", "sh", "tj", "cq", "he", "sx", "nm", "ln", "jl", "hl", "js", "zj", "ah", "fj"),
        *("jx", "sd", "ha", "hb", "hn", "gd", "gx", "hi", "sc", "gz", "yn", "xz", "sn", "gs"),
        *("qh", "nx", "xj", "tw", "hk", "mo"),
    }
)


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonicalize_url(url: str) -> str:
    """The canonical spelling of ``url``.

    Lowercases the scheme and host, drops the default port, the fragment and tracking
    parameters, sorts the query and percent-encodes consistently. WeChat article links
    keep only ``__biz``, ``mid``, ``idx`` and ``sn`` (short ``/s/<id>`` links are kept as
    they are, minus their query). Never raises: an unparsable string is returned stripped.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port
    except ValueError:
        return text
    if scheme not in ("http", "https") or not host:
        return text
    netloc = host if ":" not in host else f"[{host}]"
    if parts.username or parts.password:
        userinfo = parts.username or ""
        if parts.password:
            userinfo += ":" + parts.password
        netloc = f"{userinfo}@{netloc}"
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    path = parts.path or "/"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if host == WECHAT_HOST:
        scheme = "https"
        if path.rstrip("/") in ("/s", "/mp/appmsg/show", "/mp/rumor"):
            wanted = {name: value for name, value in pairs if name in WECHAT_ARTICLE_PARAMS}
            if wanted:
                path = "/s"
                pairs = [(name, wanted[name]) for name in WECHAT_ARTICLE_PARAMS if name in wanted]
            else:
                pairs = [(n, v) for n, v in pairs if not _is_tracking(n)]
        elif path.startswith("/s/"):
            pairs = []
    else:
        pairs = [(name, value) for name, value in pairs if not _is_tracking(name)]
    rebuilt = urlunsplit((scheme, netloc, path, urlencode(pairs), ""))
    try:
        return _w3lib_canonicalize(rebuilt, keep_blank_values=True)
    except Exception:  # w3lib is strict about odd bytes; the rebuilt form is still stable
        return rebuilt


def host_of(url: str) -> str:
    """The lowercased host of ``url`` ('' when there is none)."""
    try:
        return (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def site_of(url: str) -> str:
    """The registrable part of a URL's host: ``www.nhc.gov.cn`` → ``nhc.gov.cn``.

    A small rule set (generic second-level labels and Chinese provinces) instead of the
    whole public-suffix list, which is enough for the outlets jianbao watches. An IP
    address is its own site, port included (two loopback servers are two sites).
    """
    host = host_of(url)
    if not host:
        return ""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        try:
            port = urlsplit(url.strip()).port
        except ValueError:
            port = None
        return f"{host}:{port}" if port else host
    labels = host.split(".")
    if len(labels) <= 2:
        return host
    keep = 2
    if len(labels[-1]) == 2 and (labels[-2] in _SECOND_LEVEL or labels[-2] in _CN_PROVINCES):
        keep = 3
    return ".".join(labels[-keep:])


def same_site(a: str, b: str) -> bool:
    """True when two URLs belong to one site (``www.nhc.gov.cn`` and ``nhc.gov.cn`` do;
    ``nhc.gov.cn`` and ``gov.cn`` do not)."""
    site = site_of(a)
    return bool(site) and site == site_of(b)


def _segments(path: str) -> list[str]:
    return [part for part in path.split("/") if part]


def trusted_canonical(claimed: str | None, fetched: str) -> str:
    """The address to key a fetched page by: the canonical it claims (``<link
    rel=canonical>`` or og:url, made absolute), or ``fetched`` where the claim cannot be
    one article's own address.

    A page's claim is all the store has to tell two spellings of one article apart, but
    it is the page's template that writes it: some point every page at the home page or
    at the channel, and keyed by that claim every article after the first would be
    dropped as "known" without a word. So a claim counts only when it is on the fetched
    page's site (its registrable host; http and https may differ) and is neither the
    site's root nor a folder above the fetched page (``/news/`` for
    ``/news/2026/a.html``; an AMP copy's ``…/story/amp`` may name ``…/story``). A claim
    with a query is taken as naming one page (``/?p=123``).
    """
    if not claimed or claimed == fetched:
        return fetched
    try:
        mine, theirs = urlsplit(fetched.strip()), urlsplit(claimed.strip())
    except ValueError:
        return fetched
    if theirs.scheme.lower() not in ("http", "https") or not same_site(claimed, fetched):
        return fetched
    if not theirs.query:
        above = _segments(theirs.path)
        below = _segments(mine.path)
        if not above:
            return fetched
        # a folder above the page, except the page an AMP copy (``…/story/amp``) names
        rest = below[len(above) :]
        if below[: len(above)] == above and rest and rest != ["amp"]:
            return fetched
    return claimed
