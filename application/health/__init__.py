"""Health: each dependency probed and reported by name, never a blanket "healthy"."""
