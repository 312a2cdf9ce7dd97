"""Patterns and word lists the extractor uses, kept as data apart from the algorithms.

Each table is named for what it recognises. The algorithms in ``byline``, ``dates``,
``cleanup`` and ``body`` read these tables; adding a new label or a new noise phrase is a
one-line change here, with a test beside it.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------
# Byline labels: the 来源/作者/编辑/时间 lines Chinese news pages print around the body.
# Each field maps to the labels that introduce it (longest first matters little: the
# regex built from them is an alternation anchored on the colon that follows).

SOURCE_LABELS = (
    "来源",
    "稿源",
    "来源于",
    "出处",
    "信息来源",
    "文章来源",
    "消息来源",
    "來源",
    "稿件来源",
)
AUTHOR_LABELS = (
    "作者",
    "记者",
    "撰稿",
    "撰文",
    "文",
    "作 者",
    "作者姓名",
    "通讯员",
    "記者",
    "撰文者",
)
EDITOR_LABELS = (
    "责任编辑",
    "责编",
    "编辑",
    "编辑人",
    "审核",
    "审校",
    "校对",
    "签发",
    "监制",
    "统筹",
    "值班编辑",
    "主编",
    "终审",
    "初审",
    "复审",
    "美编",
    "编审",
    "策划",
    "責任編輯",
    "編輯",
)
TIME_LABELS = (
    "发布时间",
    "发布日期",
    "发表时间",
    "发表日期",
    "更新时间",
    "时间",
    "日期",
    "发文日期",
    "成文日期",
    "发稿时间",
    "發佈時間",
    "發布時間",
    "發表時間",
    "日期",
    "刊发时间",
    "发布于",
    "Published",
)
#: labels that only count a page, never carry an article field: 浏览次数：123
COUNTER_LABELS = (
    "浏览次数",
    "点击数",
    "阅读数",
    "访问量",
    "浏览量",
    "点击",
    "阅读",
    "字号",
    "打印",
)

#: class/id of an element that holds the outlet's name without a label (<a class="source">)
SOURCE_CLASS = (
    r"(?:^|[\s_-])(?:source|media[-_]?name|laiyuan|ly|come[-_]?from|from|origin)(?:$|[\s_-])"
)
#: class/id of an element that holds the author's name without a label
AUTHOR_CLASS = r"(?:^|[\s_-])(?:author|writer|byline[-_]?name|zuozhe)(?:$|[\s_-])"

#: reporter credits printed in the text: 本报记者 张三 / （记者 李四） / 新京报记者 王五 北京报道
REPORTER_CREDIT = (
    r"(?:本报|本台|总台|本刊|本网|新华社|中新社|中新网|[\u4e00-\u9fff]{2,6}报|[\u4e00-\u9fff]{2,4}网)?"
    r"(?:特约|实习|首席)?记者\s*[:：]?\s*"
    r"(?P<names>[\u4e00-\u9fff]{2,4}(?:[ \u3000、]+[\u4e00-\u9fff]{2,4}){0,4})"
    r"(?=\s*[)）/]|\s*$|\s+[\u4e00-\u9fff]{0,6}(?:报道|報導)|(?:发自|發自|電|电)|\s)"
)
#: a closing credit of names alone: （常书香 马丹阳） / （姚峰 上海报道）
CLOSING_CREDIT = (
    r"[（(]\s*(?P<names>[\u4e00-\u9fff]{2,4}(?:[\s、，,]+[\u4e00-\u9fff]{2,4}){0,4})"
    r"(?:\s+[\u4e00-\u9fff]{2,6}(?:报道|報導))?\s*[)）]\s*$"
)
#: words that end an organisation's name, not a person's (a credit like （新华社） is a source)
NOT_A_NAME = r"(?:社|网|報|报|台|局|部|委|院|会|站|中心|公司|集团|新闻|记者|编辑|完|图|摄)$"

# ---------------------------------------------------------------------------------------
# Date sources in the markup, most trusted first.

#: <meta> names/properties that carry the publish time
DATE_META_KEYS = (
    "article:published_time",
    "og:published_time",
    "og:release_date",
    "datepublished",
    "publishdate",
    "pubdate",
    "publish_date",
    "publishtime",
    "publish-date",
    "firstpublishedtime",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "weibo: article:create_at",
    "created",
    "date",
)
#: <meta> names that carry a date that is *not* the first publication
DATE_META_LATER = ("article:modified_time", "og:updated_time", "lastmodifiedtime", "lastmodified")

# ---------------------------------------------------------------------------------------
# Noise: whole paragraphs dropped from a body (regexes matched against the paragraph).

NOISE_PARAGRAPHS = (
    r"^(分享到|分享至|分享|轉寄|转寄)[:：]?.{0,40}$",
    r"^(【|\[)?\s*(列印|關閉|關閉視窗|回到頂部|列印本頁|友善列印|加入書籤)\s*(】|\])?"
    r"(\s*(【|\[)?\s*(列印|關閉|關閉視窗|回到頂部|列印本頁|友善列印|加入書籤|分享)\s*(】|\])?)*$",
    r"^.{0,12}(字型|字體)(大小)?[:：]?\s*[【\[]?\s*(大|小)\s*[】\]]?.{0,30}$",
    r"^(掃一掃|掃描二維碼|長按二維碼|掃描QR ?[Cc]ode|用微信掃描).{0,60}$",
    r"^(【|\[)?\s*(打印|关闭|关闭窗口|打印本页|关闭本页|返回顶部|收藏|纠错|举报)\s*(】|\])?"
    r"(\s*(【|\[)?\s*(打印|关闭|关闭窗口|打印本页|关闭本页|返回顶部|收藏|纠错|举报|分享)\s*(】|\])?)*$",
    r"^.{0,12}字号[:：]?\s*[【\[]?\s*大\s*[】\]]?\s*[【\[]?\s*中\s*[】\]]?\s*[【\[]?\s*小.{0,30}$",
    r"^(扫一扫|扫描二维码|长按二维码|长按识别|微信扫一扫|用微信扫描|打开微信|扫码).{0,60}$",
    r"^.{0,30}(扫一扫|二维码|扫码关注|扫描下方|识别二维码).{0,30}$",
    r"^(相关阅读|相关新闻|相关文章|相关链接|延伸阅读|推荐阅读|热点推荐|更多阅读|热门推荐|往期回顾"
    r"|猜你喜欢|精彩推荐|阅读排行|热门文章|相關新聞|相關閱讀)[:：]?\s*$",
    r"^(版权所有|版權所有|Copyright|copyright|COPYRIGHT|©|\(c\)).{0,200}$",
    r"^.{0,40}(版权所有|版權所有|保留所有权利|All Rights Reserved|ICP备|ICP證|ICP证|公网安备)"
    r".{0,200}$",
    r"^.{0,8}(免责声明|免責聲明|声明|聲明|版权声明|特别声明)[:：].{0,400}$",
    r"^.{0,200}(不意味着赞同其观点|不代表本网观点|不代表本站观点|并不意味著贊同).{0,100}$",
    r"^.{0,60}(未经授权|未经许可|未經授權)(不得|禁止|严禁).{0,200}$",
    r"^.{0,40}(转载请注明|转载请联系|如需转载|欢迎转载).{0,100}$",
    r"^.{0,80}(不代表本(网|站|平台|报|刊|号).{0,8}(观点|立场)|仅供参考|不构成投资建议).{0,200}$",
    r"^(电话|電話|传真|傳真|邮箱|郵箱|E-?mail|地址|邮编)[:：].{0,80}$",
    r"^.{0,40}(Facebook|facebook|微博|微信|Twitter)\s*(专页|專頁|公众号|公眾號|账号|帳號).{0,80}$",
    r"^[（(](即时新闻|即時新聞|完|本报讯|综合报道|綜合報道)[)）]$",
    r"^.{0,20}(人已评|人参与|条评论|人评论|人收藏)\s*$",
    r"^(更多关于|查看更多|更多精彩|更多新闻)[:：]?.{0,20}$",
    r"^.{0,12}(爆料|投稿)(热线|邮箱|电话)?.{0,40}$",
    r"^(上一篇|下一篇|上一页|下一页|上一條|下一條|上一条|下一条)[:：].{0,80}$",
    r"^(点击|點擊)(进入|查看|阅读|这里|此处).{0,40}$",
    r"^(本文|本篇)?(来源|来自)[:：]?(微信公众号|公众号).{0,40}$",
    r"^(关注|關注)(我们|我們|公众号|微信).{0,40}$",
    r"^(图片|图|圖|图源|图片来源|图片来自|摄影|攝影|视觉中国供图|资料图)[:：/].{0,40}$",
    r"^(（|\()?(图片|图|圖)(片)?(来源|來源|来自)[:：].{0,40}(）|\))?$",
    r"^.{0,30}(供图|/摄|摄影|拍摄|資料照|资料图片)(）|\))?$",
    r"^(【|\[)?(责任编辑|责编|编辑|編輯|責任編輯)[:：].{0,30}(】|\])?$",
    r"^(标签|关键词|關鍵詞|关键字|Tags?)[:：].{0,80}$",
    r"^(我要评论|发表评论|网友评论|评论|查看评论|已有\d+人参与|参与讨论).{0,20}$",
    r"^(返回|回到)(首页|顶部|列表|栏目).{0,10}$",
    r"^(阅读|浏览|点击|閱讀)(次数|数|量)?[:：]?\s*\d+.{0,10}$",
    r"^(原标题|原標題)[:：].{0,80}$",
    # a label left alone once its links are gone, and an ad marker
    r"^(附件|相关附件|附件下载)[:：]?\s*$",
    r"^(广告|廣告|推广|Advertisement|AD)$",
    # a photo caption ending in its credit: …患者在自助机上办理业务。记者 陈子航 摄
    r"^.{0,80}(记者|通讯员|摄影记者|記者)\s*[\u4e00-\u9fff]{2,4}(\s+[\u4e00-\u9fff]{2,4})?\s*摄[)）]?$",
    r"^(编者按|编者注)$",
    r"^(打印|关闭|收藏|分享|点赞|在看|赞|阅读原文|推荐|不推荐|想买|观望|顶|踩|支持|反对)$",
    r"^\d+\s*(票|人投票|人参与)$",
    r"^.{0,6}(已有|共有).{0,12}(位|人|条)(用户|网友)?(评论|参与|跟帖).{0,20}$",
    r"^(微信|微博|QQ空间|QQ|腾讯微博|新浪微博|人人网|豆瓣|朋友圈)(\s*(微信|微博|QQ空间|QQ"
    r"|腾讯微博|新浪微博|人人网|豆瓣|朋友圈))*$",
)

#: a paragraph that starts one of these ends the article: what follows is a list or a footer
TAIL_STARTERS = (
    r"^(相关阅读|相关新闻|相关文章|相关链接|延伸阅读|推荐阅读|更多阅读|热点推荐|热门推荐|往期回顾"
    r"|猜你喜欢|精彩推荐|阅读排行|热门文章|相關新聞|相關閱讀|延伸閱讀|往期推荐)[:：]?",
    r"^(更多|查看更多)?(相关|相關)的?(新闻|新聞|文章|阅读|閱讀|报道|報導|链接|鏈接)[:：]?\s*$",
    r"^(图片精选|圖片精選|精彩图片|精彩圖片|热点图片|熱點圖片|今日推荐|今日推薦)[:：]?\s*$",
    r"^(调查|網友調查|网友调查|投票|我要投票|参与调查|參與投票|在线调查)[:：]?\s*$",
    r"^(上一篇|下一篇)[:：]",
)

#: a paragraph that is one of these ends the article for good: a disclaimer, comments
END_MARKERS = (
    r"^.{0,20}(免责声明|免責聲明|版权声明|版權聲明|版权与免责声明|版權與免責聲明|声明|聲明"
    r"|特别声明)[:：]?\s*$",
    r"^(网友评论|網友評論|发表评论|我要评论|评论区|热门评论|最新评论|已有\d+条评论)[:：]?.{0,20}$",
    r"^(系统消息|請您對該文章評分|请您对该文章评分).{0,30}$",
)

#: removed from inside a paragraph (the rest of the paragraph is kept)
INLINE_NOISE = (
    # stock quotes injected by portals: 智能机器人(11.170, -0.09, -0.80%)
    r"(?<=[\u4e00-\u9fffA-Za-z])[（(]\s*-?\d+(?:\.\d+)?\s*[,，]\s*[-+]?\d+(?:\.\d+)?\s*[,，]"
    r"\s*[-+]?\d+(?:\.\d+)?%\s*[)）]",
    # 股票代码 lists: (600000.SH) or （00700.HK）
    r"[（(]\s*(?:\d{6}\.(?:SH|SZ|sh|sz)|\d{4,5}\.(?:HK|hk))\s*[)）](?=\s*[，。、）)])?",
    r"[\[【]\s*(责任编辑|责编|编辑|編輯|責任編輯)[:：][^】\]]{0,30}[】\]]",
    r"[(（]\s*(责任编辑|责编|编辑|編輯|責任編輯)[:：][^)）]{0,30}[)）]\s*$",
    r"\s*[\[【]\s*(打印|关闭|纠错|收藏|大|中|小)\s*[】\]]",
    r"(?<=。)\s*(?:（|\()?(完|全文完)(?:）|\))$",
)
