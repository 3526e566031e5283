"""Kraftsenter: collaboration platform for Norwegian small-town regions."""
