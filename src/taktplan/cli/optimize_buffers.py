"""`taktplan optimize-buffers` (placeholder while it is built)."""
