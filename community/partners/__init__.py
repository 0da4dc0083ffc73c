"""Working with partner organisations: consultations shared with them, and their data."""
