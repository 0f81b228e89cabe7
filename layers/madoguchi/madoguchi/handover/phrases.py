"""Typed phrases that ask for a person, or ask to go back to the automatic answers."""

from __future__ import annotations

import re
import unicodedata

# Longer messages are real questions that happen to mention staff ("職員に相談する窓口の場所は?");
# they go to the search instead of starting a hand-over.
_MAX_PHRASE_LENGTH = 24

_WHO = (
    r"(?:職員|しょくいん|人間|ひと|人|担当者?|担当の(?:方|かた|人)|係の(?:方|人)|窓口の(?:方|人)"
    r"|スタッフ|オペレーター)"
)
_VIA = r"(?:さん|の方|のかた)?(?:と|に|へ|で|を)?"
_WANT = r"(?:話|はな|相談|そうだん|つな|繋|代わ|かわ|代われ|対応|呼ん|よん|お願い|おねがい|頼)"
_STAFF_PATTERNS = (
    re.compile(_WHO + _VIA + _WANT),
    re.compile(r"(?:オペレーター|有人対応|有人チャット|職員対応|職員に相談)"),
)
_BOT = r"(?:ai|bot|ボット|ぼっと|自動応答|自動|じどう|チャットボット|機械|きかい)"
_BACK_PATTERNS = (
    re.compile(_BOT + r"(?:に|へ)?(?:戻|もど)"),
    re.compile(_BOT + r"(?:で|に)(?:いい|ok|大丈夫|だいじょうぶ)"),
)
# While staff have the conversation, a short message that only says "back" or names the bot is a
# request to go back: the whole message must be one of these, so a sentence still goes to staff.
_RETURN = r"(?:戻|もど)(?:る|ります|りたい|りたいです|して|してください|って|ろう|れる)?"
_WHILE_WITH_STAFF = re.compile(
    rf"(?:{_RETURN}"
    rf"|{_BOT}(?:で|に|へ|と)?(?:{_RETURN}|お願いします|おねがいします|して|してください"
    r"|話したい|はなしたい|でいい|でいいです)?"
    r"|終了|しゅうりょう|終わり|おわり|終わります|おわります|キャンセル|きゃんせる|やめる|やめます)"
)


def normalize_phrase(text: str) -> str:
    """NFKC, lower case, and no spaces or punctuation, so "ＡＩに 戻る！" equals "aiに戻る"."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch for ch in text if ch == "ー" or unicodedata.category(ch)[0] not in "PZSC")


# The same in the languages Madoguchi speaks, read in lower case with spaces (the "ask staff"
# button's own words among them, typed).
_MAX_FOREIGN_LENGTH = 60
_FOREIGN_STAFF = re.compile(
    "|".join(
        (
            r"\b(?:talk|speak|chat) (?:to|with) (?:a |the |your )?"
            r"(?:staff|person|human|operator|officer|member of staff)\b",
            r"\b(?:ask|contact) (?:a |the )?staff\b|^\W*(?:staff|human|operator)(?: please)?\W*$",
            r"nói chuyện với nhân viên|gặp nhân viên|hỏi nhân viên|noi chuyen voi nhan vien",
            r"hoi nhan vien|gap nhan vien",
            r"人工客服|转人工|人工服务|(?:找|联系|咨询)工作人员",
            r"직원(?:과|이랑|하고|에게)? ?(?:상담|이야기|얘기|통화|문의)|상담원",
            r"falar com (?:um |uma |o |a )?(?:atendente|pessoa|funcionári[oa]|funcionari[oa])",
            r"hablar con (?:una |un |el )?(?:persona|empleado|personal|agente)",
            r"consultar (?:al )?personal",
            r"makausap (?:ang |ng )?(?:staff|tao)|magtanong sa staff",
            r"(?:bicara|berbicara) dengan petugas|tanya petugas|hubungi petugas",
            r"कर्मचारी(?:सँग|लाई) (?:कुरा|सोध)",
        )
    )
)


def asks_for_staff(text: str) -> bool:
    """True when a short message asks to talk to a person (職員と話したい, オペレーター,
    "I want to talk to staff", "Hỏi nhân viên" …)."""
    phrase = normalize_phrase(text)
    if not phrase:
        return False
    if len(phrase) <= _MAX_PHRASE_LENGTH and any(p.search(phrase) for p in _STAFF_PATTERNS):
        return True
    written = " ".join(unicodedata.normalize("NFC", (text or "").casefold()).split())
    return len(written) <= _MAX_FOREIGN_LENGTH and bool(_FOREIGN_STAFF.search(written))


def asks_to_return(text: str, *, with_staff: bool = False) -> bool:
    """True when the resident asks to go back to the automatic answers (AIに戻る, …); while
    with staff, short words alone do too (もどる, 戻りたい, AI, ボット, 自動で, 終わり …)."""
    phrase = normalize_phrase(text)
    if not phrase or len(phrase) > _MAX_PHRASE_LENGTH:
        return False
    if with_staff and _WHILE_WITH_STAFF.fullmatch(phrase):
        return True
    return any(p.search(phrase) for p in _BACK_PATTERNS)


# "I'm done" while staff have the conversation (もういいです, 解決しました,
# ありがとう、もう大丈夫です …): the whole message must be politeness around one of these,
# so "もういいですか" (a question), "まだ解決していません" or "大丈夫です" alone (an answer to
# staff) stay with staff.
_MAX_DONE_LENGTH = 40
_POLITE = (
    r"(?:ありがとう(?:ございます|ございました)?|ありがと|どうも|すみません|すいません|ごめんなさい"
    r"|はい|あ|えっと|わかりました|分かりました|了解(?:です|しました)?|失礼しました|お騒がせしました"
    r"|お手数(?:を)?おかけしました|大丈夫です|やっぱり|やはり|もう)"
)
_CLOSING = (
    r"(?:ありがとうございました|お世話になりました|(?:とても)?助かりました|失礼します"
    r"|お騒がせしました|失礼しました)"
)
_NO_LONGER = (
    r"(?:いい|ええ|大丈夫|だいじょうぶ|結構|けっこう|平気|ok|十分|じゅうぶん|用はありません"
    r"|必要ありません|必要ないです|要りません|いりません)"
)
_END = r"(?:です|でした|だよ|だ|よ|や|わ|になりました|なので|ですので)?"
_DONE_CORE = (
    rf"(?:もう{_NO_LONGER}{_END}"
    rf"|(?:やっぱり|やはり)(?:いい|大丈夫|結構|やめます|やめておきます|やめとき?ます){_END}"
    r"|(?:無事|自己|自分で)?解決(?:しました|した|できました|です|済みです|しましたので)(?:よ)?"
    r"|(?:自分で|じぶんで)(?:調べます|調べてみます|何とかします|なんとかします|わかりました)"
    r"|調べたら(?:わかりました|分かりました)"
    r"|(?:用事|用件)(?:は|が)?(?:済みました|すみました|終わりました)"
    r"|必要(?:なくなりました|なくなったので)|大丈夫になりました|問題なくなりました"
    r"|(?:相談|問い合わせ|お問い合わせ)(?:は|を)?(?:やめます|取り消します|キャンセルします)"
    r"|取り消してください|キャンセルでお願いします|キャンセルします"
    r"|(?:これで)?終わりにします|これで終わります|終わりで大丈夫です"
    r"|(?:自動応答に|元に)?戻ってください|戻っていいです|戻って大丈夫です|元に戻してください|元に戻って)"
)
_SAYS_DONE = re.compile(
    rf"{_POLITE}*{_DONE_CORE}(?:{_POLITE}|{_CLOSING})*|{_POLITE}*{_CLOSING}+(?:{_POLITE})*"
)
_QUESTION_MARKS = ("?", "？", "か")


def says_done(text: str) -> bool:
    """True when a message to staff says the resident no longer needs them (もういいです,
    解決しました, 戻ってください, やっぱりいいです, ありがとう、もう大丈夫です …);
    never a question."""
    raw = (text or "").strip()
    phrase = normalize_phrase(raw)
    if not phrase or len(phrase) > _MAX_DONE_LENGTH:
        return False
    if any(mark in raw for mark in _QUESTION_MARKS[:2]) or phrase.endswith(_QUESTION_MARKS[2]):
        return False
    return _SAYS_DONE.fullmatch(phrase) is not None
