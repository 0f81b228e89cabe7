"""The conversation residents have with the help desk: one responder from LINE event to reply."""

from madoguchi.conversation.responder import Responder
from madoguchi.conversation.turns import Index, Reply, Turn, TurnKind

__all__ = ["Index", "Reply", "Responder", "Turn", "TurnKind"]
