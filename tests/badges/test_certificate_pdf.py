"""The certificate prints every name as written, in the fonts the package ships, with a link and a QR code that
lead to its verification page. Each page is rendered to PNG with pdftoppm (kept in var/test-artifacts/) and read
back with pypdf."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pypdf
import pytest
import segno
from PIL import Image

from domain.badges.certificate_pdf import FONTS, CertificateContent, CriterionLine, render_certificate

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "certificates"
NAMES = ["Łukasz Wójcik", "Nguyễn Thị Minh Khai", "Дмитрий Иванов", "陈静"]
URL = "https://standing.example.org/certificates/verify/0123456789abcdef"
DPI = 150


def content(name: str, organization: str = "Université Côte d'Azur — Mentoring") -> CertificateContent:
    return CertificateContent(
        participant_name=name,
        organization_name=organization,
        awarded_at=datetime(2026, 3, 12, 9, 30, tzinfo=UTC),
        criteria=[
            CriterionLine("At least 1 active goal created and tracked.", overridden=False),
            CriterionLine("Attend at least 2 sessions over 90 days.", overridden=True),
            CriterionLine("Respond to mentors within 48 hours, 90% of the time.", overridden=False),
        ],
        policy_version="protege-badge-2026.2+org.1a2b3c4d",
        verification_code="0123456789abcdef",
        verification_url=URL,
    )


def text_of(pdf: bytes) -> str:
    """The page's text with its line breaks as spaces: a long line may wrap anywhere."""
    return " ".join(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


def to_png(pdf: bytes, stem: str) -> Path:
    """The first page as a PNG, rendered by poppler as a person's viewer would."""
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm is needed (Debian: apt-get install poppler-utils)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{stem}.pdf").write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-png", "-r", str(DPI), "-singlefile", str(ARTIFACTS / f"{stem}.pdf"), str(ARTIFACTS / stem)],
        check=True,
        timeout=60,
    )
    return ARTIFACTS / f"{stem}.png"


@pytest.mark.parametrize("name", NAMES)
def test_every_name_prints_as_written(name):
    pdf = render_certificate(content(name))
    text = text_of(pdf)
    assert name in text
    assert "?" not in text.replace(URL, "")  # nothing was replaced for want of a glyph
    assert "Protégé Accountability Badge" in text
    png = Image.open(to_png(pdf, f"certificate-{name.split()[0].lower()}"))
    assert abs(png.size[0] - 297 / 25.4 * DPI) <= 1 and abs(png.size[1] - 210 / 25.4 * DPI) <= 1  # A4 landscape
    assert len(png.convert("L").getcolors(maxcolors=1 << 16) or []) > 16  # drawn, not a blank page


def test_names_typed_with_combining_accents_print_composed():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Minh Khai")
    assert decomposed != "Nguyễn Thị Minh Khai"
    assert "Nguyễn Thị Minh Khai" in text_of(render_certificate(content(decomposed)))


def test_it_prints_the_organizations_name_the_criteria_in_force_and_the_verification_link():
    pdf = render_certificate(content("Łukasz Wójcik"))
    text = text_of(pdf)
    assert "UNIVERSITÉ CÔTE D'AZUR — MENTORING" in text and "at Université Côte d'Azur — Mentoring" in text
    assert "Attend at least 2 sessions over 90 days. (as set by Université Côte d'Azur — Mentoring)" in text
    assert "tracked. ✓ Attend" in text  # the Code's own values carry no mark
    assert "Respond to mentors within 48 hours, 90% of the time. Issued for" in text
    assert URL in text and "Verification code: 0123456789abcdef" in text and "12 March 2026" in text
    links = [a.get_object()["/A"]["/URI"] for a in pypdf.PdfReader(io.BytesIO(pdf)).pages[0]["/Annots"]]
    assert links == [URL]


def test_the_qr_code_on_the_page_encodes_the_verification_link():
    """Sample the rendered page at the centre of every module and compare with the code for the URL."""
    png = Image.open(to_png(render_certificate(content("陈静")), "certificate-qr")).convert("L")
    matrix = segno.make(URL, error="m", micro=False).matrix
    x0, y0, size = 238, 142, 36  # where certificate_pdf draws it, in millimetres
    module = size / len(matrix)
    px = DPI / 25.4
    for row, bits in enumerate(matrix):
        for column, bit in enumerate(bits):
            centre = ((x0 + (column + 0.5) * module) * px, (y0 + (row + 0.5) * module) * px)
            dark = png.getpixel((round(centre[0]), round(centre[1]))) < 128
            assert dark == bool(bit), (row, column)


def test_the_fonts_ship_with_the_package_and_their_licences():
    shipped = {p.name for p in FONTS.iterdir()}
    assert {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DroidSansFallbackFull.ttf"} <= shipped
    assert {"LICENSE-DejaVu.txt", "LICENSE-DroidSansFallback.txt"} <= shipped
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert '"domain.badges" = ["fonts/*.ttf", "fonts/*.txt"]' in pyproject
