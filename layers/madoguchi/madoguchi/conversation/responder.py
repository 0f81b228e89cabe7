"""The help desk's conversation: one LINE event in, the turn to send out.

Every event goes through `Responder.respond`: follow and unsupported events, typed questions
(searched, or a request for staff), and taps (postbacks). Per-resident state (hand-over, last
search, no-answer streak) is read once per event into a Session; without a state store the
responder answers statelessly, and while the store fails it answers as if nothing were stored
(conversation/best_effort_state.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from linebot.v3.messaging import Message, QuickReply
from linebot.v3.webhooks import (
    Event,
    FollowEvent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
    UserSource,
)

from madoguchi.adapters.conversation_state import NO_LANGUAGE, ConversationState
from madoguchi.adapters.mail_ledger import MailLedger
from madoguchi.adapters.notifier import Notifier
from madoguchi.adapters.search_log import SearchLog
from madoguchi.clock import Clock, system_clock
from madoguchi.conversation import (
    foreign_reply,
    menu_language,
    not_found_reply,
    search_reply,
    shelter_reply,
    topic_reply,
)
from madoguchi.conversation.best_effort_state import BestEffortState
from madoguchi.conversation.crisis_reply import CrisisDesk
from madoguchi.conversation.handover import HandoverDesk, OfficeHoursFor, settings_office_hours
from madoguchi.conversation.log import ConversationLog
from madoguchi.conversation.message_kind import MessageKind, read_message
from madoguchi.conversation.small_talk import SmallTalk, reply_text
from madoguchi.conversation.turns import Index, Reply, Session, Turn, TurnKind, turn
from madoguchi.crisis import CrisisKind, detect
from madoguchi.handover import replies
from madoguchi.language.codes import from_profile
from madoguchi.line import messages, postback
from madoguchi.model import BotSettings, Topic
from madoguchi.notice import active_notice
from madoguchi.searchlog import model as log_model
from madoguchi.shelters import hazards_named
from madoguchi.store_guard import StoreGuard

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 500  # residents' questions are short; a pasted essay must not slow search
# A resident in danger whose message may also ask for a city procedure (DV support, housing, food)
# gets its answer below the lines when the search is sure; never for these kinds, whose words
# (死, 殺, 助けて) a search could match to a procedure about death.
PROCEDURE_FREE = frozenset({CrisisKind.SUICIDE, CrisisKind.DANGER})
TYPED = "typed"  # the hand-over source of a typed request for staff
# The language of a resident's LINE profile, by LINE user id ("" none; None: LINE could not tell).
ProfileLanguage = Callable[[str], str | None]
# The turns an active お知らせ goes above: the greeting, every answer, the not-found message,
# the nearest shelters, a topic list.
NOTICED = frozenset(
    {
        TurnKind.FOLLOW,
        TurnKind.ANSWER,
        TurnKind.NO_ANSWER,
        TurnKind.FAQ,
        TurnKind.SHELTERS,
        TurnKind.TOPIC,
    }
)


@dataclass
class Responder:
    """Routes each event to the reply residents should see, with hand-over, feedback and the
    search log when a state store is given."""

    # A store (wrapped in a BestEffortState here, so its failures never reach a resident).
    state: ConversationState | BestEffortState | None = None
    salt: Callable[[], str] | None = None  # secret for user references (SSM in the cloud)
    search_log: SearchLog | None = None
    notifier: Notifier | None = None
    mail_ledger: MailLedger | None = None  # hand-over mails sent (one per resident, per hour)
    clock: Clock = system_clock
    # The deployment's limit on keeping the log; 設定's 検索ログ保存日数 may only shorten it.
    max_retention_days: int | None = None
    office_hours: OfficeHoursFor = settings_office_hours  # the preview passes its own
    # Logs, counts and pauses failures of the state store; the webhook's event claims share
    # it, since they live in the same table.
    state_guard: StoreGuard | None = None
    salt_guard: StoreGuard = field(init=False)  # the same for the salt (SSM)
    log: ConversationLog = field(init=False)
    desk: HandoverDesk | None = field(init=False)
    crisis: CrisisDesk = field(init=False)

    def __post_init__(self) -> None:
        self.salt_guard = StoreGuard("log salt", self.clock)
        self.log = ConversationLog(self.search_log, self.max_retention_days)
        self.desk = None
        state_for_crisis: BestEffortState | None = None
        if self.state is not None:
            self.state_guard = self.state_guard or StoreGuard("conversation state", self.clock)
            state = self.state
            if not isinstance(state, BestEffortState):
                state = BestEffortState(state, self.state_guard)
            self.state = state
            self.desk = HandoverDesk(
                state, self.log, self.notifier, self.office_hours, self.mail_ledger
            )
            state_for_crisis = state
        self.crisis = CrisisDesk(
            state_for_crisis, self.log, self.notifier, self.office_hours, self.clock
        )

    def respond(
        self,
        event: Event,
        index: Index | None,
        *,
        after_reply: list[Callable[[], object]] | None = None,
        profile_language: ProfileLanguage | None = None,
    ) -> Turn:
        """The turn for one event; events that need no answer give a turn without a reply.

        With `after_reply`, a search's log record and state update are added to it instead of
        being written now: the webhook sends the reply first and writes them after.
        `profile_language` reads the resident's LINE profile (the webhook's LINE client): asked
        on a new friend and for messages too short to tell their language, kept per resident.
        """
        token = getattr(event, "reply_token", None)
        if isinstance(event, FollowEvent):
            settings = index.settings if index is not None else BotSettings()
            welcome = messages.greeting_messages(settings)
            user_id = getattr(event.source, "user_id", None)
            if isinstance(event.source, UserSource) and user_id and profile_language is not None:
                session = self._session(user_id, settings)
                language = self._profile(user_id, session, profile_language)()
                if language and language != "ja":
                    welcome.append(foreign_reply.greeting(settings, language))
            greeting = turn(TurnKind.FOLLOW, token, welcome)
            return self._with_notice(greeting, settings)
        if not isinstance(event, MessageEvent | PostbackEvent):
            return Turn(TurnKind.IGNORED)  # unfollow, join, unsend, unknown kinds: nothing to say
        if not isinstance(event.source, UserSource):
            return Turn(TurnKind.IGNORED)  # in a group every chat line would trigger an answer
        if index is None:
            return self._not_ready(event, token)
        session = self._session(event.source.user_id, index.settings)
        if isinstance(event, PostbackEvent):
            answered = self._postback(event, index, session)
            answered = menu_language.follow(answered, None, session, index.menu)
        else:
            message = event.message
            text = message.text if isinstance(message, TextMessageContent) else None
            # Used for this reply only: the point never reaches a Turn, a log or the state.
            point = (
                (message.latitude, message.longitude)
                if isinstance(message, LocationMessageContent)
                else None
            )
            asked = self._profile(event.source.user_id, session, profile_language)
            answered = self._message(
                text, event.reply_token, index, session, after_reply, point, asked
            )
        return self._with_notice(answered, index.settings)

    def _not_ready(self, event: MessageEvent | PostbackEvent, token: str | None) -> Turn:
        """Nothing published yet: "not ready", except to a resident in danger, who gets the
        national lines (and staff are told) even before the first workbook."""
        text = None
        if isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent):
            text = event.message.text
        kinds = detect(text)
        if not kinds or text is None:
            return turn(TurnKind.NOT_READY, token, messages.not_ready_messages())
        user_id = event.source.user_id if isinstance(event.source, UserSource) else None
        session = self._session(user_id, BotSettings())
        reading = read_message(text, with_staff=False, can_hand_over=False)
        spoken = reading.language or ""  # written in another language: the opening in it too
        return self.crisis.answer(kinds, token, BotSettings(), (), session, language=spoken)

    def _with_notice(self, answered: Turn, settings: BotSettings) -> Turn:
        """An active お知らせ goes first, above the greeting, answers and not-found messages."""
        if answered.kind not in NOTICED or answered.reply is None:
            return answered
        notice = active_notice(settings, datetime.fromtimestamp(self.clock(), UTC))
        if notice is None:
            return answered
        first = messages.text_message(notice.message_text())
        return answered.with_messages([first, *answered.reply.messages])

    def _session(self, user_id: str | None, settings: BotSettings) -> Session | None:
        """The resident's state for this event, or None to answer without one."""
        if self.state is None or self.salt is None or not user_id:
            return None
        salt = self.salt_guard.call("read", self.salt, "")
        if not salt:
            return None  # without the salt there is no user reference: answer statelessly
        user = log_model.user_ref(user_id, salt)
        return Session(user, self.clock(), settings, self.state.load(user))

    def _profile(
        self, user_id: str | None, session: Session | None, lookup: ProfileLanguage | None
    ) -> Callable[[], str | None]:
        """The resident's profile language, asked of LINE at most once per resident while the
        state keeps it (None: unknown, or LINE could not tell and is asked again next time)."""

        def language() -> str | None:
            if session is not None and session.stored.language:
                known = session.stored.language
                return None if known == NO_LANGUAGE else known
            if lookup is None or not user_id:
                return None
            try:
                tag = lookup(user_id)
            except Exception as error:  # a resident is answered without it
                logger.warning(
                    "profile language unavailable", extra={"error": type(error).__name__}
                )
                return None
            if tag is None:
                return None
            code = from_profile(tag) or NO_LANGUAGE
            if session is not None and self.state is not None:
                self.state.set_language(session.user, code)
            return None if code == NO_LANGUAGE else code

        return language

    # --- typed messages ------------------------------------------------------------------------

    def _message(
        self,
        text: str | None,
        token: str | None,
        index: Index,
        session: Session | None,
        after_reply: list[Callable[[], object]] | None = None,
        point: tuple[float, float] | None = None,
        profile_language: Callable[[], str | None] | None = None,
    ) -> Turn:
        desk = self.desk if session is not None else None
        reading = read_message(
            text,
            with_staff=desk is not None and session is not None and session.with_staff,
            can_hand_over=desk is not None,
            profile_language=profile_language,
            location=point is not None,
            has_shelters=len(index.shelters) > 0,
            topic_of=index.topic,
            menu_language=menu_language.sent_by_menu(text, session, index.menu),
        )
        spoken = reading.language or ""  # the resident's language ("" Japanese)
        match reading.kind:
            case MessageKind.CRISIS if text is not None:
                answered = self._crisis(reading.crisis, text, token, index, session, spoken)
            case MessageKind.BACK_TO_BOT if desk is not None and session is not None:
                ended = desk.end(session, token, spoken)
                return self._menu_language(ended, text, reading.language, session, index)
            case MessageKind.TO_STAFF if desk is not None and session is not None:
                return desk.hold(session, token, spoken)
            case MessageKind.ASK_STAFF if desk is not None and session is not None:
                return desk.start(session, token, TYPED, spoken)
            case MessageKind.LOCATION if point is not None:
                answered = self._shelters(point, token, index, session, spoken)
            case MessageKind.SHELTER:
                asked = shelter_reply.location_request_messages(index.settings, spoken)
                answered = turn(TurnKind.ASK_LOCATION, token, asked)
            case MessageKind.SMALL_TALK if reading.small_talk is not None:
                answered = self._small_talk(reading.small_talk, token, index, session, spoken)
            case MessageKind.FOREIGN if text is not None and reading.language is not None:
                answered = self._foreign(
                    text,
                    reading.language,
                    token,
                    index,
                    session,
                    after_reply,
                    japanese_words=reading.japanese_words,
                )
            case MessageKind.TOPIC if reading.topic is not None and text is not None:
                answered = self._topic(text, reading.topic, token, index, session, after_reply)
            case MessageKind.QUESTION if text is not None:
                answered = self._search(text, token, index, session, after_reply)
            case _:
                answered = turn(TurnKind.UNSUPPORTED, token, self._unsupported(index, spoken))
        answered = self._after(answered, session, spoken)
        return self._menu_language(answered, text, reading.language, session, index)

    def _menu_language(
        self,
        answered: Turn,
        text: str | None,
        foreign: str | None,
        session: Session | None,
        index: Index,
    ) -> Turn:
        """The resident's rich menu follows the language they write in (menu_language)."""
        written = menu_language.written_in(text, foreign, index.menu)
        return menu_language.follow(answered, written, session, index.menu)

    def remember_menu(self, user_id: str, language: str) -> None:
        """Keep the language of the menu the webhook just linked to the resident."""
        if self.state is None or self.salt is None or not user_id:
            return
        salt = self.salt_guard.call("read", self.salt, "")
        if salt:
            self.state.set_menu_language(log_model.user_ref(user_id, salt), language)

    def _crisis(
        self,
        kinds: tuple[CrisisKind, ...],
        text: str,
        token: str | None,
        index: Index,
        session: Session | None,
        language: str = "",
    ) -> Turn:
        """Consultation lines first, in any mode; while with staff the hand-over goes on."""
        with_staff = self.desk is not None and session is not None and session.with_staff
        if with_staff and self.desk is not None and session is not None:
            self.desk.keep(session)
        also: list[Message] = []
        if not with_staff and not set(kinds) & PROCEDURE_FREE:
            also = self._quiet_answer(text, index)
        return self.crisis.answer(
            kinds,
            token,
            index.settings,
            index.consultation_lines,
            session,
            with_staff=with_staff,
            also=also,
            language=language,
        )

    def _quiet_answer(self, text: str, index: Index) -> list[Message]:
        """The answer to a question asked in the same message (住民票の閲覧制限, 住居確保給付金 …)
        when the search is sure of it; neither logged nor remembered, like the message itself."""
        result = index.search(text.strip()[:MAX_QUERY_LENGTH], k=1 + messages.MORE_CANDIDATES)
        decision = search_reply.decide(result)
        if decision.kind is not search_reply.ReplyKind.ANSWER:
            return []
        return [messages.text_message(messages.answer_text(decision.faqs[0]))]

    def _small_talk(
        self,
        chat: SmallTalk,
        token: str | None,
        index: Index,
        session: Session | None,
        language: str = "",
    ) -> Turn:
        """A short kind reply; counted in the report, but not as a question."""
        if session is not None:
            self.log.event(log_model.SMALL_TALK, session, detail={"kind": str(chat)})
        # Nothing to search for: the categories are one tap away.
        quick = None
        if chat is SmallTalk.UNCLEAR:
            quick = messages.category_quick_reply(
                index.categories(), settings=index.settings, language=language
            )
        said = reply_text(chat, index.settings, language)
        return turn(TurnKind.SMALL_TALK, token, [messages.text_message(said, quick)])

    def _shelters(
        self,
        point: tuple[float, float],
        token: str | None,
        index: Index,
        session: Session | None,
        language: str = "",
    ) -> Turn:
        """The nearest open shelters; an active notice's hazards put their shelters first."""
        notice = active_notice(index.settings, datetime.fromtimestamp(self.clock(), UTC))
        hazards = hazards_named(notice.text) if notice is not None else ()
        found = shelter_reply.nearest_reply(
            index.shelters, *point, settings=index.settings, hazards=hazards, language=language
        )
        if session is not None:
            detail = {"shown": found.shown, "open": found.open_shown}
            self.log.event(log_model.SHELTER_SEARCH, session, detail=detail)
        return turn(TurnKind.SHELTERS, token, found.messages)

    def _unsupported(self, index: Index, language: str = "") -> list[Message]:
        return messages.unsupported_messages(index.settings, language)

    def _search(
        self,
        text: str,
        token: str | None,
        index: Index,
        session: Session | None,
        after_reply: list[Callable[[], object]] | None = None,
    ) -> Turn:
        query = text.strip()[:MAX_QUERY_LENGTH]
        if not query:
            return turn(TurnKind.UNSUPPORTED, token, self._unsupported(index))
        started = time.perf_counter()
        result = index.search(query, k=1 + messages.MORE_CANDIDATES)
        search_ms = (time.perf_counter() - started) * 1000
        decision = search_reply.decide(result)
        answered = decision.kind is search_reply.ReplyKind.ANSWER
        reply = search_reply.messages_for(decision, index, in_hours=self._in_hours(index.settings))
        searched = Turn(
            TurnKind.ANSWER if answered else TurnKind.NO_ANSWER,
            Reply(token, reply) if token else None,
            query=query,
            hit_ids=tuple(hit.faq.id for hit in result.hits),
            hit_scores=tuple(hit.score for hit in result.hits),
            search_ms=search_ms,
            faq_id=decision.faqs[0].id if answered else None,
        )
        if session is None or self.state is None or self.desk is None:
            return searched
        record = self.log.search_record(session, searched)
        state = self.state
        # A tap on what was shown (answer, candidates, choices or もしかして) is linked to this
        # search, which is what residents teach the bot with (madoguchi.learning).
        shown = searched.hit_ids if decision.faqs or decision.maybe else ()

        def note() -> int:
            return state.note_search(session.user, record.id, shown, answered)

        if after_reply is None:
            self.log.write(record)
            streak = note()
        else:
            after_reply.extend((lambda: self.log.write(record), note))
            # What note() will make of the streak that was just read.
            streak = 0 if answered else session.stored.no_answer_streak + 1
        if answered and searched.faq_id:
            feedback = replies.feedback_quick_reply(searched.faq_id, record.id)
            return _with_quick_reply(searched, feedback)
        return self.desk.offer(searched, streak)

    def _foreign(
        self,
        text: str,
        language: str,
        token: str | None,
        index: Index,
        session: Session | None,
        after_reply: list[Callable[[], object]] | None = None,
        *,
        japanese_words: bool = False,
    ) -> Turn:
        """A question in another language: choices in the resident's language, logged and
        remembered like any search, so a tap on a choice is linked to it (`japanese_words`:
        staff's Japanese words sent by a translated menu, searched as Japanese)."""
        query = text.strip()[:MAX_QUERY_LENGTH]
        started = time.perf_counter()
        wanted = 1 + messages.MORE_CANDIDATES
        if japanese_words:
            result = index.search(query, k=wanted)
        else:
            result = index.search_across(query, language, k=wanted)
        search_ms = (time.perf_counter() - started) * 1000
        decision = search_reply.decide(result)
        reply = foreign_reply.messages_for(decision, index, language)
        searched = Turn(
            TurnKind.NO_ANSWER,
            Reply(token, reply) if token else None,
            query=query,
            hit_ids=tuple(hit.faq.id for hit in result.hits),
            hit_scores=tuple(hit.score for hit in result.hits),
            search_ms=search_ms,
        )
        if session is None or self.state is None or self.desk is None:
            return searched
        record = self.log.search_record(session, searched)
        state = self.state
        shown = tuple(faq.id for faq in decision.faqs)

        def note() -> int:
            return state.note_search(session.user, record.id, shown, False)

        if after_reply is None:
            self.log.write(record)
            note()
        else:
            after_reply.extend((lambda: self.log.write(record), note))
        return searched

    def _topic(
        self,
        text: str,
        topic: Topic,
        token: str | None,
        index: Index,
        session: Session | None,
        after_reply: list[Callable[[], object]] | None = None,
    ) -> Turn:
        """Only a topic: its questions to choose from; logged like a search that showed them."""
        shown = topic_reply.shown_faqs(topic)
        listed = Turn(
            TurnKind.TOPIC,
            Reply(token, topic_reply.topic_messages(topic, index.categories())) if token else None,
            query=text.strip()[:MAX_QUERY_LENGTH],
            hit_ids=shown,
        )
        if session is None or self.state is None:
            return listed
        record = self.log.search_record(session, listed)
        state = self.state

        def note() -> int:
            # Not a miss: the resident was given the topic's questions (the streak restarts).
            return state.note_search(session.user, record.id, shown, True)

        if after_reply is None:
            self.log.write(record)
            note()
        else:
            after_reply.extend((lambda: self.log.write(record), note))
        return listed

    # --- taps ----------------------------------------------------------------------------------
    # Taps are answered also while staff have the conversation: a tap asks the bot for something
    # (a list, an answer), and the hand-over goes on until "AIに戻る" or its time-out.

    def _postback(self, event: PostbackEvent, index: Index, session: Session | None) -> Turn:
        token = event.reply_token
        action = postback.decode(event.postback.data if event.postback else None)
        spoken = getattr(action, "language", "")  # the language the tapped button was in
        if session is not None and self.desk is not None:
            match action:
                case postback.BackToBot():
                    return self.desk.end(session, token, spoken)
                case postback.Feedback(faq_id, helpful, search_id):
                    known = search_id if log_model.is_record_id(search_id) else ""
                    self.log.event(
                        log_model.FEEDBACK, session, faq_id=faq_id, helpful=helpful, search_id=known
                    )
                    said = self._feedback_reply(helpful, faq_id, search_id, index, session, spoken)
                    return turn(TurnKind.FEEDBACK, token, said)
                case postback.AskStaff(source):
                    return self.desk.start(session, token, source, spoken)
        categories = index.categories()
        match action:
            case postback.ShowFaq():
                answered = self._show_faq(action, token, index, session)
            case postback.ListCategory(name, page, source):
                faqs = index.faqs_in_category(name)
                if not faqs:
                    found = messages.unknown_category_messages(categories, index.settings, spoken)
                    answered = turn(TurnKind.UNKNOWN_CATEGORY, token, found)
                else:
                    if (page - 1) * messages.CATEGORY_PAGE_SIZE >= len(faqs):
                        page = 1  # an old "next" button after the category shrank
                    if spoken:  # each question as the resident reads it (the city's translation)
                        faqs = [foreign_reply.in_language(faq, spoken) for faq in faqs]
                    listed = messages.category_messages(name, faqs, page, index.settings, spoken)
                    answered = turn(TurnKind.CATEGORY, token, listed)
                    if session is not None and page == 1:  # a next page is the same list
                        self.log.listed(session, name, source)
            case postback.ListCategories(page):
                listed = messages.categories_messages(categories, page, index.settings, spoken)
                answered = turn(TurnKind.CATEGORIES, token, listed)
            case postback.AskStaff():
                # Without per-resident state there is no hand-over to start: say how it works.
                if spoken:
                    handover = [foreign_reply.handover(index.settings, spoken)]
                else:
                    handover = messages.handover_messages(index.settings)
                answered = turn(TurnKind.STAFF, token, handover)
            case _:
                answered = Turn(TurnKind.IGNORED)  # garbled or stale data: say nothing wrong
        return self._after(answered, session, spoken)

    def _show_faq(
        self, action: postback.ShowFaq, token: str | None, index: Index, session: Session | None
    ) -> Turn:
        """One FAQ's answer, logged with where it was tapped (and the search it came from)."""
        faq = index.faq(action.faq_id)
        spoken = action.language
        if faq is None:
            unknown = messages.unknown_faq_messages(index.categories(), index.settings, spoken)
            return turn(TurnKind.UNKNOWN_FAQ, token, unknown)
        said: list[Message] = [foreign_reply.answer_message(faq, index.settings, spoken)]
        department = index.department(faq.department)
        if department is not None and (department.dial or department.url):
            said.append(messages.contact_message(faq, department, index.settings, spoken))
        shown = turn(TurnKind.FAQ, token, said, faq_id=faq.id)
        if session is None:
            return shown
        stored = session.stored
        of_last_search = bool(stored.last_search_id) and faq.id in stored.last_faq_ids
        # Buttons sent before taps said where they were: the last search's candidates still tell.
        source = action.source or (postback.Source.CANDIDATE if of_last_search else "")
        from_search = of_last_search and source in (
            postback.Source.CANDIDATE,
            postback.Source.CHOICE,
        )
        search_id = stored.last_search_id if from_search else ""
        self.log.viewed(session, faq.id, source, search_id)
        feedback = replies.feedback_quick_reply(faq.id, search_id, index.settings, spoken)
        return _with_quick_reply(shown, feedback)

    def _feedback_reply(
        self,
        helpful: bool,
        faq_id: str,
        search_id: str,
        index: Index,
        session: Session,
        language: str = "",
    ) -> list[Message]:
        """Thanks; after 「役に立たなかった」 the next step, with the other FAQs that search showed
        (when it is the resident's last one) as the nearest questions."""
        if helpful:
            return replies.feedback_messages(True, settings=index.settings, language=language)
        stored = session.stored
        same_search = bool(search_id) and search_id == stored.last_search_id
        others = [index.faq(i) for i in stored.last_faq_ids if same_search and i != faq_id]
        nearest = [faq for faq in others if faq is not None]
        if language:  # each question as the resident reads it
            nearest = [foreign_reply.in_language(faq, language) for faq in nearest]
        return not_found_reply.unhelpful_messages(
            index.settings,
            index.categories(),
            nearest,
            in_hours=self._in_hours(index.settings),
            language=language,
        )

    def _in_hours(self, settings: BotSettings) -> bool:
        """Whether staff are in now (設定's 職員対応時間 and 休業日)."""
        return self.office_hours(settings).is_open(datetime.fromtimestamp(self.clock(), UTC))

    def _after(self, answered: Turn, session: Session | None, language: str = "") -> Turn:
        """The resident's first turn after a hand-over timed out starts with the notice."""
        if session is None or self.desk is None:
            return answered
        return self.desk.after_timeout(answered, session, language)


def _with_quick_reply(answered: Turn, quick_reply: QuickReply | None) -> Turn:
    if answered.reply is None or quick_reply is None:
        return answered
    return answered.with_messages(replies.with_quick_reply(answered.reply.messages, quick_reply))
