"""Ed25519 signatures over canonical JSON, for documents that leave the registry.

The key is a PKCS#8 PEM file at ``Settings.signing_key_path``, created on first use with
owner-only permissions. A document is authentic only if it verifies against this
registry's own key: a public key carried inside the document proves nothing.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALGORITHM = "Ed25519"


def canonical(payload: Any) -> bytes:
    """One byte string per JSON value, whatever the key order or spacing of its text."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting at once must not each write a different key.
        with contextlib.suppress(FileExistsError):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return loaded


@dataclass(frozen=True, slots=True)
class Signer:
    key: Ed25519PrivateKey

    @classmethod
    def from_path(cls, path: Path) -> Signer:
        return cls(load_or_create_key(path))

    @property
    def key_id(self) -> str:
        return key_id(self.key.public_key())

    def sign(self, payload: dict[str, Any], field: str) -> dict[str, Any]:
        """``{field: payload, "signature": {...}}``; the signature covers the payload only."""
        value = self.key.sign(canonical(payload))
        return {
            field: payload,
            "signature": {
                "algorithm": ALGORITHM,
                "key_id": self.key_id,
                "value": base64.b64encode(value).decode(),
            },
        }

    def verify(self, document: Any, field: str) -> str | None:
        """None if authentic; otherwise why not."""
        if not isinstance(document, dict) or not isinstance(document.get(field), dict):
            return f"not a signed document: no {field!r} object"
        signature = document.get("signature")
        if not isinstance(signature, dict) or signature.get("algorithm") != ALGORITHM:
            return "no Ed25519 signature"
        if signature.get("key_id") != self.key_id:
            return "signed with another key than this registry's"
        try:
            value = base64.b64decode(str(signature.get("value", "")), validate=True)
            self.key.public_key().verify(value, canonical(document[field]))
        except (ValueError, InvalidSignature):
            return "the signature does not match the content: altered or forged"
        return None
