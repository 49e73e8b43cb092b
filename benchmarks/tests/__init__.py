"""Tests of the benchmark tools: generator, server, measurement and tables (offline, loopback only)."""
