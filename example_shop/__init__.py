"""JSG Metering Solutions: a runnable example shop that uses jsg_privacy."""
