"""Data-subject requests: cases with identity checks, statutory deadlines and an audit trail."""
