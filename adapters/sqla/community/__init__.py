"""SQL adapters of the community features: tables, repositories, read-side queries, the analysis sink."""
