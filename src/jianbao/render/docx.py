"""Word (.docx): the document the center circulates, in the manner of official documents.

A4 with GB/T 9704 margins; the title in a 小标宋 face, section headings in 黑体, item
headings in 楷体, the body in 仿宋 at 三号 with exact 28-point line spacing and a two-
character first-line indent; page numbers ``— 1 —`` in the footer; clickable links; 目录
entries that jump to their item through bookmarks. Chinese fonts only apply when the
East Asian slot (``w:eastAsia``) is set, and Word's built-in Heading styles carry
theme-font attributes that silently override explicit fonts, so both are handled here.
Fonts and sizes are configurable through ``DocxStyle``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

from jianbao.errors import RenderError
from jianbao.issue_layout import grouped_items
from jianbao.records import IssueItemView, IssueView
from jianbao.render.layout import (
    CONTENT_HEADING,
    CONTENT_LABEL,
    LEAD_HEADING,
    TOC_HEADING,
    field_line,
    issue_date_text,
    item_fields,
    item_heading,
    safe_url,
    summary_join,
    toc_line,
    view_title,
    xml_text,
)
from jianbao.render.style import DocxStyle

_THEME_ATTRS = ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme")
LINK_COLOR = RGBColor(0x05, 0x63, 0xC1)
#: GB/T 9704 §7.5: the page number's 一字线 sit 7 mm below the type area
PAGE_NUMBER_GAP_MM = 7


def bookmark_name(position: int) -> str:
    return f"item_{position}"


def _set_fonts(rpr_parent: object, east_asia: str, latin: str) -> None:
    """Set all four font slots on an rPr owner and drop theme-font overrides."""
    rpr = rpr_parent.get_or_add_rPr()  # type: ignore[attr-defined]
    rfonts = rpr.get_or_add_rFonts()
    for attr in _THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _set_complex_size(rpr: Any, size: float) -> None:
    """Complex-script size equal to the size (built-in headings carry a different one)."""
    el = rpr.find(qn("w:szCs"))
    if el is None:
        el = OxmlElement("w:szCs")
        sz = rpr.find(qn("w:sz"))
        if sz is not None:
            sz.addnext(el)
        else:
            rpr.append(el)
    el.set(qn("w:val"), str(round(size * 2)))


def _paragraph_style(
    doc: DocumentObject,
    name: str,
    *,
    font: str,
    size: float,
    style: DocxStyle,
    bold: bool = False,
    center: bool = False,
    indent: bool = False,
    space_before: float = 0,
    space_after: float = 0,
) -> ParagraphStyle:
    styles = doc.styles
    try:
        st = styles[name]
    except KeyError:
        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = styles["Normal"]
    assert isinstance(st, ParagraphStyle)
    st.font.name = style.latin_font
    st.font.size = Pt(size)
    st.font.bold = bold
    st.font.italic = False
    st.font.color.rgb = RGBColor(0, 0, 0)
    _set_fonts(st.element, font, style.latin_font)
    _set_complex_size(st.element.get_or_add_rPr(), size)
    fmt = st.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(max(style.line_spacing, size * 1.25))
    fmt.space_before = Pt(space_before)
    fmt.space_after = Pt(space_after)
    fmt.first_line_indent = Pt(size * 2) if indent else Pt(0)
    ind = st.element.get_or_add_pPr().get_or_add_ind()
    if indent:
        ind.set(qn("w:firstLineChars"), "200")
    else:
        ind.attrib.pop(qn("w:firstLineChars"), None)
    return st


def _setup(doc: DocumentObject, style: DocxStyle) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    top, right, bottom, left = style.margins_mm
    section.top_margin, section.right_margin = Mm(top), Mm(right)
    section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)
    # the 一字线 run at mid-height of the footer's one exact line: put that line's middle
    # PAGE_NUMBER_GAP_MM below the type area
    gap = Emu(Mm(bottom - PAGE_NUMBER_GAP_MM) - Pt(style.footer_size / 2))
    section.footer_distance = gap if bottom > PAGE_NUMBER_GAP_MM + 8 else Mm(bottom / 3)
    # document defaults carry theme fonts too: neutralise them
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for rfonts in defaults.iter(qn("w:rFonts")):
            for attr in _THEME_ATTRS:
                rfonts.attrib.pop(qn(attr), None)
            rfonts.set(qn("w:eastAsia"), style.body_font)
        for lang in defaults.iter(qn("w:lang")):
            lang.set(qn("w:eastAsia"), "zh-CN")
    normal = _paragraph_style(
        doc, "Normal", font=style.body_font, size=style.body_size, style=style, indent=True
    )
    lang = normal.element.get_or_add_rPr()
    lang_el = OxmlElement("w:lang")
    lang_el.set(qn("w:val"), "en-US")
    lang_el.set(qn("w:eastAsia"), "zh-CN")
    lang.append(lang_el)
    _paragraph_style(
        doc, "JB Title", font=style.title_font, size=style.title_size, style=style, center=True
    )
    _paragraph_style(
        doc, "JB Center", font=style.body_font, size=style.body_size, style=style, center=True
    )
    _paragraph_style(doc, "JB Plain", font=style.body_font, size=style.body_size, style=style)
    _paragraph_style(
        doc,
        "Heading 1",
        font=style.heading_font,
        size=style.body_size,
        style=style,
        space_before=6,
    )
    _paragraph_style(
        doc,
        "Heading 2",
        font=style.subheading_font,
        size=style.body_size,
        style=style,
        bold=True,
        space_before=6,
    )
    _page_number_footer(doc, style)


def _field_run(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A complex field (PAGE) whose result Word computes when it lays the page out."""

    def fld(kind: str) -> None:
        run = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._r.append(el)

    fld("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    fld("separate")
    paragraph.add_run(placeholder)
    fld("end")


def _page_number_paragraph(paragraph: Paragraph, style: DocxStyle, *, odd: bool) -> None:
    """``— 1 —`` in 四号: odd pages at the right, even pages at the left, one character
    (a body character's width, GB/T 9704's 一字) in from the edge of the type area."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(style.footer_size)
    if odd:
        fmt.right_indent, fmt.left_indent = Pt(style.body_size), Pt(0)
    else:
        fmt.left_indent, fmt.right_indent = Pt(style.body_size), Pt(0)
    paragraph.add_run("— ")
    _field_run(paragraph, "PAGE", "1")
    paragraph.add_run(" —")
    for run in paragraph.runs:
        run.font.size = Pt(style.footer_size)
        _set_fonts(run._r, "宋体", style.latin_font)


def _page_number_footer(doc: DocumentObject, style: DocxStyle) -> None:
    """Different odd and even footers, as GB/T 9704 places page numbers (单页码居右空一字，
    双页码居左空一字); Word and LibreOffice both honour the document's evenAndOddHeaders."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        _page_number_paragraph(paragraph, style, odd=odd)


def add_hyperlink(
    paragraph: Paragraph,
    text: str,
    *,
    url: str | None = None,
    anchor: str | None = None,
    underline: bool = True,
    color: RGBColor | None = LINK_COLOR,
) -> None:
    """A clickable run: to ``url`` (external) or to the bookmark ``anchor``."""
    link = OxmlElement("w:hyperlink")
    if url is not None:
        rel = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
        link.set(qn("r:id"), rel)
    elif anchor is not None:
        link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    if color is not None:
        col = OxmlElement("w:color")
        col.set(qn("w:val"), str(color))
        rpr.append(col)
    if underline:
        u = OxmlElement("w:u")
        u.set(qn("w:val"), "single")
        rpr.append(u)
    run.append(rpr)
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = xml_text(text)
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def _bookmark(paragraph: Paragraph, name: str, ident: int) -> None:
    """Wrap the paragraph's content in a bookmark (the target of a 目录 entry)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(ident))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(ident))
    ppr = paragraph._p.pPr
    if ppr is not None:
        ppr.addnext(start)
    else:
        paragraph._p.insert(0, start)
    paragraph._p.append(end)


def _style_ids(doc: DocumentObject) -> dict[str, str]:
    """Style name → id, looked up once: python-docx's lookup by name is linear in the
    number of styles and dominated rendering time before this cache."""
    ids: dict[str, str] = {}
    for st in doc.styles:
        if st.name and st.style_id:
            ids[st.name] = st.style_id
    return ids


def _new_paragraph(doc: DocumentObject, style: str) -> Paragraph:
    """An empty paragraph of ``style`` at the end of the body.

    Built as XML and placed before the section properties directly: python-docx's
    add_paragraph searches the body's children each time, which made long reports slow.
    """
    ids = doc.__dict__.get("_jb_style_ids")
    if ids is None:
        ids = doc.__dict__["_jb_style_ids"] = _style_ids(doc)
    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    pstyle = OxmlElement("w:pStyle")
    pstyle.set(qn("w:val"), ids[style])
    ppr.append(pstyle)
    p.append(ppr)
    body = doc.element.body
    sect = body.sectPr
    if sect is not None:
        sect.addprevious(p)
    else:
        body.append(p)
    return Paragraph(p, doc._body)


def _para(doc: DocumentObject, text: str, style: str) -> Paragraph:
    paragraph = _new_paragraph(doc, style)
    text = xml_text(text)
    if text:
        paragraph.add_run(text)
    return paragraph


def _report(doc: DocumentObject, view: IssueView) -> None:
    _para(doc, view.publication_title, "JB Title")
    if view.number_text:
        _para(doc, view.number_text, "JB Center")
    if view.publisher:
        _para(doc, view.publisher, "JB Center")
    _para(doc, issue_date_text(view), "JB Center")
    _para(doc, LEAD_HEADING, "Heading 1")
    _para(doc, view.lead, "Normal")
    _para(doc, TOC_HEADING, "Heading 1")
    for item in view.items:
        paragraph = _new_paragraph(doc, "JB Plain")
        add_hyperlink(
            paragraph,
            toc_line(item),
            anchor=bookmark_name(item.position),
            underline=False,
            color=None,
        )
    _para(doc, CONTENT_HEADING, "Heading 1")
    for item in view.items:
        heading = _para(doc, item_heading(item), "Heading 2")
        _bookmark(heading, bookmark_name(item.position), item.position)
        # the heading, its field lines and 主要内容： stay on the page of the first
        # paragraph of the text (no 主要内容： alone at a page's foot)
        heading.paragraph_format.keep_with_next = True
        for label, value in item_fields(view, item):
            href = safe_url(value) if label == "链接" else None
            if href:
                paragraph = _new_paragraph(doc, "JB Plain")
                # a long URL cannot be justified without spreading 链 接 ： apart
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
                paragraph.add_run(f"{label}：")
                add_hyperlink(paragraph, href, url=href)
            else:
                paragraph = _para(doc, field_line(label, value), "JB Plain")
            paragraph.paragraph_format.keep_with_next = True
        _para(doc, CONTENT_LABEL, "JB Plain").paragraph_format.keep_with_next = True
        for text in item.paragraphs:
            _para(doc, text, "Normal")


def _daily_item(doc: DocumentObject, item: IssueItemView) -> None:
    paragraph = _new_paragraph(doc, "JB Plain")
    paragraph.add_run(f"{item.position}. ")
    href = safe_url(item.url)
    if href:
        add_hyperlink(paragraph, item.title, url=href)
    else:
        paragraph.add_run(xml_text(item.title))
    if item.summary:
        paragraph.add_run(xml_text(summary_join(item.title, item.summary) + item.summary))


def _daily(doc: DocumentObject, view: IssueView) -> None:
    _para(doc, view.heading, "JB Title")
    for category, items in grouped_items(view):
        if category:
            _para(doc, category, "Heading 1")
        for item in items:
            _daily_item(doc, item)


def build_docx(view: IssueView, style: DocxStyle | None = None) -> DocumentObject:
    """The python-docx Document of an issue (not yet saved)."""
    style = style or DocxStyle()
    doc = Document()
    _setup(doc, style)
    props = doc.core_properties
    props.title = view_title(view)
    props.author = view.publisher or "jianbao"
    props.language = "zh-CN"
    if view.kind == "daily":
        _daily(doc, view)
    else:
        _report(doc, view)
    return doc


def render_docx(view: IssueView, path: Path, style: DocxStyle | None = None) -> Path:
    """Write the issue as a Word document at ``path`` and return the path."""
    doc = build_docx(view, style)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        doc.save(str(path))
    except OSError as exc:
        raise RenderError(
            f"无法写入 Word 文件：{exc.strerror or exc}",
            item=str(path),
            hint="检查输出目录是否存在、可写，以及文件是否正被 Word 打开",
        ) from exc
    return path
