"""Marketing consent: one choice per channel, preferences, unsubscribe links and the suppression list."""
