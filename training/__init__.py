"""The precompute: trains the chapter's numpy networks and writes figures and demo data."""
