"""Privacy: your data, erasure, consent records, the privacy notice and retention."""
