"""Background runs of every billing process."""
