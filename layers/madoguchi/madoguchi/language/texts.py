"""The fixed texts residents who write in another language see, in their language.

Each text can be replaced by the city in the 設定 sheet, as 「あいさつ (English)」 and the like
(SETTING_NAMES). Answers a city has not translated are shown in Japanese: the choices text says
so, and the resident can still ask staff. The texts are short, polite and plain, as a city's
counter would speak; {city_name} is replaced by the city's name.
"""

from __future__ import annotations

from collections.abc import Mapping

from madoguchi.language.codes import BY_CODE, EASY_JAPANESE

GREETING = "greeting"
CHOICES = "choices"  # above the closest questions
NOT_FOUND = "not_found"
HANDOVER = "handover"
STAFF = "staff"  # the "talk to staff" button (20 characters at most)

# The 設定 sheet's name of each text: 「あいさつ (English)」.
SETTING_NAMES: dict[str, str] = {
    GREETING: "あいさつ",
    CHOICES: "選択肢の見出し",
    NOT_FOUND: "回答なしメッセージ",
    HANDOVER: "職員引き継ぎメッセージ",
    STAFF: "職員に相談ボタン",
}

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        GREETING: "Thank you for adding us. This is the {city_name} FAQ service. "
        "Please send your question in your own words.",
        CHOICES: "These answers may help. Please tap one (answers may be in Japanese).",
        NOT_FOUND: "Sorry, we could not find an answer. "
        "Please try other words, or tap “Ask staff” to ask a member of staff.",
        HANDOVER: "We will pass your message to staff. Please write what you need here. "
        "Staff may reply in Japanese.",
        STAFF: "Ask staff",
    },
    "zh": {
        GREETING: "感谢您添加好友。这里是{city_name}的常见问题咨询窗口。请直接发送您想了解的问题。",
        CHOICES: "以下回答可能对您有帮助，请点击查看（回答可能是日语）。",
        NOT_FOUND: "很抱歉，没有找到相关回答。请换个说法再试，或点击“咨询工作人员”。",
        HANDOVER: "我们将为您转接工作人员。请在这里写下您的问题。工作人员可能会用日语回复。",
        STAFF: "咨询工作人员",
    },
    "ko": {
        GREETING: "친구 추가해 주셔서 감사합니다. {city_name} 자주 묻는 질문 창구입니다. "
        "궁금한 점을 편하게 보내 주세요.",
        CHOICES: "아래 답변이 도움이 될 수 있습니다. "
        "눌러서 확인해 주세요(답변은 일본어일 수 있습니다).",
        NOT_FOUND: "죄송합니다. 답변을 찾지 못했습니다. "
        "다른 말로 다시 보내 주시거나 ‘직원에게 문의’를 눌러 주세요.",
        HANDOVER: "직원에게 연결해 드리겠습니다. 여기에 용건을 적어 주세요. "
        "직원이 일본어로 답변할 수 있습니다.",
        STAFF: "직원에게 문의",
    },
    "vi": {
        GREETING: "Cảm ơn bạn đã kết bạn. Đây là dịch vụ hỏi đáp của {city_name}. "
        "Xin hãy gửi câu hỏi bằng lời của bạn.",
        CHOICES: "Những câu trả lời này có thể giúp bạn. Xin hãy chạm để xem "
        "(câu trả lời có thể bằng tiếng Nhật).",
        NOT_FOUND: "Xin lỗi, chúng tôi không tìm thấy câu trả lời. "
        "Xin hãy thử cách nói khác, hoặc chạm “Hỏi nhân viên”.",
        HANDOVER: "Chúng tôi sẽ chuyển tin nhắn của bạn đến nhân viên. "
        "Xin hãy viết nội dung ở đây. Nhân viên có thể trả lời bằng tiếng Nhật.",
        STAFF: "Hỏi nhân viên",
    },
    "pt": {
        GREETING: "Obrigado por nos adicionar. Este é o atendimento de perguntas frequentes de "
        "{city_name}. Envie sua pergunta com suas próprias palavras.",
        CHOICES: "Estas respostas podem ajudar. Toque em uma delas "
        "(as respostas podem estar em japonês).",
        NOT_FOUND: "Desculpe, não encontramos uma resposta. "
        "Tente outras palavras ou toque em “Falar com atendente”.",
        HANDOVER: "Vamos passar sua mensagem a um atendente. Escreva aqui o que precisa. "
        "O atendente pode responder em japonês.",
        STAFF: "Falar com atendente",
    },
    "es": {
        GREETING: "Gracias por agregarnos. Este es el servicio de preguntas frecuentes de "
        "{city_name}. Envíe su pregunta con sus propias palabras.",
        CHOICES: "Estas respuestas pueden ayudarle. Toque una "
        "(las respuestas pueden estar en japonés).",
        NOT_FOUND: "Lo sentimos, no encontramos una respuesta. "
        "Pruebe con otras palabras o toque “Consultar personal”.",
        HANDOVER: "Pasaremos su mensaje al personal. Escriba aquí lo que necesita. "
        "El personal puede responder en japonés.",
        STAFF: "Consultar personal",
    },
    "tl": {
        GREETING: "Salamat sa pag-add sa amin. Ito ang FAQ service ng {city_name}. "
        "Ipadala po ang inyong tanong sa sarili ninyong salita.",
        CHOICES: "Maaaring makatulong ang mga sagot na ito. Pindutin po ang isa "
        "(maaaring nasa Japanese ang sagot).",
        NOT_FOUND: "Paumanhin po, wala kaming nahanap na sagot. "
        "Subukan po ang ibang salita, o pindutin ang “Magtanong sa staff”.",
        HANDOVER: "Ipapasa namin ang inyong mensahe sa staff. Isulat po dito ang inyong kailangan. "
        "Maaaring sumagot ang staff sa Japanese.",
        STAFF: "Magtanong sa staff",
    },
    "ne": {
        GREETING: "हामीलाई थप्नुभएकोमा धन्यवाद। यो {city_name} को बारम्बार सोधिने प्रश्न सेवा हो। "
        "कृपया आफ्नो प्रश्न आफ्नै शब्दमा पठाउनुहोस्।",
        CHOICES: "यी उत्तरहरूले मद्दत गर्न सक्छन्। कृपया एउटा थिच्नुहोस् (उत्तर जापानी भाषामा हुन सक्छ)।",
        NOT_FOUND: "माफ गर्नुहोस्, उत्तर भेटिएन। कृपया अरू शब्दमा पठाउनुहोस्, वा “कर्मचारीलाई सोध्नुस्” थिच्नुहोस्।",
        HANDOVER: "हामी तपाईंको सन्देश कर्मचारीलाई पठाउँछौं। कृपया यहाँ आफ्नो कुरा लेख्नुहोस्। "
        "कर्मचारीले जापानी भाषामा जवाफ दिन सक्छन्।",
        STAFF: "कर्मचारीलाई सोध्नुस्",
    },
    "id": {
        GREETING: "Terima kasih telah menambahkan kami. Ini layanan tanya jawab {city_name}. "
        "Silakan kirim pertanyaan Anda dengan kata-kata sendiri.",
        CHOICES: "Jawaban ini mungkin membantu. Silakan ketuk salah satu "
        "(jawaban mungkin dalam bahasa Jepang).",
        NOT_FOUND: "Maaf, kami tidak menemukan jawabannya. "
        "Silakan coba kata lain, atau ketuk “Tanya petugas”.",
        HANDOVER: "Pesan Anda akan kami teruskan ke petugas. Silakan tulis keperluan Anda di sini. "
        "Petugas mungkin membalas dalam bahasa Jepang.",
        STAFF: "Tanya petugas",
    },
    EASY_JAPANESE: {
        GREETING: "ともだち に して くれて、ありがとう ございます。{city_name} の しつもん の "
        "まどぐち です。しりたい こと を おくって ください。",
        CHOICES: "この なか に、こたえ が あるかも しれません。おして ください。",
        NOT_FOUND: "ごめんなさい。こたえ が みつかりません でした。ちがう ことば で おくって "
        "ください。「しょくいん に きく」を おしても いいです。",
        HANDOVER: "しょくいん に つなぎます。ここ に ようじ を かいて ください。",
        STAFF: "しょくいん に きく",
    },
}

LANGUAGE_CODES = (*BY_CODE, EASY_JAPANESE)


def text_for(name: str, language: str, overrides: Mapping[str, str], city_name: str) -> str:
    """One fixed text in the language (the city's own wording from 設定 first)."""
    key = override_key(name, language)
    text = overrides.get(key) or TEXTS.get(language, TEXTS[EASY_JAPANESE])[name]
    return text.replace("{city_name}", city_name)


def override_key(name: str, language: str) -> str:
    """How a city's wording of a text is kept in BotSettings.translated_texts."""
    return f"{name}:{language}"
