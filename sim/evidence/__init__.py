"""The evidence: every parameter and actor value, with where it comes from."""
