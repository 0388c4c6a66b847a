"""Background runs of every notifications process: the mail sender, the reminders, the digest."""
