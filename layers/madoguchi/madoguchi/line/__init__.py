"""LINE-facing pieces: the messages residents see and the data their taps send back."""
