"""Breakdown persistence (migration 0006)."""
