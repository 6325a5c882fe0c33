"""The labeler's signing key: generated once (`townsquare keys labeler`), kept in a PEM file, never printed.

atproto accepts two curves for signing keys, secp256k1 (`ES256K`) and NIST P-256 (`ES256`); both are supported
here because the SDK verifies both. Signatures are the 64-byte compact form r||s with a low S: atproto refuses the
high-S twin of a valid signature (malleability), so we normalise S before encoding.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from atproto_crypto.consts import P256_JWT_ALG, SECP256K1_JWT_ALG
from atproto_crypto.did import format_did_key, format_multikey
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

CURVES: dict[str, tuple[ec.EllipticCurve, str, int]] = {
    "secp256k1": (
        ec.SECP256K1(),
        SECP256K1_JWT_ALG,
        0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
    ),
    "p256": (
        ec.SECP256R1(),
        P256_JWT_ALG,
        0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    ),
}


class KeyError_(ValueError):
    """The key file is missing, unreadable or not an EC key on a supported curve."""


@dataclass(frozen=True)
class LabelerKey:
    private: ec.EllipticCurvePrivateKey
    curve: str

    @property
    def jwt_alg(self) -> str:
        return CURVES[self.curve][1]

    def _public_bytes(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )

    @property
    def did_key(self) -> str:
        """`did:key:z…` — what a verifier (the SDK's `verify_signature`) takes."""
        return str(format_did_key(self.jwt_alg, self._public_bytes()))

    @property
    def multikey(self) -> str:
        """`z…` — the `publicKeyMultibase` of the DID document's `#atproto_label` verification method."""
        return str(format_multikey(self.jwt_alg, self._public_bytes()))

    def sign(self, data: bytes) -> bytes:
        """ECDSA-SHA256 over `data`, as 64 bytes r||s with low S."""
        der = self.private.sign(data, ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        order = CURVES[self.curve][2]
        if s > order // 2:
            s = order - s
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def generate(curve: str = "secp256k1") -> LabelerKey:
    if curve not in CURVES:
        raise KeyError_(f"unknown curve {curve!r} (expected one of: {', '.join(CURVES)})")
    return LabelerKey(ec.generate_private_key(CURVES[curve][0]), curve)


def save(key: LabelerKey, path: Path, *, overwrite: bool = False) -> None:
    """Write the private key as PKCS#8 PEM, readable by its owner only (0600)."""
    if path.exists() and not overwrite:
        raise KeyError_(
            f"{path} exists; refusing to replace a labeler key (labels signed with it would orphan)"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)


def load(path: Path) -> LabelerKey:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KeyError_(
            f"cannot read the labeler key {path}: {exc.strerror}; run `townsquare keys labeler`"
        ) from None
    try:
        private = serialization.load_pem_private_key(raw, password=None)
    except ValueError:
        raise KeyError_(f"{path} is not a PEM private key") from None
    if not isinstance(private, ec.EllipticCurvePrivateKey):
        raise KeyError_(f"{path} is not an elliptic-curve key")
    for name, (curve, _, _) in CURVES.items():
        if private.curve.name == curve.name:
            return LabelerKey(private, name)
    raise KeyError_(f"{path}: curve {private.curve.name} is not one atproto signs with")
