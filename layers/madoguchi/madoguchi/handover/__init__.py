"""Handing a conversation to staff: office hours, phrases, state and notification."""
