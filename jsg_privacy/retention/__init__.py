"""Retention that enforces itself: the rules declared in the registry, applied in batches."""
