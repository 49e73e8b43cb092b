"""Normalisers: pure functions that turn extracted raw strings into the Article record's canonical form."""
