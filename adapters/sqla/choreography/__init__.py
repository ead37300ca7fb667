"""Choreography tables and repositories (spec 003): songs, tasks, collections, class plans."""
