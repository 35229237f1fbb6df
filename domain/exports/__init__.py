"""Signed exports: everything Standing holds about one person's standing, or about one case, as one JSON
document signed with Ed25519, so it answers a subject-access request and a receiver can check it came from
here unchanged (docs/exports.md).

`exporting.signed_export` is the use case; `documents` gathers the document from the log, the notices, the
appeals and the cases, leaving out reporters' identities and private notes; `signing` serializes it
canonically, signs and verifies it; `keys` loads the signing key, making it on first use.
May import: kernel, infra, models, cases (what a subject may read of a case).
"""
