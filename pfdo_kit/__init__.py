"""Building blocks every PFDO service uses: settings, database, bus, outbox, inbox,
errors, auth checks, health, metrics, logs. No domain logic lives here."""
