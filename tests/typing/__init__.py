"""Files that use jsg_privacy's public API the way a shop does, checked by mypy in ``make lint``."""
