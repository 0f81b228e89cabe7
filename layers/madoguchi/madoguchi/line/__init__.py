"""LINE-facing logic: the messages residents see, postback data, and the conversation."""
