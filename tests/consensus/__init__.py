"""Tests of the consensus maths (pure: no app, no database)."""
