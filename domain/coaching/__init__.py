"""The golf swing coach: swing events and phases from a pose track, measured checks, a timed coaching script."""
