#!/usr/bin/env python3
"""The python-docx side of the exporter benchmark (docs/BENCHMARKS.md).

Builds the same official-format document as 省身's exporter from benches/material.txt —
A4, margins 37/35/28/26 mm, docGrid 579, exact 28.95 pt lines, 2号 小标宋 title, 3号 楷体
speaker, 3号 仿宋 body condensed by 0.25 pt with a 2-字 indent, 黑体 / 楷体 headings with
the 楷体 heading sentence running into its paragraph, East-Asian fonts on every run,
"— N —" page numbers on odd (right) and even (left) footers — and writes N copies
(default 100) in one process: `python3 benches/python_docx_material.py 100`.
"""
import os
import re
import sys
import tempfile
import time

started = time.perf_counter()

from docx import Document  # noqa: E402  (the import is part of the measured process)
from docx.enum.section import WD_SECTION  # noqa: E402,F401
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm, Pt, Twips  # noqa: E402

LATIN = "Times New Roman"
TITLE, BODY, KAI, HEI, SONG = "方正小标宋简体", "仿宋_GB2312", "楷体_GB2312", "黑体", "宋体"


def fonts(run, east_asia, size, latin=LATIN):
    run.font.size = Pt(size)
    r_pr = run._r.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, r_fonts)
    for attribute, value in (("ascii", latin), ("hAnsi", latin), ("cs", latin),
                             ("eastAsia", east_asia), ("hint", "eastAsia")):
        r_fonts.set(qn("w:" + attribute), value)
    if size == 16:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), "-5")
        r_pr.append(spacing)


def paragraph(document, align, first_line=False):
    p = document.add_paragraph()
    f = p.paragraph_format
    f.alignment = align
    f.space_before = Pt(0)
    f.space_after = Pt(0)
    f.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    f.line_spacing = Twips(579)
    if first_line:
        f.first_line_indent = Twips(640)
    overflow = OxmlElement("w:overflowPunct")
    overflow.set(qn("w:val"), "1")
    p._p.get_or_add_pPr().insert(0, overflow)
    return p


def page_number(footer, align):
    p = footer.paragraphs[0]
    p.paragraph_format.alignment = align
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        p.paragraph_format.right_indent = Twips(280)
    else:
        p.paragraph_format.left_indent = Twips(280)
    fonts(p.add_run("— "), SONG, 14, SONG)
    run = p.add_run()
    fonts(run, SONG, 14, SONG)
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("end", None)):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
    fonts(p.add_run(" —"), SONG, 14, SONG)


def build(lines):
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Twips(11906), Twips(16838)
    section.top_margin, section.bottom_margin = Twips(2098), Twips(1984)
    section.left_margin, section.right_margin = Twips(1587), Twips(1474)
    section.header_distance, section.footer_distance = Twips(851), Twips(1417)
    section.gutter = Twips(0)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), "579")
    document.settings.odd_and_even_pages_header_footer = True
    page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    last = len(lines) - 1
    for index, line in enumerate(lines):
        if index == 0:
            fonts(paragraph(document, WD_ALIGN_PARAGRAPH.CENTER).add_run(line), TITLE, 22)
        elif index == 1:
            fonts(paragraph(document, WD_ALIGN_PARAGRAPH.CENTER).add_run(line), KAI, 16)
        elif index == last and re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", line):
            p = paragraph(document, WD_ALIGN_PARAGRAPH.RIGHT)
            p.paragraph_format.right_indent = Twips(1280)
            fonts(p.add_run(line), BODY, 16)
        elif re.match(r"[一二三四五六七八九十]+、", line):
            p = paragraph(document, WD_ALIGN_PARAGRAPH.JUSTIFY, True)
            p.paragraph_format.keep_with_next = True
            fonts(p.add_run(line), HEI, 16)
        elif line.startswith("（"):
            p = paragraph(document, WD_ALIGN_PARAGRAPH.JUSTIFY, True)
            heading, _, rest = line.partition("。")
            fonts(p.add_run(heading + "。"), KAI, 16)
            if rest:
                fonts(p.add_run(rest), BODY, 16)
            else:
                p.paragraph_format.keep_with_next = True
        else:
            fonts(paragraph(document, WD_ALIGN_PARAGRAPH.JUSTIFY, True).add_run(line), BODY, 16)
    return document


def main():
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "material.txt"), encoding="utf-8") as f:
        lines = [line.strip() for line in f if line.strip()]
    with tempfile.TemporaryDirectory() as out:
        for copy in range(1, copies + 1):
            build(lines).save(os.path.join(out, f"{copy}.docx"))
    elapsed = (time.perf_counter() - started) * 1000
    print(f"python-docx: {copies} copies in {elapsed:.1f} ms (inside the process)", file=sys.stderr)


if __name__ == "__main__":
    main()
