"""The protégé's Certificate of Accountability as a PDF (Protégé badge perks): a page a learner can share.

Text is set in DejaVu Sans, shipped in `fonts/` with its licence, so every Latin, Vietnamese and Cyrillic name
prints as written; Chinese, Japanese and Korean characters fall back to Droid Sans Fallback (Apache 2.0), also
shipped. fpdf2 embeds only the glyphs used. A QR code and a link lead to the public verification page.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import segno
from fpdf import FPDF

FONTS = Path(__file__).parent / "fonts"

INK = (30, 41, 59)
MUTED = (90, 100, 115)
ACCENT = (17, 94, 89)  # deep teal
GOLD = (184, 146, 46)
PAPER = (251, 249, 244)

PAGE_W, PAGE_H = 297, 210  # A4 landscape, millimetres
TEXT_LEFT, TEXT_RIGHT = 28, 222  # the QR code and seal keep the right margin


@dataclass(frozen=True)
class CriterionLine:
    description: str
    overridden: bool  # the organization set this value, not the Code


@dataclass(frozen=True)
class CertificateContent:
    participant_name: str
    organization_name: str
    awarded_at: datetime
    criteria: list[CriterionLine]
    policy_version: str
    verification_code: str
    verification_url: str


def _text(value: str) -> str:
    # Composed form: a name typed with combining accents prints with the font's precomposed letters.
    return unicodedata.normalize("NFC", value)


def _date(moment: datetime) -> str:
    return f"{moment.day} {moment:%B %Y}"


class _Certificate(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="landscape", unit="mm", format="A4")
        self.add_font("body", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("body", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.add_font("cjk", "", str(FONTS / "DroidSansFallbackFull.ttf"))
        # Bold text falls back to the regular CJK face: it has no bold of its own.
        self.set_fallback_fonts(["cjk"], exact_match=False)
        self.set_auto_page_break(False)
        self.set_margins(0, 0, 0)

    def centred(self, y: float, text: str, size: float, *, bold: bool = False, colour=INK, height=None) -> None:
        self.set_font("body", "B" if bold else "", size)
        self.set_text_color(*colour)
        self.set_xy(TEXT_LEFT, y)
        self.cell(TEXT_RIGHT - TEXT_LEFT, height or size * 0.45, _text(text), align="C")

    def fitted(self, text: str, size: float, width: float, *, bold: bool) -> float:
        """The largest size up to `size` at which `text` fits in `width`: long names shrink, never wrap."""
        while size > 12:
            self.set_font("body", "B" if bold else "", size)
            if self.get_string_width(_text(text)) <= width:
                break
            size -= 1
        return size


def _frame(pdf: _Certificate) -> None:
    pdf.set_fill_color(*PAPER)
    pdf.rect(0, 0, PAGE_W, PAGE_H, style="F")
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.4)
    pdf.rect(8, 8, PAGE_W - 16, PAGE_H - 16)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.4)
    pdf.rect(11.5, 11.5, PAGE_W - 23, PAGE_H - 23)


def _seal(pdf: _Certificate, cx: float, cy: float, r: float) -> None:
    pdf.set_fill_color(*GOLD)
    pdf.set_draw_color(*GOLD)
    pdf.circle(x=cx, y=cy, radius=r, style="F")
    pdf.set_draw_color(255, 255, 255)
    pdf.set_line_width(0.5)
    pdf.circle(x=cx, y=cy, radius=r - 2, style="D")
    pdf.set_font("body", "B", 20)
    pdf.set_text_color(255, 255, 255)
    pdf.set_xy(cx - r, cy - 6)
    pdf.cell(2 * r, 8, "✓", align="C")
    pdf.set_font("body", "B", 6)
    pdf.set_xy(cx - r, cy + 2.5)
    pdf.cell(2 * r, 3, "ACCOUNTABLE", align="C")


def _qr(pdf: _Certificate, url: str, x: float, y: float, size: float) -> None:
    """The verification link as a QR code, drawn as vector modules so it stays sharp at any zoom."""
    matrix = segno.make(url, error="m", micro=False).matrix
    module = size / len(matrix)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x - 2, y - 2, size + 4, size + 4, style="F")
    pdf.set_fill_color(*INK)
    for row, bits in enumerate(matrix):
        column = 0
        while column < len(bits):
            if not bits[column]:
                column += 1
                continue
            run = column
            while run < len(bits) and bits[run]:
                run += 1
            pdf.rect(x + column * module, y + row * module, (run - column) * module, module, style="F")
            column = run


def render_certificate(content: CertificateContent) -> bytes:
    pdf = _Certificate()
    name, organization = _text(content.participant_name), _text(content.organization_name)
    pdf.set_title(f"Certificate of Accountability: {name}")
    pdf.set_author(organization)
    pdf.set_subject(f"Protégé Accountability Badge, {organization}")
    pdf.set_creator("Standing")
    pdf.add_page()
    _frame(pdf)
    _seal(pdf, cx=255, cy=42, r=15)

    pdf.set_char_spacing(1.2)
    pdf.centred(24, organization.upper(), 12, bold=True, colour=ACCENT)
    pdf.set_char_spacing(0)
    pdf.centred(34, "Certificate of Accountability", 30, bold=True, height=14)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.6)
    middle = (TEXT_LEFT + TEXT_RIGHT) / 2
    pdf.line(middle - 45, 52, middle + 45, 52)

    pdf.centred(57, "This certifies that", 13, colour=MUTED)
    size = pdf.fitted(name, 30, TEXT_RIGHT - TEXT_LEFT - 10, bold=True)
    pdf.centred(65, name, size, bold=True, colour=ACCENT, height=14)
    pdf.centred(83, "has earned the Protégé Accountability Badge", 14)
    pdf.centred(91, f"at {organization}, awarded on {_date(content.awarded_at)},", 12, colour=MUTED)
    pdf.centred(97, "by meeting every criterion of the Code of Conduct in force there:", 12, colour=MUTED)

    y = 108.0
    for criterion in content.criteria:
        pdf.set_xy(TEXT_LEFT + 14, y)
        pdf.set_font("body", "B", 11)
        pdf.set_text_color(*ACCENT)
        pdf.cell(7, 6, "✓")
        pdf.set_font("body", "", 11)
        pdf.set_text_color(*INK)
        line = criterion.description + (f" (as set by {organization})" if criterion.overridden else "")
        pdf.multi_cell(TEXT_RIGHT - TEXT_LEFT - 28, 6, _text(line), align="L", new_x="LMARGIN", new_y="NEXT")
        y = pdf.get_y() + 1

    # The footer: who issued it, and how anyone can check it.
    pdf.set_draw_color(*MUTED)
    pdf.set_line_width(0.2)
    pdf.line(TEXT_LEFT + 10, 176, TEXT_LEFT + 90, 176)
    pdf.set_xy(TEXT_LEFT + 10, 177)
    pdf.set_font("body", "", 9)
    pdf.set_text_color(*MUTED)
    pdf.cell(80, 5, _text(f"Issued for {organization} by Standing"), align="C")
    pdf.set_xy(TEXT_LEFT + 100, 172)
    pdf.set_font("body", "B", 9)
    pdf.set_text_color(*INK)
    pdf.cell(100, 5, "Verify this certificate")
    pdf.set_xy(TEXT_LEFT + 100, 177)
    pdf.set_font("body", "", 8)
    pdf.set_text_color(*ACCENT)
    pdf.cell(100, 4.5, content.verification_url, link=content.verification_url)
    pdf.set_xy(TEXT_LEFT + 100, 182)
    pdf.set_text_color(*MUTED)
    pdf.cell(100, 4.5, f"Verification code: {content.verification_code}")
    pdf.set_xy(TEXT_LEFT + 100, 186.5)
    pdf.cell(100, 4.5, f"Policy: {content.policy_version}")

    _qr(pdf, content.verification_url, x=238, y=142, size=36)
    pdf.set_xy(234, 181)
    pdf.set_font("body", "", 8)
    pdf.set_text_color(*MUTED)
    pdf.cell(44, 4, "Scan to verify", align="C")
    return bytes(pdf.output())
