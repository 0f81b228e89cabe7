"""Domain records read from the FAQ workbook and shared by every part of Madoguchi."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class Translation:
    """The city's own translation of one FAQ (「質問 (English)」「回答 (English)」)."""

    language: str  # madoguchi.language.codes
    question: str
    answer: str = ""


@dataclass(frozen=True)
class Faq:
    """One question-and-answer row of the `FAQ` sheet."""

    id: str
    question: str
    answer: str
    category: str = ""
    paraphrases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    url: str = ""
    department: str = ""
    published: bool = True
    row: int = 0  # source row in the sheet, so reports can point at it
    translations: tuple[Translation, ...] = ()

    def translation(self, language: str | None) -> Translation | None:
        """The city's translation into `language`, if there is one with a question."""
        return next((t for t in self.translations if t.language == language and t.question), None)


@dataclass(frozen=True)
class Department:
    """One row of the optional `担当課` sheet: where residents ask, by phone or on the web."""

    name: str
    phone: str = ""  # as staff wrote it (0120-000-101); tel: takes its digits
    hours: str = ""
    url: str = ""
    place: str = ""
    row: int = 0

    @property
    def dial(self) -> str:
        """The number a phone dials (digits, and a leading + or # kept)."""
        kept = "".join(c for c in self.phone if c.isdigit() or c in "+#")
        return kept[:1] + kept[1:].replace("+", "").replace("#", "")


@dataclass(frozen=True)
class Topic:
    """A message that names only a topic (ごみ, 年金): the FAQs of that topic, most viewed first."""

    name: str  # the category's name, or the resident's words
    faqs: tuple[Faq, ...]  # the first of them, most viewed first
    category: str = ""  # the category all of the topic's FAQs are listed under, when it is one
    size: int = 0  # how many FAQs the topic has in all (0: as many as `faqs`)


class ActionKind(enum.StrEnum):
    """What a rich-menu button does; values are the words staff write in the `メニュー` sheet."""

    FAQ = "FAQ"
    CATEGORY = "カテゴリ"
    URL = "URL"
    STAFF = "職員に相談"
    TEXT = "テキスト"
    SHELTER = "避難所"  # opens LINE's location picker; the location sent back finds shelters


@dataclass(frozen=True)
class MenuButton:
    """One button on a rich-menu tab."""

    label: str
    action: ActionKind
    value: str = ""
    row: int = 0
    # The city's own translations of the label (「ボタン (English)」), as (language, label) pairs.
    translations: tuple[tuple[str, str], ...] = ()

    def label_in(self, language: str | None) -> str:
        """The label in a language (madoguchi.language.codes), the Japanese one without it."""
        return dict(self.translations).get(language or "", self.label)


@dataclass(frozen=True)
class MenuTab:
    """One tab of the rich menu, with its buttons in the order staff listed them."""

    name: str
    buttons: tuple[MenuButton, ...] = ()
    # The city's own translations of the tab's name (「タブ (English)」), as (language, name).
    translations: tuple[tuple[str, str], ...] = ()

    def name_in(self, language: str | None) -> str:
        """The tab's name in a language, the Japanese one without it."""
        return dict(self.translations).get(language or "", self.name)


def menu_languages(menu: Sequence[MenuTab]) -> tuple[str, ...]:
    """The languages some tab or button of the menu is translated into, in a stable order."""
    found = {code for tab in menu for code, _ in tab.translations}
    found |= {code for tab in menu for button in tab.buttons for code, _ in button.translations}
    return tuple(sorted(found))


@dataclass(frozen=True)
class TestCase:
    """A resident-style question from the `テスト` sheet and the FAQ IDs that should answer it."""

    __test__ = False  # not a pytest class

    query: str
    relevant_ids: tuple[str, ...]
    row: int = 0


@dataclass(frozen=True)
class Refusal:
    """A 「学習しない言葉」 row: phrasings containing `words` are never learned (only for
    `faq_id`, when given)."""

    words: str
    faq_id: str = ""
    row: int = 0


@dataclass(frozen=True)
class LearnedPhrasing:
    """A phrasing of `faq_id`, learned from `residents` distinct residents (counts only)."""

    text: str  # the newest wording residents sent with this key
    faq_id: str
    residents: int
    confirmations: int  # searches that chose this FAQ (one resident may count several)
    first_seen: str  # ISO UTC
    last_seen: str  # ISO UTC

    def to_dict(self) -> dict[str, Any]:
        """Plain form stored in the index file and beside each version."""
        return {
            "text": self.text,
            "faq_id": self.faq_id,
            "residents": self.residents,
            "confirmations": self.confirmations,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LearnedPhrasing:
        """Inverse of to_dict."""
        return cls(
            text=str(data["text"]),
            faq_id=str(data["faq_id"]),
            residents=int(data.get("residents") or 0),
            confirmations=int(data.get("confirmations") or 0),
            first_seen=str(data.get("first_seen") or ""),
            last_seen=str(data.get("last_seen") or ""),
        )


@dataclass(frozen=True)
class ConsultationLine:
    """A phone line for residents in danger: a national default or a row of the `相談窓口` sheet."""

    kinds: tuple[str, ...]  # madoguchi.crisis.CrisisKind values the line is for
    name: str
    phone: str  # as staff wrote it: "0120-279-338", "#8008", "110"
    hours: str = ""
    url: str = ""
    row: int = 0  # source row in the sheet; 0 for a default

    def to_dict(self) -> dict[str, Any]:
        """Plain form stored in the index file."""
        return {
            "kinds": list(self.kinds),
            "name": self.name,
            "phone": self.phone,
            "hours": self.hours,
            "url": self.url,
            "row": self.row,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConsultationLine:
        """Inverse of to_dict."""
        return cls(
            kinds=tuple(str(k) for k in data.get("kinds", ())),
            name=str(data["name"]),
            phone=str(data["phone"]),
            hours=str(data.get("hours") or ""),
            url=str(data.get("url") or ""),
            row=int(data.get("row") or 0),
        )


# Japanese key in the `設定` sheet -> attribute of BotSettings.
SETTING_KEYS: dict[str, str] = {
    "自治体名": "city_name",
    "あいさつ": "greeting",
    "回答なしメッセージ": "no_answer_message",
    "ほかの候補の見出し": "more_candidates_label",
    "非対応メッセージ": "unsupported_message",
    "職員対応時間": "office_hours",
    "休業日": "closed_days",
    "職員引き継ぎメッセージ": "handover_message",
    "時間外引き継ぎメッセージ": "handover_after_hours_message",
    "職員対応終了メッセージ": "handover_end_message",
    "職員対応の自動終了(分)": "handover_timeout_minutes",
    "回答しきい値": "answer_threshold",
    "回答の確かさ": "answer_certainty",
    "検索ログ保存日数": "log_retention_days",
    "問い合わせ先": "contact",
    "問い合わせ電話": "inquiry_phone",
    "問い合わせ受付時間": "inquiry_hours",
    "お礼への返事": "thanks_reply",
    "あいさつへの返事": "hello_reply",
    "あいづちへの返事": "nod_reply",
    "短いメッセージへの返事": "unclear_reply",
    "お知らせ": "notice",
    "お知らせのURL": "notice_url",
    "お知らせの開始": "notice_start",
    "お知らせの終了": "notice_end",
    "お知らせ中のメニュー": "notice_menu_tab",
    "住民の言葉から学ぶ": "learn_from_residents",
    "学習に必要な人数": "learn_min_residents",
    "お知らせの配信": "notice_broadcast",
}


@dataclass(frozen=True)
class BotSettings:
    """What residents see, from the `設定` sheet; every key has a kind default."""

    city_name: str = "星見ヶ丘市"
    greeting: str = (
        "友だち追加ありがとうございます。{city_name}の「よくある質問」窓口です。\n"
        "知りたいことを、ふだんの言葉で送ってください（例：「粗大ごみの出し方」）。\n"
        "下のメニューからも選べます。"
    )
    no_answer_message: str = (
        "ごめんなさい、お答えできる情報が見つかりませんでした。\n"
        "言葉を変えて送っていただくか、分野から探してください。職員に相談することもできます。"
    )
    more_candidates_label: str = "ほかの候補はこちら"
    unsupported_message: str = "ご質問は文字で送ってください。下のメニューから選ぶこともできます。"
    office_hours: str = "月-金 8:30-17:15"
    closed_days: tuple[str, ...] = ()  # ISO dates such as 2026-12-29
    handover_message: str = (
        "職員におつなぎします。このままトークでご用件をお送りください。順番に職員がお返事します。"
    )
    handover_after_hours_message: str = (
        "ただいま受付時間外です。ご用件をお送りいただければ、"
        "次の受付時間（{office_hours}）に職員が確認してお返事します。"
    )
    handover_end_message: str = (
        "自動応答に戻りました。知りたいことを、ふだんの言葉で送ってください。"
    )
    handover_timeout_minutes: int = 60
    answer_threshold: float | None = None  # None: the index chooses one from the data
    # How sure the bot must be to give one answer: ふつう / 慎重 / 積極的 (a target precision of
    # answers, madoguchi.search.answer_policy).
    answer_certainty: str = "ふつう"
    log_retention_days: int = 90
    contact: str = ""
    # The city's general inquiry line, offered as a tap-to-call button when nothing was found or
    # an answer did not help outside the office hours (madoguchi.conversation.not_found_reply).
    inquiry_phone: str = ""  # as staff wrote it (0123-45-6789); validated in the 設定 sheet
    inquiry_hours: str = ""  # shown beside it (平日 8:30-17:15)
    # Short kind replies to messages that are not questions (madoguchi.conversation.small_talk).
    thanks_reply: str = "どういたしまして。またいつでも、知りたいことを送ってください。"
    hello_reply: str = (
        "{city_name}の「よくある質問」窓口です。"
        "知りたいことを、ふだんの言葉で送ってください（例：「粗大ごみの出し方」）。"
    )
    nod_reply: str = "ありがとうございます。ほかにも知りたいことがあれば、送ってください。"
    unclear_reply: str = (
        "どんなことをお調べしましょうか。「ごみの出し方」「住民票の取り方」のように送ってください。"
        "下のボタンの分野からも探せます。"
    )
    # One notice above every answer while it is active (madoguchi.notice); times are ISO text
    # with the Japan offset, "" for no limit.
    notice: str = ""
    notice_url: str = ""
    notice_start: str = ""
    notice_end: str = ""
    notice_menu_tab: str = ""  # the menu tab everyone sees first while the notice is active
    # Residents' questions, once enough of them chose a FAQ, become phrasings of it.
    learn_from_residents: bool = True
    learn_min_residents: int = 2
    # The city's wording of the fixed texts in other languages (madoguchi.language.texts),
    # keyed "greeting:en"; written in 設定 as 「あいさつ (English)」.
    translated_texts: dict[str, str] = field(default_factory=dict)
    # Send the notice once to every friend when it is published and active (madoguchi.broadcast).
    notice_broadcast: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        data = asdict(self)
        data["closed_days"] = list(self.closed_days)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BotSettings:
        """Inverse of to_dict; unknown keys are ignored so old artifacts still load."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if "closed_days" in values:
            values["closed_days"] = tuple(values["closed_days"])
        return cls(**values)


class ShelterKind(enum.StrEnum):
    """The designations of the national shelter lists; values are what staff write in 種別."""

    SHELTER = "指定避難所"
    EVACUATION_SITE = "指定緊急避難場所"
    WELFARE = "福祉避難所"


@dataclass(frozen=True)
class Shelter:
    """One row of the `避難所` sheet; `open` is True, False (閉鎖) or None (not said)."""

    name: str
    address: str
    latitude: float
    longitude: float
    kinds: tuple[ShelterKind, ...] = ()
    hazards: tuple[str, ...] = ()  # 洪水, 土砂, 地震, 津波, 高潮, 火災, 内水, 火山
    open: bool | None = None
    phone: str = ""
    url: str = ""
    row: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form (stored in the index file)."""
        return {
            "name": self.name,
            "address": self.address,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "kinds": [k.value for k in self.kinds],
            "hazards": list(self.hazards),
            "open": self.open,
            "phone": self.phone,
            "url": self.url,
            "row": self.row,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Shelter:
        """Inverse of to_dict."""
        return cls(
            name=str(data["name"]),
            address=str(data.get("address") or ""),
            latitude=float(data["latitude"]),
            longitude=float(data["longitude"]),
            kinds=tuple(ShelterKind(k) for k in data.get("kinds") or ()),
            hazards=tuple(str(h) for h in data.get("hazards") or ()),
            open=data.get("open"),
            phone=str(data.get("phone") or ""),
            url=str(data.get("url") or ""),
            row=int(data.get("row") or 0),
        )


@dataclass(frozen=True)
class FaqWorkbook:
    """Everything parsed from one workbook."""

    faqs: tuple[Faq, ...]
    synonyms: tuple[tuple[str, ...], ...] = ()
    settings: BotSettings = field(default_factory=BotSettings)
    menu: tuple[MenuTab, ...] = ()
    tests: tuple[TestCase, ...] = ()
    refusals: tuple[Refusal, ...] = ()  # the 学習しない言葉 sheet
    departments: tuple[Department, ...] = ()  # the 担当課 sheet
    consultation_lines: tuple[ConsultationLine, ...] = ()  # the 相談窓口 sheet
    shelters: tuple[Shelter, ...] = ()  # the optional 避難所 sheet

    @property
    def published_faqs(self) -> tuple[Faq, ...]:
        """FAQs residents may see."""
        return tuple(f for f in self.faqs if f.published)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form (tuples become lists, enums their values)."""
        return {
            "faqs": [faq_to_dict(f) for f in self.faqs],
            "synonyms": [list(g) for g in self.synonyms],
            "settings": self.settings.to_dict(),
            "menu": [menu_tab_to_dict(t) for t in self.menu],
            "tests": [
                {"query": t.query, "relevant_ids": list(t.relevant_ids), "row": t.row}
                for t in self.tests
            ],
            "refusals": [
                {"words": r.words, "faq_id": r.faq_id, "row": r.row} for r in self.refusals
            ],
            "departments": [asdict(d) for d in self.departments],
            "consultation_lines": [line.to_dict() for line in self.consultation_lines],
            "shelters": [s.to_dict() for s in self.shelters],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FaqWorkbook:
        """Inverse of to_dict."""
        return cls(
            faqs=tuple(faq_from_dict(f) for f in data.get("faqs", [])),
            synonyms=tuple(tuple(g) for g in data.get("synonyms", [])),
            settings=BotSettings.from_dict(data.get("settings", {})),
            menu=tuple(menu_tab_from_dict(t) for t in data.get("menu", [])),
            tests=tuple(
                TestCase(t["query"], tuple(t["relevant_ids"]), t.get("row", 0))
                for t in data.get("tests", [])
            ),
            refusals=tuple(
                Refusal(r["words"], r.get("faq_id", ""), r.get("row", 0))
                for r in data.get("refusals", [])
            ),
            departments=tuple(Department(**d) for d in data.get("departments", [])),
            consultation_lines=tuple(
                ConsultationLine.from_dict(line) for line in data.get("consultation_lines", [])
            ),
            shelters=tuple(Shelter.from_dict(s) for s in data.get("shelters", [])),
        )


def faq_to_dict(faq: Faq) -> dict[str, Any]:
    """Plain form of one FAQ."""
    data = asdict(faq)
    data["paraphrases"] = list(faq.paraphrases)
    data["keywords"] = list(faq.keywords)
    data["translations"] = [asdict(t) for t in faq.translations]
    return data


def faq_from_dict(data: dict[str, Any]) -> Faq:
    """Inverse of faq_to_dict."""
    values = dict(data)
    values["paraphrases"] = tuple(values.get("paraphrases", ()))
    values["keywords"] = tuple(values.get("keywords", ()))
    values["translations"] = tuple(Translation(**t) for t in values.get("translations", ()))
    return Faq(**values)


def menu_tab_to_dict(tab: MenuTab) -> dict[str, Any]:
    """Plain form of one menu tab (translations only when there are some, so the hash of an
    untranslated menu stays what it was)."""
    buttons = []
    for b in tab.buttons:
        button: dict[str, Any] = {
            "label": b.label,
            "action": b.action.value,
            "value": b.value,
            "row": b.row,
        }
        if b.translations:
            button["translations"] = dict(b.translations)
        buttons.append(button)
    plain: dict[str, Any] = {"name": tab.name, "buttons": buttons}
    if tab.translations:
        plain["translations"] = dict(tab.translations)
    return plain


def menu_tab_from_dict(data: dict[str, Any]) -> MenuTab:
    """Inverse of menu_tab_to_dict."""
    return MenuTab(
        name=data["name"],
        buttons=tuple(
            MenuButton(
                b["label"],
                ActionKind(b["action"]),
                b.get("value", ""),
                b.get("row", 0),
                tuple(b.get("translations", {}).items()),
            )
            for b in data.get("buttons", [])
        ),
        translations=tuple(data.get("translations", {}).items()),
    )
