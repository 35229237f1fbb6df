"""Signing an export: Ed25519 over the document's canonical JSON, and checking it.

Canonical JSON here is `json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`
encoded as UTF-8. Documents hold only strings, integers, booleans, null, lists and objects with ASCII keys
(never floats), and for such values these bytes are the same as RFC 8785 (JCS) gives.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from domain.exports.keys import SigningKey, key_id

ALGORITHM = "Ed25519"
CANONICALIZATION = "json-sorted-keys-compact-utf8"


def canonical(document: Any) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode(
        "utf-8"
    )


def sign(document: dict[str, Any], key: SigningKey) -> dict[str, Any]:
    """The signed export: the document, and the signature over its canonical bytes."""
    _no_floats(document)
    value = key.private.sign(canonical(document))
    return {
        "document": document,
        "signature": {
            "alg": ALGORITHM,
            "canonicalization": CANONICALIZATION,
            "key_id": key.key_id,
            "value": base64.b64encode(value).decode("ascii"),
        },
    }


def verify(signed: Any, public: Ed25519PublicKey) -> str | None:
    """None when `signed` is an export this key signed, unchanged; otherwise why not."""
    if not isinstance(signed, dict) or not isinstance(signed.get("signature"), dict) or "document" not in signed:
        return "not a signed export: it needs a document and a signature"
    signature = signed["signature"]
    if signature.get("alg") != ALGORITHM or signature.get("canonicalization") != CANONICALIZATION:
        return f"unknown scheme: {signature.get('alg')!r} over {signature.get('canonicalization')!r}"
    if signature.get("key_id") != key_id(public):
        return f"signed with key {signature.get('key_id')!r}, not with this key ({key_id(public)})"
    try:
        value = base64.b64decode(str(signature.get("value", "")), validate=True)
        public.verify(value, canonical(signed["document"]))
    except (ValueError, InvalidSignature):
        return "the signature does not match the document: it was changed, or signed by another key"
    return None


def _no_floats(value: Any) -> None:
    """Floats have no single JSON spelling across languages; a document never holds one."""
    if isinstance(value, float):
        raise TypeError("an export holds no floats")
    if isinstance(value, dict):
        for item in value.values():
            _no_floats(item)
    elif isinstance(value, list):
        for item in value:
            _no_floats(item)
