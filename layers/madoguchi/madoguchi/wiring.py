"""Everything the functions run with, built from one Config: which storage, state, log, notifier,
credentials and LINE client. The webhook, the indexer and the local preview get their
dependencies here and nowhere else; every wiring problem raises ConfigError.

Time comes in as one `clock` (madoguchi.clock); tests and the preview pass their own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from madoguchi.adapters.conversation_state import (
    ConversationState,
    DynamoConversationState,
    SqliteConversationState,
)
from madoguchi.adapters.event_claims import DynamoEventClaims, SqliteEventClaims
from madoguchi.adapters.mail_ledger import DynamoMailLedger, MailLedger, SqliteMailLedger
from madoguchi.adapters.notifier import Notifier, OutboxNotifier, SnsNotifier
from madoguchi.adapters.search_log import DynamoSearchLog, SearchLog, SqliteSearchLog
from madoguchi.adapters.secrets import (
    LineCredentials,
    SsmLineCredentials,
    SsmLogSalt,
    StaticLineCredentials,
    read_access_token,
)
from madoguchi.adapters.storage import LocalStorage, S3Storage, Storage
from madoguchi.clock import Clock, system_clock
from madoguchi.config import Config, ConfigError
from madoguchi.store_guard import StoreGuard

if TYPE_CHECKING:  # each function imports only its own side, keeping both cold starts lean
    from madoguchi.adapters.embed_cache import CachingEmbedder
    from madoguchi.adapters.line_api import LineMessenger
    from madoguchi.conversation import Responder
    from madoguchi.conversation.handover import OfficeHoursFor
    from madoguchi.publish.broadcast import BroadcastApiFactory
    from madoguchi.publish.notice_schedule import LiveNotices
    from madoguchi.publish.rebuild import Calibrator
    from madoguchi.publish.workflow import AfterPublish, Learner
    from madoguchi.richmenu.live import LiveMenus
    from madoguchi.search.second_reader import SecondReader
    from madoguchi.search.semantic import Embedder
    from madoguchi.webhook import WebhookDeps

log = logging.getLogger(__name__)

STATE_MISSING = "set MADOGUCHI_STATE_TABLE (DynamoDB) or MADOGUCHI_STATE_PATH (SQLite)"


# --- one adapter per outside system ------------------------------------------------------------


def storage_for(config: Config, client: Any = None) -> S3Storage | LocalStorage:
    """The bucket, or the local folder standing in for it."""
    if config.bucket_name:
        return S3Storage(config.bucket_name, client=client)
    if config.local_dir is None:
        raise ConfigError("configuration names neither a bucket nor a local folder")
    return LocalStorage(config.local_dir)


def notifier_for(config: Config) -> SnsNotifier | OutboxNotifier | None:
    """SNS when a topic is configured; the outbox folder with local storage; else nobody."""
    if config.topic_arn:
        return SnsNotifier(config.topic_arn)
    if config.local_dir:
        return OutboxNotifier(config.local_dir / "outbox")
    return None


def event_claims_for(
    config: Config, client: Any = None, clock: Clock = system_clock
) -> DynamoEventClaims | SqliteEventClaims:
    """Where handled webhook events are remembered: the DynamoDB state table, else SQLite."""
    if config.state_table:
        return DynamoEventClaims(config.state_table, client=client, clock=clock)
    if config.state_path:
        return SqliteEventClaims(config.state_path, clock=clock)
    raise ConfigError(STATE_MISSING)


def conversation_state_for(
    config: Config, client: Any = None, clock: Clock = system_clock
) -> ConversationState:
    """Per-resident conversation state, in the same table (or file) as the event claims."""
    if config.state_table:
        return DynamoConversationState(config.state_table, client=client, clock=clock)
    if config.state_path:
        return SqliteConversationState(config.state_path, clock=clock)
    raise ConfigError(STATE_MISSING)


def mail_ledger_for(config: Config, client: Any = None, clock: Clock = system_clock) -> MailLedger:
    """The hand-over mails sent, in the same table (or file) as the conversation state."""
    if config.state_table:
        return DynamoMailLedger(config.state_table, client=client, clock=clock)
    if config.state_path:
        return SqliteMailLedger(config.state_path, clock=clock)
    raise ConfigError(STATE_MISSING)


def search_log_for(
    config: Config, clock: Clock = system_clock, client: Any = None
) -> SearchLog | None:
    """DynamoDB when MADOGUCHI_LOG_TABLE is set, else a table in the local SQLite state file."""
    if config.log_table:
        return DynamoSearchLog(config.log_table, client=client, clock=clock)
    if config.state_path:
        return SqliteSearchLog(config.state_path, clock=clock)
    return None


def credentials_for(config: Config) -> Callable[[], LineCredentials]:
    """SSM in AWS; the preview's own values only where Config allowed them (local storage)."""
    if config.local_channel_secret and config.local_access_token:
        return StaticLineCredentials(config.local_channel_secret, config.local_access_token)
    if not config.channel_secret_param or not config.channel_token_param:
        raise ConfigError(
            "set MADOGUCHI_CHANNEL_SECRET_PARAM and MADOGUCHI_CHANNEL_TOKEN_PARAM "
            "to the names of the SSM parameters holding the LINE channel secret and token"
        )
    return SsmLineCredentials(config.channel_secret_param, config.channel_token_param)


def salt_for(
    config: Config, log: SearchLog | None, fallback: Callable[[], str] | None = None
) -> Callable[[], str]:
    """The secret mixed into user references: SSM in the cloud, the SQLite file's own locally."""
    if config.log_salt_param:
        return SsmLogSalt(config.log_salt_param)
    if isinstance(log, SqliteSearchLog):
        salt = log.salt()
        return lambda: salt
    if fallback is not None:
        return fallback
    raise ConfigError("set MADOGUCHI_LOG_SALT_PARAM to the SSM parameter holding the log salt")


def line_messengers(host: str | None = None) -> Callable[[str], LineMessenger]:
    """One messenger per access token, kept across requests so its connections are reused."""
    from madoguchi.adapters.line_api import LineMessenger

    cache: dict[str, LineMessenger] = {}

    def messenger_for(access_token: str) -> LineMessenger:
        if access_token not in cache:
            cache.clear()  # a rotated token replaces the old messenger
            cache[access_token] = LineMessenger(access_token, host=host)
        return cache[access_token]

    return messenger_for


# --- the semantic signal -----------------------------------------------------------------------


def query_embedder_for(config: Config) -> Embedder | None:
    """The webhook's e5 engine, loaded and warmed with one question; None when the semantic
    signal is off or the engine cannot run here (then search is BM25 alone, logged once)."""
    if not config.semantic:
        return None
    from madoguchi.adapters.e5_engine import WARM_QUESTION, E5Engine, EngineUnavailable

    engine = E5Engine()
    try:
        engine.embed_queries([WARM_QUESTION])
    except EngineUnavailable as error:
        log.warning("semantic search is unavailable, answering with BM25 alone: %s", error)
        return None
    return engine


def second_reader_for(config: Config) -> SecondReader | None:
    """The webhook's second reader (madoguchi.search.second_reader), loaded now; None when the
    semantic signal is off or the model cannot load here (then e5 and BM25 rank, logged once)."""
    if not config.semantic:
        return None
    from madoguchi.adapters.use_engine import ReaderUnavailable, UseEngine
    from madoguchi.search.second_reader import SecondReader

    try:
        return SecondReader(UseEngine().load())
    except ReaderUnavailable as error:
        log.warning("the second reader is unavailable, ranking without it: %s", error)
        return None


def passage_embedder_for(config: Config, storage: Storage) -> CachingEmbedder | None:
    """The indexer's passage embedder: the EmbedFunction in AWS, the engine in-process locally,
    behind a cache beside the index; None when off or no engine can run (BM25 alone)."""
    if not config.semantic:
        return None
    from madoguchi.adapters.e5_engine import E5Engine, EngineUnavailable
    from madoguchi.adapters.embed_cache import CachingEmbedder, cache_key
    from madoguchi.search.semantic import MODEL_ID

    inner: Embedder
    if config.embed_function:
        from madoguchi.adapters.lambda_embedder import RemoteEmbedder

        inner = RemoteEmbedder(config.embed_function)
    else:
        try:
            inner = E5Engine().load()
        except EngineUnavailable as error:
            log.warning("no e5 engine here: indexes are built with BM25 alone: %s", error)
            return None
    return CachingEmbedder(inner, storage, cache_key(config.index_prefix, MODEL_ID))


def live_menus(host: str | None = None, clock: Clock = system_clock) -> Callable[[str], LiveMenus]:
    """The webhook's rich menu changes, one per access token (kept for their cached lookups),
    with LINE's short webhook timeout."""
    from madoguchi.adapters.line_api import DEFAULT_TIMEOUT_SECONDS
    from madoguchi.adapters.line_user_menus import LineUserMenus
    from madoguchi.richmenu.live import LiveMenus

    cache: dict[str, LiveMenus] = {}

    def menus_for(access_token: str) -> LiveMenus:
        if access_token not in cache:
            cache.clear()  # a rotated token replaces the old client
            api = LineUserMenus(access_token, host=host, timeout_seconds=DEFAULT_TIMEOUT_SECONDS)
            cache[access_token] = LiveMenus(api, clock)
        return cache[access_token]

    return menus_for


# --- the webhook -------------------------------------------------------------------------------


def responder_for(
    config: Config,
    *,
    clock: Clock = system_clock,
    salt_fallback: Callable[[], str] | None = None,
    office_hours: OfficeHoursFor | None = None,
    state_guard: StoreGuard | None = None,
    dynamodb: Any = None,
) -> Responder:
    """The conversation with its state, search log, staff notifier and user-reference salt;
    `office_hours` replaces the 設定 sheet's (the local preview's "pretend it is open")."""
    from madoguchi.conversation import Responder
    from madoguchi.conversation.handover import settings_office_hours

    log = search_log_for(config, clock, dynamodb)
    return Responder(
        state=conversation_state_for(config, client=dynamodb, clock=clock),
        salt=salt_for(config, log, salt_fallback),
        search_log=log,
        notifier=notifier_for(config),
        mail_ledger=mail_ledger_for(config, client=dynamodb, clock=clock),
        clock=clock,
        max_retention_days=config.log_retention_days,
        office_hours=office_hours or settings_office_hours,
        state_guard=state_guard,
    )


def webhook_deps(
    config: Config,
    *,
    clock: Clock = system_clock,
    office_hours: OfficeHoursFor | None = None,
    **overrides: Any,
) -> WebhookDeps:
    """What handle_webhook talks to. Tests and benchmarks replace pieces by name (credentials,
    claims, index, messenger_for, menus_for, responder, deadline_seconds, stopwatch); office
    hours, hand-over expiry, event claims, search-log days, notices and the state store's pauses
    read `clock`; `office_hours` goes to the responder."""
    from madoguchi.publish.live_index import IndexHolder
    from madoguchi.webhook import WebhookDeps

    known = {"credentials", "claims", "index", "messenger_for", "menus_for", "responder"}
    unknown = set(overrides) - known - {"deadline_seconds", "stopwatch"}
    if unknown:
        raise TypeError(f"no such webhook dependency: {', '.join(sorted(unknown))}")
    credentials = overrides.get("credentials") or credentials_for(config)
    # The event claims and the conversation state share a table, so they share its guard.
    guard = StoreGuard("conversation state", clock)
    values: dict[str, Any] = {"credentials": credentials, "state_guard": guard}
    # One DynamoDB client for the claims, the state and the search log, made now (at init).
    dynamodb = None
    if config.state_table or config.log_table:
        from madoguchi.adapters.aws import webhook_dynamodb_client

        dynamodb = webhook_dynamodb_client()
    if "claims" not in overrides:
        values["claims"] = event_claims_for(config, client=dynamodb, clock=clock)
    if "index" not in overrides:
        from madoguchi.search import glossary, homophones

        # Read now, at init (in the SnapStart snapshot): the first foreign question would
        # otherwise wait the 0.1 s it takes, the first question with kanji 0.01 s.
        glossary.built_in()
        homophones.table()
        values["index"] = IndexHolder(
            storage_for(config),
            config,
            embedder=query_embedder_for(config),
            reader=second_reader_for(config),
        )
    if "messenger_for" not in overrides:
        values["messenger_for"] = line_messengers(config.line_api_base)
    if "menus_for" not in overrides:
        values["menus_for"] = live_menus(config.line_api_base, clock)
    if "responder" not in overrides:
        # Without a salt parameter, user references are keyed with the channel secret instead.
        values["responder"] = responder_for(
            config,
            clock=clock,
            salt_fallback=lambda: credentials().channel_secret,
            office_hours=office_hours,
            state_guard=guard,
            dynamodb=dynamodb,
        )
    return WebhookDeps(**{**values, **overrides})


# --- the indexer -------------------------------------------------------------------------------


def rich_menu_hook(
    storage: Storage,
    config: Config,
    access_token: Callable[[], str] | None = None,
    clock: Clock = system_clock,
) -> AfterPublish | None:
    """The rich menu sync the indexer runs after a publish; None without a token setting.

    The token is the one given, the preview's local one, or read from SSM at each publish.
    """
    from madoguchi.richmenu import after_publish_sync

    access_token = access_token or indexer_token(config)
    if access_token is None:
        return None
    return after_publish_sync(storage, config, access_token, clock)


def indexer_token(config: Config) -> Callable[[], str] | None:
    """The indexer's LINE access token, read when called (so a rotated token is read again):
    the preview's local one, or the SSM parameter's; None without a token setting."""
    if config.local_access_token:
        local_token = config.local_access_token  # the preview's loopback LINE API
        return lambda: local_token
    if config.channel_token_param:
        parameter = config.channel_token_param
        return lambda: read_access_token(parameter)
    return None


def broadcast_api_for(
    config: Config, access_token: Callable[[], str] | None = None
) -> BroadcastApiFactory | None:
    """The LINE client a publish sends its notice with (made per publish, so a rotated token is
    read again); None without a token setting, like the rich menu sync."""
    from madoguchi.adapters.line_broadcast import LineBroadcastApi

    token = access_token or indexer_token(config)
    if token is None:
        return None
    host = config.line_api_base
    return lambda: LineBroadcastApi(token(), host=host)


@dataclass(frozen=True)
class IndexerDeps:
    """What the indexer publishes with."""

    config: Config
    storage: Storage
    notifier: Notifier | None  # SNS mail; an outbox folder in the local preview
    after_publish: AfterPublish | None  # the rich menu sync; None without a LINE token setting
    clock: Clock = system_clock
    embedder: CachingEmbedder | None = None  # FAQ passage vectors; None: BM25 alone
    learner: Learner | None = None  # the search log's learned phrasings; None without a log
    search_log: SearchLog | None = None  # read for learning and the scheduled search reports
    # The notice's broadcast to every friend; None without a LINE token setting.
    broadcast_api: BroadcastApiFactory | None = None
    calibrator: Calibrator | None = None  # the nightly answer threshold; None without a log
    # The live index the notice check reads, kept while the function is warm.
    live_notices: LiveNotices | None = None


def learner_for(
    config: Config, clock: Clock = system_clock, log: SearchLog | None = None
) -> Learner | None:
    """Learned phrasings from the search log the webhook writes; None when there is none."""
    from madoguchi.learning.source import LogLearning

    log = log or search_log_for(config, clock)
    if log is None:
        return None
    return LogLearning(log, clock, days=config.log_retention_days)


def calibrator_for(
    config: Config, clock: Clock = system_clock, log: SearchLog | None = None
) -> Calibrator | None:
    """The nightly calibration of the answer threshold from the search log; None without one."""
    from madoguchi.learning.source import LogCalibration

    log = log or search_log_for(config, clock)
    return None if log is None else LogCalibration(log, clock)


def indexer_deps(config: Config, *, clock: Clock = system_clock) -> IndexerDeps:
    """The indexer's storage, notifier, rich menu sync, passage embedder, search-log learning
    and the live notice its check reads."""
    from madoguchi.publish.notice_schedule import LiveNotices

    storage = storage_for(config)
    log = search_log_for(config, clock)
    return IndexerDeps(
        config=config,
        storage=storage,
        notifier=notifier_for(config),
        after_publish=rich_menu_hook(storage, config, clock=clock),
        clock=clock,
        learner=learner_for(config, clock, log),
        search_log=log,
        calibrator=calibrator_for(config, clock, log),
        embedder=passage_embedder_for(config, storage),
        broadcast_api=broadcast_api_for(config),
        live_notices=LiveNotices(storage, config.index_prefix),
    )
