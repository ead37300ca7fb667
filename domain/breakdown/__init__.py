"""Dance breakdown: a routine cut into steps on the music's beat grid, each described from measured movement."""
