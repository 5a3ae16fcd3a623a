"""Fixtures shared by the whole suite. Feature fixtures live beside their tests."""
