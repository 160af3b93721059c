"""Packaging and writing: artifacts, the atomic writer, deterministic zips."""
