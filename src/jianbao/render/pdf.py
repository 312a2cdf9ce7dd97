"""PDF from the Word document, through LibreOffice headless.

Converting the .docx keeps one layout for both (the center circulates both). The real
仿宋_GB2312 / 方正小标宋 fonts are rarely installed on a server, so a private fontconfig
file maps the names the document asks for to installed CJK fonts (Noto Serif CJK for the
serif faces, Noto Sans CJK for 黑体, the heaviest Noto Serif CJK for the 小标宋 title).
LibreOffice runs (``jianbao.soffice``, shared with the archive import) with a private
profile, kept between runs (building one costs seconds) and locked while in use; the
links it does not write into the PDF are added afterwards (``pdf_links``). When
``soffice`` is not installed the renderer switches itself off with NotConfigured, saying
what to install.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from jianbao.errors import NotConfigured, RenderError
from jianbao.records import IssueView
from jianbao.render.docx import DocxStyle, render_docx
from jianbao.render.pdf_links import annotate_links, docx_links
from jianbao.soffice import SofficeFailed, convert, soffice_path

log = logging.getLogger(__name__)

#: the document's font names → fonts to use in their place (first installed wins)
SERIF_FALLBACKS = (
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "AR PL UMing CN",
    "WenQuanYi Zen Hei",
)
SANS_FALLBACKS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
)
SERIF_NAMES = (
    "仿宋_GB2312",
    "仿宋",
    "FangSong",
    "FangSong_GB2312",
    "楷体_GB2312",
    "楷体",
    "KaiTi",
    "宋体",
    "SimSun",
    "方正仿宋_GBK",
)
SANS_NAMES = ("黑体", "SimHei", "微软雅黑", "Microsoft YaHei")
#: 小标宋 is a heavy Song (serif) face: a regular serif or any sans in its place makes a
#: thin title, so these names get the serif fallbacks at the heaviest installed weight
#: (Noto Serif CJK Black with fonts-noto-cjk-extra, else Bold)
TITLE_NAMES = (
    "方正小标宋简体",
    "方正小标宋_GBK",
    "方正小标宋",
    "小标宋",
    "FZXiaoBiaoSong-B05S",
)


def _font_groups(style: DocxStyle) -> tuple[list[str], list[str], list[str]]:
    """(serif, sans, heavy serif) names: the style's own fonts join the group of their
    slot unless the name is already known as another kind (a title set in 黑体 stays sans)."""
    known = set(SERIF_NAMES) | set(SANS_NAMES) | set(TITLE_NAMES)
    title = set(TITLE_NAMES) | ({style.title_font} - known)
    sans = set(SANS_NAMES) | ({style.heading_font} - known - title)
    serif = set(SERIF_NAMES) | ({style.body_font, style.subheading_font} - known - title - sans)
    return sorted(serif), sorted(sans), sorted(title)


def fontconfig_aliases(style: DocxStyle | None = None) -> str:
    """A fonts.conf that includes the system configuration and adds the CJK aliases.

    LibreOffice asks fontconfig for a substitute only when the document's font is not
    installed, so a real 仿宋_GB2312 or 方正小标宋 on the machine is used as it is.
    """
    serif, sans, title = _font_groups(style or DocxStyle())
    lines = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        "<fontconfig>",
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
    ]
    for names, fallbacks in ((serif, SERIF_FALLBACKS), (sans, SANS_FALLBACKS)):
        for name in names:
            lines.append('  <alias binding="same">')
            lines.append(f"    <family>{escape(name)}</family>")
            lines.append("    <prefer>")
            lines += [f"      <family>{escape(f)}</family>" for f in fallbacks]
            lines.append("    </prefer>")
            lines.append("  </alias>")
    for name in title:
        # an alias cannot change the weight: a match rule does (black → the heaviest
        # weight the fallback family has installed)
        lines.append('  <match target="pattern">')
        lines.append(f'    <test name="family" qual="any"><string>{escape(name)}</string></test>')
        lines.append('    <edit name="family" mode="prepend" binding="strong">')
        lines += [f"      <string>{escape(f)}</string>" for f in SERIF_FALLBACKS]
        lines.append("    </edit>")
        lines.append('    <edit name="weight" mode="assign" binding="strong">')
        lines.append("      <const>black</const>")
        lines.append("    </edit>")
        lines.append("  </match>")
    lines.append("</fontconfig>")
    return "\n".join(lines) + "\n"


def find_soffice(explicit: str | None = None) -> str:
    """The LibreOffice executable, or NotConfigured saying how to install it."""
    path = soffice_path(explicit)
    if path is None:
        raise NotConfigured(
            "未安装 LibreOffice，无法生成 PDF",
            item="soffice",
            hint=(
                "安装：apt-get install libreoffice-writer-nogui fonts-noto-cjk"
                "（或用环境变量 JIANBAO_SOFFICE 指明路径）"
            ),
        )
    return path


def _work_dir() -> Path:
    """LibreOffice's private profile, home and font configuration, kept between runs.

    A fresh profile costs LibreOffice about three seconds to build, so one is kept per
    user (conversions take a lock, since one profile cannot serve two at once).
    """
    base = os.environ.get("JIANBAO_LIBREOFFICE_DIR")
    path = Path(base) if base else Path(tempfile.gettempdir()) / f"jianbao-lo-{os.getuid()}"
    (path / "home").mkdir(parents=True, exist_ok=True)
    return path


def docx_to_pdf(
    docx: Path, out_dir: Path, *, soffice: str | None = None, style: DocxStyle | None = None
) -> Path:
    """Convert ``docx`` to ``out_dir/<stem>.pdf`` with LibreOffice headless, its
    hyperlinks made clickable (``pdf_links``: LibreOffice headless writes none)."""
    exe = find_soffice(soffice)
    work = _work_dir()
    with open(work / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        fonts = work / "fonts.conf"
        fonts.write_text(fontconfig_aliases(style), encoding="utf-8")

        def run() -> Path:
            return convert(
                exe,
                docx,
                out_dir,
                "pdf:writer_pdf_Export",
                profile=work / "profile",
                home=work / "home",
                env={"FONTCONFIG_FILE": str(fonts)},
            )

        try:
            try:
                pdf = run()
            except SofficeFailed as first:
                if first.timed_out or not (work / "profile").exists():
                    raise
                # a profile left broken by a killed run: start from a fresh one, once
                shutil.rmtree(work / "profile", ignore_errors=True)
                pdf = run()
        except SofficeFailed as exc:
            if exc.timed_out:
                raise RenderError(
                    f"LibreOffice 转换超时（{exc.timeout:g} 秒）",
                    item=str(docx),
                    hint="确认没有其他 LibreOffice 进程卡住，再试一次",
                ) from exc
            raise RenderError(
                f"LibreOffice 未能生成 PDF（退出码 {exc.returncode}）：{exc.detail}",
                item=str(docx),
                hint="用 soffice --headless --convert-to pdf 手动转换一次，查看报错",
            ) from exc
    try:
        annotate_links(pdf, docx_links(docx))
    except Exception as exc:  # pdfium or a strange .docx: the PDF reads the same without
        log.warning("PDF 链接未能加上（%s）：%s: %s", pdf.name, type(exc).__name__, exc)
    return pdf


def render_pdf(
    view: IssueView, path: Path, *, soffice: str | None = None, style: DocxStyle | None = None
) -> Path:
    """Write the issue as PDF at ``path`` (via its Word document)."""
    find_soffice(soffice)  # fail before doing any work
    with tempfile.TemporaryDirectory(prefix="jianbao-pdf-") as tmp:
        docx = render_docx(view, Path(tmp) / f"{path.stem}.docx", style)
        pdf = docx_to_pdf(docx, Path(tmp), soffice=soffice, style=style)
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(pdf), path)
    return path
