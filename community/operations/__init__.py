"""Operations: worker heartbeats, readiness, one-time form tokens, start-up checks."""
