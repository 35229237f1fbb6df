"""The public page a certificate's link and QR code lead to: /certificates/verify/<code>, with no token.

It shows the facts of `domain.badges.verification.verify_certificate`, the same ones GraphQL's
`verifyCertificate` gives, and never a contact detail.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Awaitable, Callable
from datetime import datetime
from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse

from domain.badges.verification import CertificateFacts, verify_certificate
from domain.kernel.clock import Clock
from domain.kernel.roles import Role

STYLE = """
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
  background: #f6f4ee; color: #1e293b; }
main { max-width: 36rem; margin: 3rem auto; padding: 2rem 2.25rem; background: #fff; border-radius: 12px;
  border-top: 6px solid #115e59; box-shadow: 0 2px 12px rgba(15, 23, 42, .08); }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
.verdict { display: inline-block; padding: .2rem .7rem; border-radius: 999px; font-weight: 600; font-size: .9rem; }
.held { background: #dcfce7; color: #14532d; } .lapsed { background: #fee2e2; color: #7f1d1d; }
.unknown { background: #e2e8f0; color: #334155; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .5rem 1.25rem; margin: 1.5rem 0 0; }
dt { color: #64748b; } dd { margin: 0; font-weight: 500; }
footer { margin-top: 1.75rem; font-size: .8rem; color: #64748b; }
""".strip()
# The page allows no script and only this style: a hash in the policy, so nothing injected can run or restyle.
STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
HEADERS = {
    "Content-Security-Policy": f"default-src 'none'; style-src 'sha256-{STYLE_HASH}'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",  # the facts change: a revoked badge must not show as held from a cache
}
BADGE_NAMES = {Role.PROTEGE: "Protégé Accountability Badge", Role.MENTOR: "Mentor Accountability Badge"}


def _date(moment: datetime) -> str:
    return f"{moment.day} {moment:%B %Y}"


def _page(title: str, verdict: str, verdict_class: str, rows: list[tuple[str, str]], note: str) -> str:
    facts = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body><main>"
        f'<h1>{escape(title)}</h1><span class="verdict {verdict_class}">{escape(verdict)}</span>'
        f"{f'<dl>{facts}</dl>' if facts else ''}<footer>{escape(note)}</footer></main></body></html>"
    )


def render(facts: CertificateFacts | None, code: str, now: datetime) -> str:
    checked = f"Checked by Standing on {_date(now)} at {now:%H:%M} UTC."
    if facts is None:
        return _page(
            "No such certificate",
            "Not verified",
            "unknown",
            [],
            "No badge carries this code. A badge awarded again carries a new code. " + checked,
        )
    held = "Still held" + (" (at risk)" if facts.badge_status == "at_risk" else "")
    return _page(
        "Certificate of Accountability",
        "Verified: the badge is still held" if facts.still_held else "This badge is no longer held",
        "held" if facts.still_held else "lapsed",
        [
            ("Name", facts.name),
            ("Organization", facts.organization_name),
            ("Badge", BADGE_NAMES[facts.role]),
            ("Awarded on", _date(facts.awarded_at)),
            ("Badge today", held if facts.still_held else "No longer held"),
            (
                f"In good standing on {_date(facts.checked_at)}",
                {True: "Yes", False: "No", None: "Unknown"}[facts.in_good_standing],
            ),
            ("Verification code", code),
        ],
        checked,
    )


def verification_page(clock: Clock) -> Callable[[Request], Awaitable[HTMLResponse]]:
    async def page(request: Request) -> HTMLResponse:
        code = str(request.path_params["code"]).lower()
        now = clock.now()
        facts = await verify_certificate(code, now)
        return HTMLResponse(render(facts, code, now), status_code=200 if facts else 404, headers=dict(HEADERS))

    return page
