"""The box's self-signed TLS certificate, for halls that serve over https (``yishi run --https``).

Made once in the instance folder (the key readable by its owner only) and made again only
when the box's addresses are no longer all in it or it nears its end, so phones that accepted
it once are not asked again. The key is kept across renewals.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from meeting_room.store.files import PRIVATE_FILE, private_file, private_folder, write_private

VALID_DAYS = 5 * 365
RENEW_BEFORE = timedelta(days=30)


@dataclass(frozen=True)
class Certificate:
    """Where the certificate and its key are, and the names and addresses it covers."""

    cert_file: Path
    key_file: Path
    names: tuple[str, ...]
    addresses: tuple[str, ...]


def box_names() -> tuple[str, ...]:
    """The host names a phone may use for the box: its hostname and ``localhost``."""
    return tuple(dict.fromkeys(n for n in (socket.gethostname(), "localhost") if n))


def ensure_certificate(
    folder: Path, addresses: list[str], names: tuple[str, ...], now: datetime
) -> Certificate:
    """The certificate in ``folder`` covering ``addresses`` (plus 127.0.0.1) and ``names``."""
    private_folder(folder)
    cert_file, key_file = folder / "tls-cert.pem", folder / "tls-key.pem"
    wanted_ips = tuple(dict.fromkeys([*addresses, "127.0.0.1"]))
    key = _key(key_file)
    if not _still_good(cert_file, wanted_ips, names, now):
        write_private(cert_file, _issue(key, wanted_ips, names, now))
    return Certificate(cert_file, key_file, names, wanted_ips)


def _key(path: Path) -> ec.EllipticCurvePrivateKey:
    if path.exists():
        private_file(path)  # a key made before keys were owner-only becomes so
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if isinstance(loaded, ec.EllipticCurvePrivateKey):
            return loaded
        path.unlink()
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # Created with owner-only permissions: the key is never readable by others, not even briefly.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    with os.fdopen(descriptor, "wb") as out:
        out.write(pem)
    return key


def covered(cert: x509.Certificate) -> tuple[set[str], set[str]]:
    """The IP addresses and DNS names in a certificate's SubjectAltName."""
    alt = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    ips = {str(ip) for ip in alt.get_values_for_type(x509.IPAddress)}
    return ips, set(alt.get_values_for_type(x509.DNSName))


def _still_good(path: Path, ips: tuple[str, ...], names: tuple[str, ...], now: datetime) -> bool:
    if not path.exists():
        return False
    try:
        cert = x509.load_pem_x509_certificate(path.read_bytes())
        have_ips, have_names = covered(cert)
    except (ValueError, x509.ExtensionNotFound):
        return False
    fresh = cert.not_valid_after_utc - RENEW_BEFORE > now
    return fresh and set(ips) <= have_ips and set(names) <= have_names


def _issue(
    key: ec.EllipticCurvePrivateKey, ips: tuple[str, ...], names: tuple[str, ...], now: datetime
) -> bytes:
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"Yishi {names[0] if names else ips[0]}"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Yishi meeting box (self-signed)"),
        ]
    )
    alt_names: list[x509.GeneralName] = [x509.DNSName(n) for n in names]
    alt_names += [x509.IPAddress(ipaddress.ip_address(ip)) for ip in ips]
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


def fingerprint(cert_file: Path) -> str:
    """The SHA-256 fingerprint people compare when their phone asks whether to trust the box."""
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    digest = cert.fingerprint(hashes.SHA256()).hex().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))
