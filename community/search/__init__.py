"""Site search: one table of what the public may find, with a full-text index over it."""
