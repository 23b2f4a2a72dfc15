"""The box's address on the hall's network, for the URLs and QR codes it prints."""

from __future__ import annotations

import ipaddress
import socket
import subprocess


def lan_addresses() -> list[str]:
    """Every global IPv4 address of this machine, in the order ``ip`` lists them."""
    found: list[str] = []
    try:
        out = subprocess.run(
            ["ip", "-4", "-o", "addr", "show", "scope", "global"],
            capture_output=True,
            text=True,
            timeout=3,
            check=False,
        ).stdout
        for line in out.splitlines():
            parts = line.split()
            if "inet" in parts:
                found.append(parts[parts.index("inet") + 1].split("/")[0])
    except (OSError, subprocess.SubprocessError):
        pass
    if not found:
        try:
            for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
                address = str(info[4][0])
                if not ipaddress.ip_address(address).is_loopback and address not in found:
                    found.append(address)
        except OSError:
            pass
    return found


def lan_address() -> str:
    """The first global IPv4 address of this machine, else 127.0.0.1."""
    addresses = lan_addresses()
    return addresses[0] if addresses else "127.0.0.1"


def base_url(host: str, port: int, https: bool) -> str:
    """The URL phones and screens open, e.g. ``https://192.168.1.20:5000``."""
    return f"{'https' if https else 'http'}://{host}:{port}"
