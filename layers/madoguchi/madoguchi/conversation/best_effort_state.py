"""The conversation state as the responder uses it: never an exception. Answering a question needs
no state, so while the store throttles or is missing the resident is answered as if nothing were
stored, and hand-over and feedback go on without remembering anything."""

from __future__ import annotations

from dataclasses import dataclass

from madoguchi.adapters.conversation_state import ConversationState, UserState
from madoguchi.store_guard import StoreGuard


@dataclass
class BestEffortState:
    """A ConversationState whose failures the guard logs, counts and turns into "nothing"."""

    store: ConversationState
    guard: StoreGuard

    def load(self, user: str) -> UserState:
        """Everything stored, or nothing when the store cannot tell."""
        return self.guard.call("load", lambda: self.store.load(user), UserState())

    def get_mode(self, user: str) -> UserState | None:
        """The state if the resident is with staff now (None also when unknown)."""
        return self.guard.call("get_mode", lambda: self.store.get_mode(user), None)

    def set_mode(self, user: str, since: int, until: int) -> bool:
        """Put the resident with staff, if the store takes it; whether it did."""

        def kept() -> bool:
            self.store.set_mode(user, since, until)
            return True

        return self.guard.call("set_mode", kept, False)

    def clear_mode(self, user: str, ended_at: int | None = None) -> bool:
        """Back to automatic answers, if the store takes it; whether it did. With `ended_at`, a
        refused clear is retried once, as another write: the hand-over ends at that moment."""

        def cleared() -> bool:
            self.store.clear_mode(user)
            return True

        if self.guard.call("clear_mode", cleared, False):
            return True
        if ended_at is None:
            return False

        def ended() -> bool:
            self.store.extend_mode(user, ended_at)
            return True

        return self.guard.call("end_mode", ended, False, even_paused=True)

    def note_search(
        self, user: str, search_id: str, faq_ids: tuple[str, ...], answered: bool
    ) -> int:
        """Remember the search; the no-answer streak counts as 0 when it cannot be kept."""
        return self.guard.call(
            "note_search", lambda: self.store.note_search(user, search_id, faq_ids, answered), 0
        )

    def set_language(self, user: str, language: str) -> None:
        """Remember the profile's language, if the store takes it (else it is asked again)."""
        self.guard.call("set_language", lambda: self.store.set_language(user, language), None)

    def set_menu_language(self, user: str, language: str) -> None:
        """Remember the linked menu's language, if the store takes it (else it is linked again
        at the next message)."""
        self.guard.call(
            "set_menu_language", lambda: self.store.set_menu_language(user, language), None
        )

    def extend_mode(self, user: str, until: int) -> None:
        """Move the end of the hand-over, if the store takes it."""
        self.guard.call("extend_mode", lambda: self.store.extend_mode(user, until), None)

    def note_staff_message(self, user: str, until: int) -> int:
        """Count a message written to staff; counts as the first when it cannot be kept, since
        an acknowledgement too many is kinder than silence."""
        return self.guard.call(
            "note_staff_message", lambda: self.store.note_staff_message(user, until), 1
        )

    def claim_crisis_alert(self, user: str, every_seconds: int) -> bool:
        """Whether to mail staff now; when the store cannot tell, mail (one too many is better
        than none)."""
        return self.guard.call(
            "claim_crisis_alert", lambda: self.store.claim_crisis_alert(user, every_seconds), True
        )
