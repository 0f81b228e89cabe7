"""Pieces of the hand-over to staff: office hours, typed phrases, its LINE replies and the staff
notification (the "with staff" mode itself is madoguchi.conversation.handover)."""
