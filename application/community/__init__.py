"""Use cases and read-side queries of the community features."""
