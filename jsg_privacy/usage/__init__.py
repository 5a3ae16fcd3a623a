"""Usage data (seed 000 §1.6, seed 002's server logs): page views and searches, with consent."""
