"""The quarterly cycle: submission windows, reminders and the e-mail outbox, approvals, scheduled
releases and jobs run on request."""
