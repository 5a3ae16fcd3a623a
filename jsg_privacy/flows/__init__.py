"""Use cases on one subject's data, each reading the registry: export, erase (and, later, retain)."""
