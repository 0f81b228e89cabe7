"""The rules that recognise a resident in danger: data, reviewed like code.

Each rule is a regular expression over the *folded phrase* of a message (NFKC, lower case, no
spaces, punctuation or emoji, katakana as hiragana, small kana as large: see detect.py), so
「ｼﾆﾀｲ」「シニタイ」「し に た い 😢」 all read 「しにたい」. Patterns are written in ordinary
Japanese (katakana included) and folded the same way when compiled.

A rule fires anywhere inside a message. `unless` names what makes the same words ordinary (「水道の
使用を終わりにしたい」). MASKS are removed before any rule is tried: idioms and procedures that
contain the words of danger without any (死ぬほど暑い, 笑い死に, 死亡届, 殺虫剤 …).

Questions *about* a topic (自殺予防の講演会, いじめ防止基本方針, DV相談の窓口の場所)
do not fire: most rules ask for what happens to the writer (され, 受け, したい …),
and the few that fire on a bare word (自殺, 虐待, いじめ, DV, ストーカー) stay quiet
when the message names a topic (TOPIC: 予防, 講座, 統計 …).
A missed resident costs more than a line shown to someone asking about the topic; the balance is
measured, not guessed.

When changing a rule, run `scripts/evaluate_crisis.py` (recall and false positives on the crisis
sets in tests/data, and how many FAQ questions of the search dev sets fire), and judge a change on
wording it was not written for.
"""

from __future__ import annotations

from dataclasses import dataclass

from madoguchi.crisis.kinds import CrisisKind

K = CrisisKind


@dataclass(frozen=True)
class Rule:
    """One way of writing one kind of danger."""

    kind: CrisisKind
    pattern: str
    unless: str = ""  # the rule does not fire when this matches the same message


# Idioms and procedures that contain the words of danger without any: removed before matching.
MASKS = (
    r"死ぬほど|しぬほど|死ぬかと思|しぬかと思|死にそうなほど|笑い死に|わらいしに",
    r"死亡届|死亡|亡くな|亡き|死去|遺品|遺言|死体|火葬|葬儀|相続",
    r"殺虫|殺処分|殺風景|必殺|殺菌|殺到|相殺|暴力団",
    r"(?:自殺|いじめ|虐待|DV|ストーカー|暴力)(?:予防|防止|対策|対応|相談窓口|規制|撲滅|根絶)",
    # The topic as a class, or an animal: 叩かないで育てる講座, 閉じ込められた猫.
    r"(?:叩|たた)かない(?:で)?|(?:猫|ねこ|犬|いぬ|ペット)(?:が|を)?(?:閉じ込め|とじこめ)",
    r"(?:閉じ込め|とじこめ)られた(?:猫|ねこ|犬|いぬ|ペット)",
)

_PARTNER = (
    r"(?:夫|旦那|ダンナ|主人|妻|嫁|彼氏|カレシ|彼女|彼|パートナー|配偶者|恋人|交際相手|元夫|元妻"
    r"|元彼|元カレ|おっと)"
)
_PARENT = (
    r"(?:親|父|母|ママ|パパ|お父さん|おとうさん|お母さん|おかあさん|義父|義母|継父|継母|おや"
    r"|おとん|おかん)"
)
_CHILD = r"(?:子ども|子供|こども|コドモ|息子|娘|赤ちゃん|あかちゃん|わが子|我が子)"
# 蹴 only in kanji: け+られ is also the end of 受けられ.
_HIT_WORDS = r"殴|なぐ|叩|たた|蹴|暴力|首を?(?:絞|締|しめ)|手を(?:あげ|上げ)"
_HIT = f"(?:{_HIT_WORDS})"
_DIE = r"(?:死|し|氏|タヒ)"  # 氏 and タヒ: a typing slip and the net's way of writing 死

# Words that make a message about a topic (a course, a statistic, a rule) rather than about the
# writer: the bare-word rules below stay quiet when one is present.
TOPIC = (
    r"予防|防止|対策|支援|研修|講習|講座|講演|統計|件数|調査|ポスター|法律|規制法|条例|月間|啓発"
    r"|ニュース|報道|説明会|コンクール|結果|研究|資料|取り組み|取組|計画|方針|アンケート|遺族"
)

RULES: tuple[Rule, ...] = (
    # --- immediate danger -----------------------------------------------------------------------
    Rule(K.DANGER, r"(?:助け|たすけ)て(?!くれる|もら|ほし|欲し|あげ|いただ|下さる|くださる)"),
    Rule(K.DANGER, r"(?:殺|ころ)され|(?:殺|ころ)すと(?:脅|おど|言)|(?:殺|ころ)してやる"),
    Rule(
        K.DANGER,
        r"(?:刃物|包丁|ほうちょう|ナイフ|凶器|銃)(?:を|で)?(?:持|もっ|振り|ふり|突き|つき)",
    ),
    Rule(K.DANGER, r"暴れて(?:いる|る|います|ます|いて)"),
    Rule(
        K.DANGER,
        r"(?:知らない|しらない|不審な?)(?:人|ひと|男|女|者)が.{0,6}(?:入って|はいって|侵入)",
    ),
    Rule(K.DANGER, r"火事(?:です|だ|が起き|になって)|(?:家|いえ|部屋)が燃えて"),
    Rule(K.DANGER, r"(?:襲|おそ)われ|命の危険|命が危な|いのちがあぶな"),
    Rule(
        K.DANGER,
        r"(?:息|いき)を?し(?:てい|て)?ない|(?:意識|いしき)が(?:ない|無い|ありません)|血が止まらない|倒れて(?:動かない|いる|る)",
    ),
    Rule(K.DANGER, r"(?:ドア|玄関|窓)を?(?:叩|たた|こじ開け|壊)"),
    Rule(K.DANGER, r"(?:刺|さ)され|(?:追いかけ|おいかけ|追い回|おいまわ)られ"),
    Rule(K.DANGER, r"(?:今|いま)すぐ(?:来て|きて)"),
    Rule(
        K.DANGER,
        r"(?:殺|ころ)すぞ|(?:殺|ころ)され(?:る|そう)かも|火が(?:出|で)て|(?:家|部屋|台所)が?燃えて",
    ),
    Rule(K.DANGER, r"ガス(?:の)?(?:におい|臭い|匂い|臭)が|ガスが(?:漏|も)れて"),
    # --- suicide and self-harm ------------------------------------------------------------------
    Rule(K.SUICIDE, _DIE + r"に(?:たい(?!へん|して|する|しての)|たく|た$)"),
    # しのう and しんだ only in kanji: わたしのうち, 楽しんだほうが.
    Rule(K.SUICIDE, r"死(?:のう|にます|ぬしかない|んでやる|んでしまいたい)|しにます|しぬしかない"),
    Rule(K.SUICIDE, r"死んだ(?:ほう|方)が|しんだほうが(?:まし|らく|楽)"),
    Rule(
        K.SUICIDE, r"(?:自殺|じさつ)(?:したい|しよう|する|します|しそう|を考|考え|未遂|願望|しかけ)"
    ),
    Rule(K.SUICIDE, r"(?:消|き)え(?:たい|てしまいたい|てなくなりたい|ちゃいたい|ていなくなりたい)"),
    Rule(K.SUICIDE, r"いなくなりたい|この世から|楽になりたい|らくになりたい"),
    Rule(
        K.SUICIDE,
        r"(?:終わり|おわり)に(?:したい|する|します|しよう)|(?:終わ|おわ)らせ(?:たい|る|ます)",
        # …and ending this conversation (これで終わりにします, to staff in a hand-over).
        unless=r"契約|使用|利用|手続|申請|水道|ガス|電気|解約|サービス|登録|会員|定期|引っ越|工事|放送"
        r"|(?:これ|ここ|今日|きょう)で(?:終わり|おわり)に",
    ),
    Rule(
        K.SUICIDE,
        r"(?:もう|もー|ほんとに|本当に)(?:限界|げんかい)(?!まで|集落)|(?:限界|げんかい)(?:です|だ|かも)?$",
    ),
    Rule(
        K.SUICIDE,
        r"(?:生|い)きる意味|(?:生|い)きてる意味|(?:生|い)きている意味|(?:生|い)きがいがない",
    ),
    Rule(
        K.SUICIDE,
        r"(?:生|い)きて(?:い)?たくない|(?:生|い)き(?:る|てる|ている)の(?:が|も)?(?:つら|辛|しんど|疲|いや|嫌|むり|無理)",
    ),
    Rule(K.SUICIDE, r"リスカ|リストカット|自傷|手首を?(?:切|き)|自分を(?:傷|きず)つけ"),
    Rule(
        K.SUICIDE,
        r"(?:薬|くすり)を?(?:たくさん|大量に?|いっぱい|全部|ぜんぶ)(?:飲|の)|オーバードーズ",
    ),
    Rule(
        K.SUICIDE,
        r"(?:飛び降り|とびおり|飛び込み|とびこみ)(?:たい|よう|ます|る)|首を?(?:吊|つ)(?:ろう|りたい|る)|首吊り|首つり",
    ),
    Rule(
        K.SUICIDE,
        r"(?:生|い)きて(?:いけない|いけません|いく自信がない)|(?:生|い)きて(?:る|いる)?(?:価値|かち)が(?:ない|無い)",
    ),
    Rule(
        K.SUICIDE,
        r"(?:死|し)ぬこと(?:ばかり|を|しか)|(?:死|し)んでも(?:いい|いいかな|かまわない)|(?:死|し)にたくなる",
    ),
    Rule(
        K.SUICIDE,
        r"(?:自分|わたし|私|僕|俺|おれ|ぼく)(?:なんか|なんて|が)(?:いない|居ない)(?:ほう|方)が",
    ),
    Rule(
        K.SUICIDE,
        r"(?:明日|あした)(?:なんて|なんか)(?:来なければ|こなければ|来なくていい|こなくていい)",
    ),
    Rule(
        K.SUICIDE,
        r"(?:睡眠薬|すいみんやく|薬|くすり)を?(?:ため|貯め|集め)て|(?:腕|うで|手首|てくび)を(?:切|き)",
    ),
    # The bare words: a message that says them, and is not about a topic, gets the lines.
    Rule(
        K.SUICIDE,
        r"自殺|じさつ|(?:死|し)ぬ方法|(?:死|し)に方|練炭|れんたん|首つり|首吊",
        unless=TOPIC,
    ),
    Rule(
        K.SUICIDE,
        r"(?:生|い)きる(?:の|こと)?に(?:疲|つか)れ|(?:全部|ぜんぶ|何もかも|なにもかも)(?:やめ|終わり|おわり)たい|もうどうでもいい",
    ),
    Rule(K.SUICIDE, r"(?:生|う)まれてこなければ|(?:生|う)まれてこなきゃ|遺書を?(?:書|か)"),
    Rule(K.SUICIDE, r"逝きたい|逝こう|自分を(?:殺|ころ)し|命を(?:絶|断|た)|自ら命"),
    Rule(
        K.SUICIDE,
        r"(?:生|い)き(?:る|てる|ている)(?:いみ|意味)|(?:高い|たかい)ところから(?:落|お)ち"
        r"|(?:さようなら|さよなら).{0,10}(?:疲|つか)れ|ごめん(?:なさい)?.{0,4}(?:さようなら|さよなら)",
    ),
    Rule(
        K.SUICIDE,
        r"(?:死|し)ぬ(?:つもり|気で|覚悟)|死のうと|しのうと(?:思|おも)|この世にいたくない",
    ),
    Rule(
        K.SUICIDE,
        r"(?:生|い)きて(?:いても|てても|ても|いて|て)?.{0,3}"
        r"(?:しょうがない|仕方(?:が)?ない|意味(?:が)?ない|無駄|むだ)",
    ),
    Rule(
        K.SUICIDE,
        r"人生に(?:疲|つか)れ|(?:飛び降り|とびおり)(?:たら|れば|て|ようか)|楽になれ(?:る|たら)",
    ),
    # --- a child being abused, or a parent afraid of abusing ------------------------------------
    Rule(K.CHILD_ABUSE, _PARENT + r"(?:に|から|が).{0,8}" + _HIT),
    Rule(
        K.CHILD_ABUSE,
        _PARENT + r"(?:に|から).{0,6}(?:ご飯|ごはん|食事|食べ物)を?(?:もらえ|くれ|食べさせて)",
    ),
    Rule(K.CHILD_ABUSE, _PARENT + r"が(?:怖|こわ)"),
    Rule(K.CHILD_ABUSE, r"虐待|ぎゃくたい|ネグレクト", unless=TOPIC + r"|通報|通告"),
    Rule(
        K.CHILD_ABUSE,
        _PARENT + r"(?:に|から).{0,4}(?:蹴|け)られ|" + _PARENT + r"が.{0,8}帰ってこない",
    ),
    Rule(
        K.CHILD_ABUSE,
        _PARENT + r"が.{0,6}(?:ご飯|ごはん|食事|食べ物)を?(?:くれない|作ってくれない)",
    ),
    Rule(K.CHILD_ABUSE, _PARENT + r"が.{0,8}(?:怖い|こわい|変な|へんな|いやな|嫌な)ことを"),
    Rule(
        K.CHILD_ABUSE,
        _CHILD
        + r"の(?:泣き叫ぶ|悲鳴|叫び)|(?:怒鳴り声|どなりごえ).{0,8}"
        + _CHILD
        + r"|"
        + _CHILD
        + r".{0,8}(?:怒鳴り声|どなりごえ)",
    ),
    Rule(K.CHILD_ABUSE, r"(?:虐待|ぎゃくたい)(?:され|を受け|をうけ|して|しそう|かも|では|じゃ|を)"),
    Rule(K.CHILD_ABUSE, _CHILD + r"(?:を|に).{0,4}(?:" + _HIT_WORDS + r"|あたって|当たって|怒鳴)"),
    Rule(
        K.CHILD_ABUSE, _CHILD + r"(?:が|を)?(?:かわいい|可愛い)と思えない|" + _CHILD + r"を愛せない"
    ),
    Rule(K.CHILD_ABUSE, r"ネグレクト|(?:変な|へんな|いやらしい|エッチな)ことを?(?:され|させられ)"),
    Rule(K.CHILD_ABUSE, _PARENT + r"(?:に|から).{0,4}(?:ご飯|ごはん|食事)を?(?:抜かれ|ぬかれ)"),
    Rule(
        K.CHILD_ABUSE,
        r"(?:揺さぶ|ゆさぶ)(?:って|り|る)|(?:外に|家から)(?:出され|締め出され|閉め出され)",
    ),
    Rule(K.CHILD_ABUSE, r"(?:体|からだ|胸|むね)を(?:触|さわ)られ|性的な?(?:こと|被害|虐待)"),
    # --- violence from a spouse or partner ------------------------------------------------------
    Rule(K.DV, _PARTNER + r"(?:に|から|が).{0,8}" + _HIT),
    Rule(K.DV, _PARTNER + r"が(?:怖|こわ)(?:くて|い)"),
    Rule(
        K.DV,
        r"dv|でぃーぶい|ドメスティックバイオレンス|暴言|モラハラ",
        unless=TOPIC + r"|窓口の場所",
    ),
    Rule(
        K.DV,
        _PARTNER + r"(?:の|からの)(?:暴力|dv|暴言)|(?:dv|暴力)が(?:ひどい|つらい|辛い|こわい|怖い)",
    ),
    Rule(
        K.DV,
        _PARTNER
        + r"(?:に|から).{0,8}(?:投げつけ|物を(?:投げ|なげ)|怒鳴られ|どなられ|脅され|おどされ)",
    ),
    Rule(
        K.DV,
        r"(?:dv|でぃーぶい|ドメスティックバイオレンス)(?:を|に)?(?:受け|うけ|され|さ|にあ|被害|から逃)",
        unless=TOPIC,
    ),
    Rule(K.DV, r"(?:殴|なぐ)られ|蹴られ|(?:叩|たた)かれ|暴力を?(?:受け|ふるわれ|振るわれ)"),
    Rule(
        K.DV,
        _PARTNER
        + r".{0,10}(?:暴れ|あばれ)|(?:髪|かみ)をつかまれ|引きずられ|突き飛ばされ|押し倒され",
    ),
    Rule(
        K.DV,
        r"お金を(?:取り上げ|とりあげ)られ"
        r"|(?:外出|外に出る?の)(?:も|を)?(?:させて|して)(?:もらえ|くれ)ない",
    ),
    # --- stalking and confinement ---------------------------------------------------------------
    Rule(K.STALKING, r"ストーカー(?:され|に|が(?:いる|います)|被害)", unless=TOPIC),
    Rule(
        K.STALKING,
        r"(?:ついて|付いて)(?:こられ|来られ)|(?:家|いえ)の(?:前|まえ)で(?:待って|まって).{0,6}(?:怖|こわ)",
    ),
    Rule(
        K.STALKING,
        r"ストーカー|(?:つけ|付け)(?:まわ|回)され|毎日(?:家|いえ)に(?:来|き)て.{0,4}(?:怖|こわ)",
        unless=TOPIC,
    ),
    Rule(
        K.STALKING, r"(?:付き|つき)まと(?:われ|い)|(?:後|あと)を(?:つけ|付け)られ|待ち伏せ|まちぶせ"
    ),
    Rule(K.STALKING, r"閉じ込め(?:られ)|とじこめられ|監禁|(?:外|家)から?出して(?:もらえ|くれ)ない"),
    Rule(
        K.STALKING,
        r"しつこく(?:連絡|電話|メール|ライン|つきまと)"
        r"|(?:家|職場|いえ)まで(?:来る|来て|きて|押しかけ)",
    ),
    Rule(K.STALKING, r"見張られ|(?:監視|かんし)されて|盗撮|盗聴"),
    # --- bullying -------------------------------------------------------------------------------
    Rule(K.BULLYING, r"いじめ(?:られ|にあ|に遭|を受け|をうけ|で)|いじめが(?:つら|辛|ひど)"),
    Rule(K.BULLYING, r"仲間外れに?され|なかまはずれにされ"),
    Rule(
        K.BULLYING,
        r"いじめ|イジメ|悪口を(?:言|い)われ|無視され|(?:嫌がらせ|いやがらせ)(?:を)?(?:され|受け|うけ)",
        unless=TOPIC,
    ),
    Rule(K.BULLYING, r"(?:靴|くつ|物|もの|教科書|上履き)を(?:隠|かく)され|(?:む|無)しされ"),
    # --- no food or no place to stay tonight ----------------------------------------------------
    Rule(
        K.BASIC_NEEDS,
        r"(?:泊まる|とまる|泊まれる|とまれる|寝る|ねる|眠る|住む|すむ|住める|帰る|かえる|行く|いく"
        r"|居る|いる|居られる)(?:ところ|所|とこ|場所|家|いえ)が(?:ない|なく|無い|無く|ありません)",
    ),
    Rule(
        K.BASIC_NEEDS,
        r"(?:泊まる|とまる|泊まれる|食べる|たべる)(?:お金|おかね)(?:も|が)(?:ない|無い)|(?:行く|いく)(?:あて|当て)が(?:ない|無い)",
    ),
    Rule(
        K.BASIC_NEEDS,
        r"(?:何も|なにも|\d+日|何日も|なんにちも)(?:食べ|たべ)て(?:ない|いない|ません)",
    ),
    Rule(K.BASIC_NEEDS, r"(?:今夜|こんや|今日|きょう)(?:どこで|どこに)(?:寝|ね|泊|とま)"),
    Rule(
        K.BASIC_NEEDS,
        r"(?:家|いえ)が(?:ない|無い|なくな)|ホームレス|野宿(?:して|する|中)|追い出され(?:た|て|ました)",
    ),
    Rule(
        K.BASIC_NEEDS,
        r"(?:食べる|たべる)(?:もの|物)が(?:ない|何も|なにも|無い|なく)|何日も(?:食べ|たべ)て(?:ない|いない)",
    ),
    Rule(
        K.BASIC_NEEDS,
        r"(?:お?金|おかね|所持金)が?(?:ない|なく|無く|無い|尽き|つき).{0,12}"
        r"(?:食べ|たべ|ご飯|ごはん|泊|とま|寝る|ねる|住む|すむ|住め)",
    ),
    Rule(
        K.BASIC_NEEDS,
        r"所持金(?:が|は)?(?:\d+円|ない|わずか|ほとんど|しか)|水だけで"
        r"|(?:食べ|たべ)させる(?:もの|物)が(?:ない|無い)",
    ),
    Rule(
        K.BASIC_NEEDS,
        r"(?:寝る|ねる|泊まる|とまる)(?:ところ|所|場所)が(?:なくて|ない)|公園で(?:寝|ね)(?:て|る)"
        r"|(?:何日|なんにち|\d+日)(?:間)?(?:も)?(?:まともに)?(?:食べ|たべ)て(?:ない|いない|ません)",
    ),
)
