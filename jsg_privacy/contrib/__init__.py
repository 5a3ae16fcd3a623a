"""Ready-made declarations and templates for shops built on other Django frameworks."""
