"""The whole bot on one machine behind a LINE-like chat page (`make demo`)."""
