"""Spiders: they decide what to fetch; extraction and normalisation live elsewhere."""
