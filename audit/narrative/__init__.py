"""narrative stage."""
