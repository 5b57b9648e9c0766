"""Readers for published problem formats (problem data only)."""
