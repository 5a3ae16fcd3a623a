"""Accountability: who on staff saw or exported whose data, and every erasure (for replay)."""
