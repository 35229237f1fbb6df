"""The protégé's downloadable Certificate of Accountability, a real PDF (Protégé badge perks)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fpdf import FPDF


@dataclass(frozen=True)
class CertificateContent:
    participant_name: str
    organization_name: str
    awarded_at: datetime
    criteria: list[str]
    verification_code: str


def _latin1(text: str) -> str:
    # The core PDF fonts are Latin-1; anything else is replaced rather than failing the download.
    return text.encode("latin-1", "replace").decode("latin-1")


def render_certificate(content: CertificateContent) -> bytes:
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(_latin1(f"Certificate of Accountability - {content.participant_name}"))
    pdf.set_author(_latin1(content.organization_name))
    pdf.set_creator("Standing")
    pdf.add_page()
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_font("Helvetica", "B", 30)
    pdf.cell(0, 30, "Certificate of Accountability", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 14)
    pdf.cell(0, 10, "This certifies that", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 24)
    pdf.cell(0, 16, _latin1(content.participant_name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 14)
    pdf.cell(
        0,
        10,
        _latin1(f"earned the Protege Accountability Badge at {content.organization_name}"),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.cell(
        0,
        10,
        f"on {content.awarded_at:%d %B %Y}, by meeting every criterion:",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Helvetica", "", 12)
    for criterion in content.criteria:
        pdf.cell(0, 8, _latin1(f"- {criterion}"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(-35)
    pdf.set_font("Courier", "", 11)
    pdf.cell(0, 8, f"Verification code: {content.verification_code}", align="C")
    return bytes(pdf.output())
