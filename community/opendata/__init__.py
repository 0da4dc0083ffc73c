"""Open data: each closed consultation's aggregate results under an open licence."""
