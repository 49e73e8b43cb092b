"""A loopback HTTP server that misbehaves on purpose, for proving the crawler survives the real web."""

from faultsite.server import FaultServer, Hit

__all__ = ["FaultServer", "Hit"]
