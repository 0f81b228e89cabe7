"""The fixed texts residents who write in another language see, in their language.

Every reply a resident can get has its words here, once per language: the welcome, the choices,
"not found", small talk, the hand-over and its way back, feedback, the next step, category lists,
shelters and the opening of the crisis reply. Each text can be replaced by the city in the 設定
sheet, as 「あいさつ (English)」 and the like (SETTING_NAMES). What only the city writes (answers
it has not translated, category names, shelter names and addresses, consultation lines) stays in
Japanese, and the text around it says so. The texts are short, polite and plain, as a city's
counter would speak; {city_name} is replaced by the city's name, and other {placeholders} by
what the reply fills in (a label, a moment, a name).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from madoguchi.clock import JST
from madoguchi.language.codes import BY_CODE, EASY_JAPANESE
from madoguchi.model import BotSettings

GREETING = "greeting"
CHOICES = "choices"  # above the closest questions
NOT_FOUND = "not_found"
HANDOVER = "handover"
STAFF = "staff"  # the "talk to staff" button (20 characters at most)
HANDOVER_AFTER_HOURS = "handover_after_hours"  # {next_opening}
BACK = "back"  # the "back to automatic answers" button
HOW_TO_GO_BACK = "how_to_go_back"  # {back}
RECEIVED = "received"  # the first message written to staff
RECEIVED_AFTER_HOURS = "received_after_hours"  # {next_opening}
STILL_WITH_STAFF = "still_with_staff"
HANDOVER_END = "handover_end"
TIMED_OUT = "timed_out"
SENT_TO_STAFF = "sent_to_staff"
NOT_SWITCHED = "not_switched"  # {back}
HELPFUL = "helpful"  # button
UNHELPFUL = "unhelpful"  # button
HELPFUL_THANKS = "helpful_thanks"
UNHELPFUL_THANKS = "unhelpful_thanks"
CALL_TEXT = "call_text"  # above the inquiry line after hours
CALL = "call"  # button
THANKS = "thanks"
HELLO = "hello"
NOD = "nod"
UNCLEAR = "unclear"
UNSUPPORTED = "unsupported"
CATEGORY = "category"  # {name}: a category's list of questions
CHOOSE_CATEGORY = "choose_category"
JAPANESE_ONLY = "japanese_only"  # under an answer the city has not translated
CONTACT = "contact"
MORE_INFO = "more_info"
ASK_LOCATION = "ask_location"  # {location}
LOCATION = "location"  # button
SHELTERS_OPEN = "shelters_open"
SHELTERS_NONE_OPEN = "shelters_none_open"
SHELTER_SAFETY = "shelter_safety"
SHELTER_FOR = "shelter_for"  # {hazards}
SHELTER_NOT_FOR = "shelter_not_for"  # {hazards}
CRISIS = "crisis"
CRISIS_DANGER = "crisis_danger"
LINES_TITLE = "lines_title"
CRISIS_STAFF = "crisis_staff"  # {staff}
CRISIS_AFTER_HOURS = "crisis_after_hours"  # {next_opening}
CRISIS_WITH_STAFF = "crisis_with_staff"
# The 職員対応中 rich menu linked while staff have the conversation (its back button is BACK).
STAFF_MENU_BAR = "staff_menu_bar"  # the bar under the chat (LINE shows 14 characters)
STAFF_MENU_BANNER = "staff_menu_banner"  # the banner above the buttons
STAFF_MENU_LIST = "staff_menu_list"  # the button listing the questions by topic

# Buttons: LINE shows at most 20 characters of a label.
LABELS = (STAFF, BACK, HELPFUL, UNHELPFUL, CALL, LOCATION, STAFF_MENU_LIST)

# The 設定 sheet's name of each text: 「あいさつ (English)」.
SETTING_NAMES: dict[str, str] = {
    GREETING: "あいさつ",
    CHOICES: "選択肢の見出し",
    NOT_FOUND: "回答なしメッセージ",
    HANDOVER: "職員引き継ぎメッセージ",
    STAFF: "職員に相談ボタン",
    HANDOVER_AFTER_HOURS: "時間外引き継ぎメッセージ",
    BACK: "AIに戻るボタン",
    HOW_TO_GO_BACK: "戻り方の案内",
    RECEIVED: "職員あての受付メッセージ",
    RECEIVED_AFTER_HOURS: "時間外の受付メッセージ",
    STILL_WITH_STAFF: "職員対応中メッセージ",
    HANDOVER_END: "職員対応終了メッセージ",
    TIMED_OUT: "自動終了メッセージ",
    SENT_TO_STAFF: "職員に届いたメッセージ",
    NOT_SWITCHED: "切り替え失敗メッセージ",
    HELPFUL: "役に立ったボタン",
    UNHELPFUL: "役に立たなかったボタン",
    HELPFUL_THANKS: "役に立ったへのお礼",
    UNHELPFUL_THANKS: "役に立たなかったへのお礼",
    CALL_TEXT: "時間外の電話案内",
    CALL: "電話ボタン",
    THANKS: "お礼への返事",
    HELLO: "あいさつへの返事",
    NOD: "あいづちへの返事",
    UNCLEAR: "短いメッセージへの返事",
    UNSUPPORTED: "非対応メッセージ",
    CATEGORY: "分野の見出し",
    CHOOSE_CATEGORY: "分野を選ぶ案内",
    JAPANESE_ONLY: "日本語のみの案内",
    CONTACT: "お問い合わせ先の見出し",
    MORE_INFO: "くわしくはこちらの見出し",
    ASK_LOCATION: "位置情報のお願い",
    LOCATION: "位置情報ボタン",
    SHELTERS_OPEN: "開設中の避難所の見出し",
    SHELTERS_NONE_OPEN: "開設なしの避難所の見出し",
    SHELTER_SAFETY: "避難の注意",
    SHELTER_FOR: "避難所の対象",
    SHELTER_NOT_FOR: "避難所の対象外",
    CRISIS: "相談窓口の最初の言葉",
    CRISIS_DANGER: "危険なときの言葉",
    LINES_TITLE: "相談窓口の見出し",
    CRISIS_STAFF: "相談のときの職員案内",
    CRISIS_AFTER_HOURS: "相談のときの時間外案内",
    CRISIS_WITH_STAFF: "相談のときの職員対応中案内",
    STAFF_MENU_BAR: "職員対応中メニューの名前",
    STAFF_MENU_BANNER: "職員対応中メニューの見出し",
    STAFF_MENU_LIST: "質問一覧ボタン",
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
        HANDOVER_AFTER_HOURS: "We will pass your message to staff. Staff are not in now; "
        "they will read it from {next_opening} and reply in this chat. "
        "Please write what you need here.",
        BACK: "Back to auto-reply",
        HOW_TO_GO_BACK: "To go back to automatic answers, tap “{back}”.",
        RECEIVED: "We have received your message. Staff will read it and reply in this chat.",
        RECEIVED_AFTER_HOURS: "We have received your message. Staff are not in now; "
        "they will read it from {next_opening}.",
        STILL_WITH_STAFF: "You are already connected to staff. Please write what you need here.",
        HANDOVER_END: "You are back to automatic answers. "
        "Please send your question in your own words.",
        TIMED_OUT: "As there were no messages for a while, automatic answers are back on.",
        SENT_TO_STAFF: "The messages you wrote have reached staff. "
        "Their reply will come in this chat.",
        NOT_SWITCHED: "Sorry, we could not switch back just now. Please tap “{back}” again in a "
        "little while. Messages you send until then will reach staff.",
        HELPFUL: "Helpful",
        UNHELPFUL: "Not helpful",
        HELPFUL_THANKS: "Thank you. We are glad it helped.",
        UNHELPFUL_THANKS: "Thank you for letting us know. We will use it to improve our answers.\n"
        "You can send your question in other words, or ask staff.",
        CALL_TEXT: "Staff are not in now. You can also call us (in Japanese).",
        CALL: "Call",
        THANKS: "You're welcome. Please send us a question any time.",
        HELLO: "This is the {city_name} FAQ service. Please send your question in your own words.",
        NOD: "Thank you. If there is anything else you would like to know, please send it.",
        UNCLEAR: "What would you like to know? Please write your question, "
        "for example “How do I put out garbage?”.",
        UNSUPPORTED: "Please send your question as text.",
        CATEGORY: "Questions about “{name}”",
        CHOOSE_CATEGORY: "Please choose a topic with the buttons below (topics are in Japanese).",
        JAPANESE_ONLY: "This answer is available only in Japanese.",
        CONTACT: "Contact",
        MORE_INFO: "More information",
        ASK_LOCATION: "We will look for shelters near you.\n"
        "Tap “{location}” below and send where you are now.\n"
        "(Your location is used only to find shelters and is not kept.)",
        LOCATION: "Send location",
        SHELTERS_OPEN: "Open shelters near you, nearest first "
        "(names and addresses are in Japanese).",
        SHELTERS_NONE_OPEN: "No shelter is open now. {city_name} will announce it when one "
        "opens. These are the nearest shelters and evacuation sites, nearest first "
        "(names and addresses are in Japanese).",
        SHELTER_SAFETY: "If the way is dangerous, do not force yourself to move; go to a safe "
        "place nearby, such as an upper floor of a building.",
        SHELTER_FOR: "For: {hazards}",
        SHELTER_NOT_FOR: "Not designated for: {hazards}",
        CRISIS: "Thank you for telling us. You are not alone. You can call one of the lines "
        "below now (they may answer in Japanese).",
        CRISIS_DANGER: "If you are in danger now, call 110 (police) or 119 (fire / ambulance) "
        "at once. Tap a button below to call.",
        LINES_TITLE: "Lines you can call now",
        CRISIS_STAFF: "You can also talk with {city_name} staff in this chat. Tap “{staff}” below.",
        CRISIS_AFTER_HOURS: "{city_name} staff are not in now. They can reply in this chat from "
        "{next_opening}. Until then, please call a line above.",
        CRISIS_WITH_STAFF: "This chat also reaches {city_name} staff. "
        "They will read it and reply here.",
        STAFF_MENU_BAR: "With staff",
        STAFF_MENU_BANNER: "Connected to staff. What you write goes to staff.",
        STAFF_MENU_LIST: "List of questions",
    },
    "zh": {
        GREETING: "感谢您添加好友。这里是{city_name}的常见问题咨询窗口。请直接发送您想了解的问题。",
        CHOICES: "以下回答可能对您有帮助，请点击查看（回答可能是日语）。",
        NOT_FOUND: "很抱歉，没有找到相关回答。请换个说法再试，或点击“咨询工作人员”。",
        HANDOVER: "我们将为您转接工作人员。请在这里写下您的问题。工作人员可能会用日语回复。",
        STAFF: "咨询工作人员",
        HANDOVER_AFTER_HOURS: "我们将为您转接工作人员。现在是非工作时间，工作人员将从{next_opening}"
        "起查看并在这里回复。请在这里写下您的问题。",
        BACK: "返回自动回答",
        HOW_TO_GO_BACK: "如需返回自动回答，请点击“{back}”。",
        RECEIVED: "已收到您的消息。工作人员确认后会在这里回复您。",
        RECEIVED_AFTER_HOURS: "已收到您的消息。现在是非工作时间，"
        "工作人员将从{next_opening}起查看。",
        STILL_WITH_STAFF: "您已经在与工作人员联系中。请在这里写下您的问题。",
        HANDOVER_END: "已返回自动回答。请直接发送您想了解的问题。",
        TIMED_OUT: "由于一段时间没有消息，已返回自动回答。",
        SENT_TO_STAFF: "您发送的消息已送达工作人员。工作人员的回复也会发到这里。",
        NOT_SWITCHED: "很抱歉，现在无法切换回自动回答。请稍后再点击一次“{back}”。"
        "在此之前发送的消息会送达工作人员。",
        HELPFUL: "有帮助",
        UNHELPFUL: "没有帮助",
        HELPFUL_THANKS: "谢谢您的反馈。很高兴能帮到您。",
        UNHELPFUL_THANKS: "谢谢您告诉我们，我们会用来改进回答。\n"
        "您可以换个说法再发送，也可以咨询工作人员。",
        CALL_TEXT: "现在是工作人员的非工作时间。您也可以打电话咨询（日语）。",
        CALL: "打电话",
        THANKS: "不客气。有想了解的事情，请随时发送给我们。",
        HELLO: "这里是{city_name}的常见问题咨询窗口。请直接发送您想了解的问题。",
        NOD: "谢谢。如果还有其他想了解的事情，请发送给我们。",
        UNCLEAR: "您想了解什么呢？请写下您的问题，例如“垃圾怎么扔？”。",
        UNSUPPORTED: "请用文字发送您的问题。",
        CATEGORY: "关于“{name}”的问题",
        CHOOSE_CATEGORY: "请从下面的按钮中选择分类（分类名称为日语）。",
        JAPANESE_ONLY: "此回答只有日语版本。",
        CONTACT: "咨询处",
        MORE_INFO: "详细信息",
        ASK_LOCATION: "我们帮您查找附近的避难所。\n请点击下方的“{location}”，发送您现在的位置。\n"
        "（位置信息只用于查找避难所，不会保存。）",
        LOCATION: "发送位置信息",
        SHELTERS_OPEN: "这是您附近现在开放的避难所，按距离由近到远排列（名称和地址为日语）。",
        SHELTERS_NONE_OPEN: "现在没有开放的避难所。开放时{city_name}会发布通知。"
        "以下是附近的避难所和避难场所，按距离由近到远排列（名称和地址为日语）。",
        SHELTER_SAFETY: "如果路上危险，请不要勉强移动，请到附近安全的地方（如建筑物的高层）。",
        SHELTER_FOR: "适用灾害：{hazards}",
        SHELTER_NOT_FOR: "未被指定为以下灾害时的避难地点：{hazards}",
        CRISIS: "谢谢您告诉我们。您不是一个人。现在可以拨打下面的电话咨询（可能用日语接听）。",
        CRISIS_DANGER: "如果您现在有危险，请立即拨打110（警察）或119（消防·急救）。"
        "点击下面的按钮即可拨打。",
        LINES_TITLE: "现在可以拨打的咨询电话",
        CRISIS_STAFF: "您也可以在这里与{city_name}的工作人员交谈。请点击下方的“{staff}”。",
        CRISIS_AFTER_HOURS: "现在是{city_name}工作人员的非工作时间。工作人员从{next_opening}起"
        "可以在这里回复您。在此之前，请拨打上面的电话。",
        CRISIS_WITH_STAFF: "这里的对话也会送达{city_name}的工作人员。"
        "工作人员确认后会在这里回复您。",
        STAFF_MENU_BAR: "工作人员对应中",
        STAFF_MENU_BANNER: "正在与工作人员联系。您发送的消息会转给工作人员。",
        STAFF_MENU_LIST: "问题列表",
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
        HANDOVER_AFTER_HOURS: "직원에게 연결해 드리겠습니다. 지금은 업무 시간이 아니어서 직원이 "
        "{next_opening}부터 확인하고 여기에서 답변합니다. 여기에 용건을 적어 주세요.",
        BACK: "자동 응답으로 돌아가기",
        HOW_TO_GO_BACK: "자동 응답으로 돌아가려면 ‘{back}’ 버튼을 눌러 주세요.",
        RECEIVED: "메시지를 받았습니다. 직원이 확인한 후 여기에서 답변해 드립니다.",
        RECEIVED_AFTER_HOURS: "메시지를 받았습니다. 지금은 업무 시간이 아니어서 직원이 "
        "{next_opening}부터 확인합니다.",
        STILL_WITH_STAFF: "지금 직원과 연결되어 있습니다. 여기에 용건을 적어 주세요.",
        HANDOVER_END: "자동 응답으로 돌아왔습니다. 궁금한 점을 편하게 보내 주세요.",
        TIMED_OUT: "한동안 메시지가 없어 자동 응답으로 돌아왔습니다.",
        SENT_TO_STAFF: "보내 주신 메시지는 직원에게 전달되었습니다. 직원의 답변도 여기로 옵니다.",
        NOT_SWITCHED: "죄송합니다. 지금은 자동 응답으로 바꾸지 못했습니다. 잠시 후 ‘{back}’ "
        "버튼을 다시 눌러 주세요. 그때까지 보내신 메시지는 직원에게 전달됩니다.",
        HELPFUL: "도움이 됐어요",
        UNHELPFUL: "도움이 안 됐어요",
        HELPFUL_THANKS: "감사합니다. 도움이 되어 다행입니다.",
        UNHELPFUL_THANKS: "알려 주셔서 감사합니다. 답변을 고치는 데 활용하겠습니다.\n"
        "다른 말로 다시 보내 주시거나 직원에게 문의하실 수도 있습니다.",
        CALL_TEXT: "지금은 직원 업무 시간이 아닙니다. 전화로도 문의하실 수 있습니다(일본어).",
        CALL: "전화하기",
        THANKS: "천만에요. 궁금한 점이 있으면 언제든지 보내 주세요.",
        HELLO: "{city_name} 자주 묻는 질문 창구입니다. 궁금한 점을 편하게 보내 주세요.",
        NOD: "감사합니다. 더 궁금한 점이 있으면 보내 주세요.",
        UNCLEAR: "무엇을 알아볼까요? ‘쓰레기는 어떻게 버리나요?’처럼 질문을 보내 주세요.",
        UNSUPPORTED: "질문은 글자로 보내 주세요.",
        CATEGORY: "‘{name}’에 관한 질문",
        CHOOSE_CATEGORY: "아래 버튼에서 분야를 골라 주세요(분야 이름은 일본어입니다).",
        JAPANESE_ONLY: "이 답변은 일본어로만 제공됩니다.",
        CONTACT: "문의처",
        MORE_INFO: "자세히 보기",
        ASK_LOCATION: "가까운 대피소를 찾아 드리겠습니다.\n아래 ‘{location}’ 버튼을 눌러 지금 "
        "계신 곳을 보내 주세요.\n(위치 정보는 대피소를 찾는 데만 쓰고 저장하지 않습니다.)",
        LOCATION: "위치 정보 보내기",
        SHELTERS_OPEN: "지금 열려 있는 가까운 대피소입니다. 가까운 순서입니다"
        "(이름과 주소는 일본어입니다).",
        SHELTERS_NONE_OPEN: "지금 열려 있는 대피소는 없습니다. 열리면 {city_name}에서 알려 "
        "드립니다. 가까운 대피소와 대피 장소입니다. 가까운 순서입니다(이름과 주소는 일본어입니다).",
        SHELTER_SAFETY: "길이 위험할 때는 무리하게 이동하지 말고, 가까운 안전한 곳"
        "(건물의 위층 등)으로 가세요.",
        SHELTER_FOR: "대상 재해: {hazards}",
        SHELTER_NOT_FOR: "다음 재해 때의 대피 장소로는 지정되어 있지 않습니다: {hazards}",
        CRISIS: "말씀해 주셔서 감사합니다. 혼자가 아닙니다. 지금 아래 전화로 상담할 수 있습니다"
        "(일본어로 응답할 수 있습니다).",
        CRISIS_DANGER: "지금 위험하다면 바로 110(경찰)이나 119(소방·구급)에 전화하세요. "
        "아래 버튼을 누르면 전화가 걸립니다.",
        LINES_TITLE: "지금 전화할 수 있는 상담 창구",
        CRISIS_STAFF: "여기에서 {city_name} 직원과 이야기할 수도 있습니다. "
        "아래 ‘{staff}’ 버튼을 눌러 주세요.",
        CRISIS_AFTER_HOURS: "지금은 {city_name} 직원의 업무 시간이 아닙니다. 직원은 "
        "{next_opening}부터 여기에서 답변할 수 있습니다. 그때까지는 위의 창구에 전화해 주세요.",
        CRISIS_WITH_STAFF: "이 대화는 {city_name} 직원에게도 전달됩니다. "
        "직원이 확인하고 여기에서 답변합니다.",
        STAFF_MENU_BAR: "직원 연결 중",
        STAFF_MENU_BANNER: "직원과 연결되어 있습니다. 보내신 메시지는 직원에게 전달됩니다.",
        STAFF_MENU_LIST: "질문 목록",
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
        HANDOVER_AFTER_HOURS: "Chúng tôi sẽ chuyển tin nhắn của bạn đến nhân viên. Bây giờ là "
        "ngoài giờ làm việc; nhân viên sẽ xem từ {next_opening} và trả lời ở đây. "
        "Xin hãy viết nội dung ở đây.",
        BACK: "Về trả lời tự động",
        HOW_TO_GO_BACK: "Để quay lại trả lời tự động, xin hãy chạm “{back}”.",
        RECEIVED: "Chúng tôi đã nhận được tin nhắn của bạn. Nhân viên sẽ xem và trả lời ở đây.",
        RECEIVED_AFTER_HOURS: "Chúng tôi đã nhận được tin nhắn của bạn. Bây giờ là ngoài giờ "
        "làm việc; nhân viên sẽ xem từ {next_opening}.",
        STILL_WITH_STAFF: "Bạn đang được kết nối với nhân viên. Xin hãy viết nội dung ở đây.",
        HANDOVER_END: "Đã quay lại trả lời tự động. Xin hãy gửi câu hỏi bằng lời của bạn.",
        TIMED_OUT: "Vì một thời gian không có tin nhắn, trả lời tự động đã được bật lại.",
        SENT_TO_STAFF: "Tin nhắn bạn đã gửi đã đến nhân viên. "
        "Câu trả lời của nhân viên cũng sẽ đến ở đây.",
        NOT_SWITCHED: "Xin lỗi, hiện chưa thể quay lại trả lời tự động. Xin hãy chạm “{back}” "
        "lại sau một lúc. Tin nhắn gửi trước lúc đó sẽ đến nhân viên.",
        HELPFUL: "Hữu ích",
        UNHELPFUL: "Không hữu ích",
        HELPFUL_THANKS: "Cảm ơn bạn. Chúng tôi rất vui vì đã giúp được bạn.",
        UNHELPFUL_THANKS: "Cảm ơn bạn đã cho chúng tôi biết. Chúng tôi sẽ dùng ý kiến này để "
        "cải thiện câu trả lời.\nBạn có thể gửi lại bằng cách nói khác, hoặc hỏi nhân viên.",
        CALL_TEXT: "Bây giờ là ngoài giờ làm việc của nhân viên. "
        "Bạn cũng có thể gọi điện (bằng tiếng Nhật).",
        CALL: "Gọi điện",
        THANKS: "Không có gì. Bạn có thể gửi câu hỏi bất cứ lúc nào.",
        HELLO: "Đây là dịch vụ hỏi đáp của {city_name}. Xin hãy gửi câu hỏi bằng lời của bạn.",
        NOD: "Cảm ơn bạn. Nếu còn điều gì muốn biết, xin hãy gửi cho chúng tôi.",
        UNCLEAR: "Bạn muốn biết điều gì? Xin hãy viết câu hỏi, ví dụ “Vứt rác như thế nào?”.",
        UNSUPPORTED: "Xin hãy gửi câu hỏi bằng chữ.",
        CATEGORY: "Câu hỏi về “{name}”",
        CHOOSE_CATEGORY: "Xin hãy chọn lĩnh vực bằng các nút bên dưới "
        "(tên lĩnh vực bằng tiếng Nhật).",
        JAPANESE_ONLY: "Câu trả lời này chỉ có bằng tiếng Nhật.",
        CONTACT: "Nơi liên hệ",
        MORE_INFO: "Xem chi tiết",
        ASK_LOCATION: "Chúng tôi sẽ tìm nơi sơ tán gần bạn.\nXin hãy chạm “{location}” bên dưới "
        "và gửi vị trí hiện tại của bạn.\n"
        "(Vị trí chỉ dùng để tìm nơi sơ tán và không được lưu lại.)",
        LOCATION: "Gửi vị trí",
        SHELTERS_OPEN: "Đây là các nơi sơ tán đang mở gần bạn, từ gần đến xa "
        "(tên và địa chỉ bằng tiếng Nhật).",
        SHELTERS_NONE_OPEN: "Hiện không có nơi sơ tán nào đang mở. {city_name} sẽ thông báo khi "
        "mở. Đây là các nơi sơ tán gần bạn, từ gần đến xa (tên và địa chỉ bằng tiếng Nhật).",
        SHELTER_SAFETY: "Nếu đường đi nguy hiểm, đừng cố di chuyển; hãy đến nơi an toàn gần đó "
        "(như tầng trên của tòa nhà).",
        SHELTER_FOR: "Dùng khi: {hazards}",
        SHELTER_NOT_FOR: "Không được chỉ định làm nơi sơ tán khi: {hazards}",
        CRISIS: "Cảm ơn bạn đã cho chúng tôi biết. Bạn không một mình. Bây giờ bạn có thể gọi "
        "đến các số bên dưới (có thể được trả lời bằng tiếng Nhật).",
        CRISIS_DANGER: "Nếu bạn đang gặp nguy hiểm, hãy gọi ngay 110 (cảnh sát) hoặc 119 "
        "(cứu hỏa, cấp cứu). Chạm nút bên dưới để gọi.",
        LINES_TITLE: "Các số điện thoại có thể gọi ngay",
        CRISIS_STAFF: "Bạn cũng có thể nói chuyện với nhân viên {city_name} ở đây. "
        "Xin hãy chạm “{staff}” bên dưới.",
        CRISIS_AFTER_HOURS: "Bây giờ là ngoài giờ làm việc của nhân viên {city_name}. Nhân viên "
        "có thể trả lời ở đây từ {next_opening}. Trước đó, xin hãy gọi đến các số ở trên.",
        CRISIS_WITH_STAFF: "Cuộc trò chuyện này cũng đến nhân viên {city_name}. "
        "Nhân viên sẽ xem và trả lời ở đây.",
        STAFF_MENU_BAR: "Gặp nhân viên",
        STAFF_MENU_BANNER: "Đang kết nối với nhân viên. Tin nhắn bạn viết sẽ đến nhân viên.",
        STAFF_MENU_LIST: "Danh sách câu hỏi",
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
        HANDOVER_AFTER_HOURS: "Vamos passar sua mensagem a um atendente. Agora estamos fora do "
        "horário de atendimento; o atendente vai ler a partir de {next_opening} e responder "
        "aqui. Escreva aqui o que precisa.",
        BACK: "Voltar ao automático",
        HOW_TO_GO_BACK: "Para voltar às respostas automáticas, toque em “{back}”.",
        RECEIVED: "Recebemos sua mensagem. O atendente vai ler e responder aqui.",
        RECEIVED_AFTER_HOURS: "Recebemos sua mensagem. Agora estamos fora do horário de "
        "atendimento; o atendente vai ler a partir de {next_opening}.",
        STILL_WITH_STAFF: "Você já está falando com um atendente. Escreva aqui o que precisa.",
        HANDOVER_END: "Você voltou às respostas automáticas. "
        "Envie sua pergunta com suas próprias palavras.",
        TIMED_OUT: "Como não houve mensagens por um tempo, as respostas automáticas voltaram.",
        SENT_TO_STAFF: "As mensagens que você escreveu chegaram ao atendente. "
        "A resposta também chegará aqui.",
        NOT_SWITCHED: "Desculpe, não foi possível voltar agora. Toque em “{back}” de novo daqui "
        "a pouco. As mensagens enviadas até lá chegam ao atendente.",
        HELPFUL: "Ajudou",
        UNHELPFUL: "Não ajudou",
        HELPFUL_THANKS: "Obrigado. Que bom que ajudou.",
        UNHELPFUL_THANKS: "Obrigado por nos avisar. Vamos usar isso para melhorar as respostas.\n"
        "Você pode enviar a pergunta com outras palavras ou falar com um atendente.",
        CALL_TEXT: "Agora estamos fora do horário de atendimento. "
        "Você também pode telefonar (em japonês).",
        CALL: "Telefonar",
        THANKS: "De nada. Envie sua pergunta quando quiser.",
        HELLO: "Este é o atendimento de perguntas frequentes de {city_name}. "
        "Envie sua pergunta com suas próprias palavras.",
        NOD: "Obrigado. Se quiser saber mais alguma coisa, é só enviar.",
        UNCLEAR: "O que você gostaria de saber? Escreva sua pergunta, "
        "por exemplo “Como separar o lixo?”.",
        UNSUPPORTED: "Envie sua pergunta em texto, por favor.",
        CATEGORY: "Perguntas sobre “{name}”",
        CHOOSE_CATEGORY: "Escolha um assunto nos botões abaixo (os nomes estão em japonês).",
        JAPANESE_ONLY: "Esta resposta está disponível só em japonês.",
        CONTACT: "Contato",
        MORE_INFO: "Mais informações",
        ASK_LOCATION: "Vamos procurar abrigos perto de você.\nToque em “{location}” abaixo e "
        "envie onde você está agora.\n"
        "(A localização é usada só para procurar abrigos e não é guardada.)",
        LOCATION: "Enviar localização",
        SHELTERS_OPEN: "Abrigos abertos perto de você, do mais próximo ao mais distante "
        "(nomes e endereços em japonês).",
        SHELTERS_NONE_OPEN: "Nenhum abrigo está aberto agora. {city_name} vai avisar quando "
        "abrir. Estes são os abrigos e locais de evacuação mais próximos "
        "(nomes e endereços em japonês).",
        SHELTER_SAFETY: "Se o caminho estiver perigoso, não se desloque à força; vá para um "
        "lugar seguro por perto, como um andar alto de um prédio.",
        SHELTER_FOR: "Para: {hazards}",
        SHELTER_NOT_FOR: "Não é indicado para: {hazards}",
        CRISIS: "Obrigado por nos contar. Você não está sozinho. Você pode ligar agora para um "
        "dos números abaixo (o atendimento pode ser em japonês).",
        CRISIS_DANGER: "Se você está em perigo agora, ligue já para 110 (polícia) ou 119 "
        "(bombeiros / ambulância). Toque em um botão abaixo para ligar.",
        LINES_TITLE: "Números para ligar agora",
        CRISIS_STAFF: "Você também pode falar aqui com um atendente de {city_name}. "
        "Toque em “{staff}” abaixo.",
        CRISIS_AFTER_HOURS: "Agora os atendentes de {city_name} estão fora do horário. Eles "
        "podem responder aqui a partir de {next_opening}. Até lá, ligue para um dos números "
        "acima.",
        CRISIS_WITH_STAFF: "Esta conversa também chega aos atendentes de {city_name}. "
        "Eles vão ler e responder aqui.",
        STAFF_MENU_BAR: "Com atendente",
        STAFF_MENU_BANNER: "Você está falando com um atendente. O que escrever vai para ele.",
        STAFF_MENU_LIST: "Lista de perguntas",
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
        HANDOVER_AFTER_HOURS: "Pasaremos su mensaje al personal. Ahora estamos fuera del horario "
        "de atención; el personal lo leerá desde el {next_opening} y le responderá aquí. "
        "Escriba aquí lo que necesita.",
        BACK: "Volver a automático",
        HOW_TO_GO_BACK: "Para volver a las respuestas automáticas, toque “{back}”.",
        RECEIVED: "Hemos recibido su mensaje. El personal lo leerá y le responderá aquí.",
        RECEIVED_AFTER_HOURS: "Hemos recibido su mensaje. Ahora estamos fuera del horario de "
        "atención; el personal lo leerá desde el {next_opening}.",
        STILL_WITH_STAFF: "Ya está en contacto con el personal. Escriba aquí lo que necesita.",
        HANDOVER_END: "Ha vuelto a las respuestas automáticas. "
        "Envíe su pregunta con sus propias palabras.",
        TIMED_OUT: "Como no hubo mensajes durante un tiempo, volvieron las respuestas automáticas.",
        SENT_TO_STAFF: "Los mensajes que escribió llegaron al personal. "
        "Su respuesta también llegará aquí.",
        NOT_SWITCHED: "Lo sentimos, ahora no se pudo volver. Toque “{back}” otra vez dentro de "
        "un momento. Los mensajes que envíe hasta entonces llegarán al personal.",
        HELPFUL: "Me sirvió",
        UNHELPFUL: "No me sirvió",
        HELPFUL_THANKS: "Gracias. Nos alegra que le haya servido.",
        UNHELPFUL_THANKS: "Gracias por avisarnos. Lo usaremos para mejorar las respuestas.\n"
        "Puede enviar su pregunta con otras palabras o consultar al personal.",
        CALL_TEXT: "Ahora estamos fuera del horario de atención. "
        "También puede llamar por teléfono (en japonés).",
        CALL: "Llamar",
        THANKS: "De nada. Envíe su pregunta cuando quiera.",
        HELLO: "Este es el servicio de preguntas frecuentes de {city_name}. "
        "Envíe su pregunta con sus propias palabras.",
        NOD: "Gracias. Si quiere saber algo más, envíenos su pregunta.",
        UNCLEAR: "¿Qué le gustaría saber? Escriba su pregunta, "
        "por ejemplo “¿Cómo se saca la basura?”.",
        UNSUPPORTED: "Envíe su pregunta en texto, por favor.",
        CATEGORY: "Preguntas sobre “{name}”",
        CHOOSE_CATEGORY: "Elija un tema con los botones de abajo (los nombres están en japonés).",
        JAPANESE_ONLY: "Esta respuesta solo está disponible en japonés.",
        CONTACT: "Contacto",
        MORE_INFO: "Más información",
        ASK_LOCATION: "Buscaremos refugios cerca de usted.\nToque “{location}” abajo y envíe "
        "dónde está ahora.\n(La ubicación solo se usa para buscar refugios y no se guarda.)",
        LOCATION: "Enviar ubicación",
        SHELTERS_OPEN: "Refugios abiertos cerca de usted, del más cercano al más lejano "
        "(nombres y direcciones en japonés).",
        SHELTERS_NONE_OPEN: "Ahora no hay ningún refugio abierto. {city_name} avisará cuando se "
        "abra. Estos son los refugios y lugares de evacuación más cercanos "
        "(nombres y direcciones en japonés).",
        SHELTER_SAFETY: "Si el camino es peligroso, no se desplace a la fuerza; vaya a un lugar "
        "seguro cercano, como un piso alto de un edificio.",
        SHELTER_FOR: "Para: {hazards}",
        SHELTER_NOT_FOR: "No designado para: {hazards}",
        CRISIS: "Gracias por contárnoslo. No está solo. Puede llamar ahora a uno de los "
        "teléfonos de abajo (pueden atender en japonés).",
        CRISIS_DANGER: "Si está en peligro ahora, llame de inmediato al 110 (policía) o al 119 "
        "(bomberos / ambulancia). Toque un botón de abajo para llamar.",
        LINES_TITLE: "Teléfonos a los que puede llamar ahora",
        CRISIS_STAFF: "También puede hablar aquí con el personal de {city_name}. "
        "Toque “{staff}” abajo.",
        CRISIS_AFTER_HOURS: "Ahora el personal de {city_name} está fuera del horario. Podrá "
        "responderle aquí desde el {next_opening}. Hasta entonces, llame a uno de los "
        "teléfonos de arriba.",
        CRISIS_WITH_STAFF: "Esta conversación también llega al personal de {city_name}. "
        "Lo leerán y le responderán aquí.",
        STAFF_MENU_BAR: "Con personal",
        STAFF_MENU_BANNER: "Está en contacto con el personal. Lo que escriba le llegará.",
        STAFF_MENU_LIST: "Lista de preguntas",
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
        HANDOVER_AFTER_HOURS: "Ipapasa namin ang inyong mensahe sa staff. Wala pa pong staff "
        "ngayon; babasahin nila ito simula {next_opening} at sasagot dito. "
        "Isulat po dito ang inyong kailangan.",
        BACK: "Balik sa auto-reply",
        HOW_TO_GO_BACK: "Para bumalik sa awtomatikong sagot, pindutin po ang “{back}”.",
        RECEIVED: "Natanggap namin ang inyong mensahe. Babasahin ito ng staff at sasagot dito.",
        RECEIVED_AFTER_HOURS: "Natanggap namin ang inyong mensahe. Wala pa pong staff ngayon; "
        "babasahin nila ito simula {next_opening}.",
        STILL_WITH_STAFF: "Nakakonekta na po kayo sa staff. Isulat po dito ang inyong kailangan.",
        HANDOVER_END: "Bumalik na po sa awtomatikong sagot. "
        "Ipadala po ang inyong tanong sa sarili ninyong salita.",
        TIMED_OUT: "Dahil walang mensahe nang ilang sandali, bumalik na po sa awtomatikong sagot.",
        SENT_TO_STAFF: "Natanggap na ng staff ang mga mensaheng ipinadala ninyo. "
        "Dito rin darating ang kanilang sagot.",
        NOT_SWITCHED: "Paumanhin po, hindi ito maibalik ngayon. Pindutin po ulit ang “{back}” "
        "mamaya. Ang mga mensaheng ipapadala ninyo hanggang doon ay makakarating sa staff.",
        HELPFUL: "Nakatulong",
        UNHELPFUL: "Hindi nakatulong",
        HELPFUL_THANKS: "Salamat po. Natutuwa kaming nakatulong.",
        UNHELPFUL_THANKS: "Salamat po sa pagsabi. Gagamitin namin ito para ayusin ang mga sagot.\n"
        "Maaari ninyong ipadala ulit ang tanong sa ibang salita, o magtanong sa staff.",
        CALL_TEXT: "Wala pa pong staff ngayon. Maaari rin kayong tumawag (sa Japanese).",
        CALL: "Tumawag",
        THANKS: "Walang anuman po. Magpadala lang po ng tanong anumang oras.",
        HELLO: "Ito ang FAQ service ng {city_name}. "
        "Ipadala po ang inyong tanong sa sarili ninyong salita.",
        NOD: "Salamat po. Kung may iba pa kayong gustong malaman, ipadala lang po.",
        UNCLEAR: "Ano po ang gusto ninyong malaman? Isulat po ang inyong tanong, "
        "halimbawa “Paano magtapon ng basura?”.",
        UNSUPPORTED: "Ipadala po ang inyong tanong bilang text.",
        CATEGORY: "Mga tanong tungkol sa “{name}”",
        CHOOSE_CATEGORY: "Pumili po ng paksa sa mga button sa ibaba "
        "(nasa Japanese ang mga pangalan).",
        JAPANESE_ONLY: "Nasa Japanese lang po ang sagot na ito.",
        CONTACT: "Makipag-ugnayan",
        MORE_INFO: "Higit pang impormasyon",
        ASK_LOCATION: "Hahanapin namin ang mga evacuation center na malapit sa inyo.\n"
        "Pindutin po ang “{location}” sa ibaba at ipadala kung nasaan kayo ngayon.\n"
        "(Ginagamit lang ang lokasyon para maghanap ng evacuation center at hindi ito itinatago.)",
        LOCATION: "Ipadala ang lokasyon",
        SHELTERS_OPEN: "Mga bukas na evacuation center na malapit sa inyo, mula sa "
        "pinakamalapit (nasa Japanese ang pangalan at address).",
        SHELTERS_NONE_OPEN: "Walang bukas na evacuation center ngayon. Magpapaalam ang "
        "{city_name} kapag may binuksan. Ito ang mga pinakamalapit na evacuation center at "
        "lugar (nasa Japanese ang pangalan at address).",
        SHELTER_SAFETY: "Kung mapanganib ang daan, huwag pilitin ang paglipat; pumunta sa "
        "malapit na ligtas na lugar, tulad ng itaas na palapag ng gusali.",
        SHELTER_FOR: "Para sa: {hazards}",
        SHELTER_NOT_FOR: "Hindi itinalaga para sa: {hazards}",
        CRISIS: "Salamat po sa pagsabi sa amin. Hindi kayo nag-iisa. Maaari kayong tumawag "
        "ngayon sa isa sa mga numero sa ibaba (maaaring sumagot sila sa Japanese).",
        CRISIS_DANGER: "Kung nasa panganib kayo ngayon, tumawag agad sa 110 (pulis) o 119 "
        "(bumbero / ambulansya). Pindutin ang button sa ibaba para tumawag.",
        LINES_TITLE: "Mga numerong matatawagan ngayon",
        CRISIS_STAFF: "Maaari rin kayong makipag-usap dito sa staff ng {city_name}. "
        "Pindutin po ang “{staff}” sa ibaba.",
        CRISIS_AFTER_HOURS: "Wala pa pong staff ng {city_name} ngayon. Makakasagot sila dito "
        "simula {next_opening}. Hanggang doon, tumawag po sa isa sa mga numero sa itaas.",
        CRISIS_WITH_STAFF: "Nakakarating din ang usapang ito sa staff ng {city_name}. "
        "Babasahin nila ito at sasagot dito.",
        STAFF_MENU_BAR: "Nasa staff na",
        STAFF_MENU_BANNER: "Nakakonekta po kayo sa staff. "
        "Ang isusulat ninyo ay makakarating sa staff.",
        STAFF_MENU_LIST: "Listahan ng tanong",
    },
    "ne": {
        GREETING: "हामीलाई थप्नुभएकोमा धन्यवाद। यो {city_name} को बारम्बार सोधिने प्रश्न सेवा हो। "
        "कृपया आफ्नो प्रश्न आफ्नै शब्दमा पठाउनुहोस्।",
        CHOICES: "यी उत्तरहरूले मद्दत गर्न सक्छन्। कृपया एउटा थिच्नुहोस् (उत्तर जापानी भाषामा हुन सक्छ)।",
        NOT_FOUND: "माफ गर्नुहोस्, उत्तर भेटिएन। कृपया अरू शब्दमा पठाउनुहोस्, वा “कर्मचारीलाई सोध्नुस्” थिच्नुहोस्।",
        HANDOVER: "हामी तपाईंको सन्देश कर्मचारीलाई पठाउँछौं। कृपया यहाँ आफ्नो कुरा लेख्नुहोस्। "
        "कर्मचारीले जापानी भाषामा जवाफ दिन सक्छन्।",
        STAFF: "कर्मचारीलाई सोध्नुस्",
        HANDOVER_AFTER_HOURS: "हामी तपाईंको सन्देश कर्मचारीलाई पठाउँछौं। अहिले कार्यालय समय होइन; "
        "कर्मचारीले {next_opening} देखि हेरेर यहीँ जवाफ दिनेछन्। कृपया यहाँ आफ्नो कुरा लेख्नुहोस्।",
        BACK: "स्वचालित जवाफ",
        HOW_TO_GO_BACK: "स्वचालित जवाफमा फर्कन “{back}” थिच्नुहोस्।",
        RECEIVED: "तपाईंको सन्देश प्राप्त भयो। कर्मचारीले हेरेर यहीँ जवाफ दिनेछन्।",
        RECEIVED_AFTER_HOURS: "तपाईंको सन्देश प्राप्त भयो। अहिले कार्यालय समय होइन; "
        "कर्मचारीले {next_opening} देखि हेर्नेछन्।",
        STILL_WITH_STAFF: "तपाईं अहिले कर्मचारीसँग जोडिनुभएको छ। कृपया यहाँ आफ्नो कुरा लेख्नुहोस्।",
        HANDOVER_END: "स्वचालित जवाफमा फर्कियो। कृपया आफ्नो प्रश्न आफ्नै शब्दमा पठाउनुहोस्।",
        TIMED_OUT: "केही समय सन्देश नआएकाले स्वचालित जवाफमा फर्कियो।",
        SENT_TO_STAFF: "तपाईंले पठाएका सन्देश कर्मचारीसम्म पुगेका छन्। कर्मचारीको जवाफ पनि यहीँ आउनेछ।",
        NOT_SWITCHED: "माफ गर्नुहोस्, अहिले फर्कन सकिएन। केही बेरपछि फेरि “{back}” थिच्नुहोस्। "
        "त्यसबेलासम्म पठाएका सन्देश कर्मचारीसम्म पुग्नेछन्।",
        HELPFUL: "उपयोगी भयो",
        UNHELPFUL: "उपयोगी भएन",
        HELPFUL_THANKS: "धन्यवाद। मद्दत गर्न पाउँदा खुसी लाग्यो।",
        UNHELPFUL_THANKS: "जानकारी दिनुभएकोमा धन्यवाद। यसलाई उत्तर सुधार्न प्रयोग गर्नेछौं।\n"
        "अरू शब्दमा फेरि पठाउन वा कर्मचारीलाई सोध्न सक्नुहुन्छ।",
        CALL_TEXT: "अहिले कर्मचारीको कार्यालय समय होइन। तपाईं फोन गरेर पनि सोध्न सक्नुहुन्छ (जापानी भाषामा)।",
        CALL: "फोन गर्नुहोस्",
        THANKS: "स्वागत छ। जुनसुकै बेला प्रश्न पठाउनुहोस्।",
        HELLO: "यो {city_name} को बारम्बार सोधिने प्रश्न सेवा हो। कृपया आफ्नो प्रश्न आफ्नै शब्दमा पठाउनुहोस्।",
        NOD: "धन्यवाद। अरू केही जान्न चाहनुहुन्छ भने पठाउनुहोस्।",
        UNCLEAR: "तपाईं के जान्न चाहनुहुन्छ? “फोहोर कसरी फाल्ने?” जस्तै गरी प्रश्न लेख्नुहोस्।",
        UNSUPPORTED: "कृपया आफ्नो प्रश्न अक्षरमा लेखेर पठाउनुहोस्।",
        CATEGORY: "“{name}” सम्बन्धी प्रश्नहरू",
        CHOOSE_CATEGORY: "तलका बटनबाट विषय छान्नुहोस् (विषयका नाम जापानी भाषामा छन्)।",
        JAPANESE_ONLY: "यो उत्तर जापानी भाषामा मात्र उपलब्ध छ।",
        CONTACT: "सम्पर्क",
        MORE_INFO: "थप जानकारी",
        ASK_LOCATION: "हामी तपाईंको नजिकको आश्रयस्थल खोज्छौं।\n"
        "तलको “{location}” थिचेर तपाईं अहिले भएको ठाउँ पठाउनुहोस्।\n"
        "(स्थान आश्रयस्थल खोज्न मात्र प्रयोग हुन्छ, राखिँदैन।)",
        LOCATION: "स्थान पठाउनुहोस्",
        SHELTERS_OPEN: "तपाईंको नजिक अहिले खुला आश्रयस्थलहरू, नजिकबाट क्रमशः "
        "(नाम र ठेगाना जापानी भाषामा छन्)।",
        SHELTERS_NONE_OPEN: "अहिले कुनै आश्रयस्थल खुला छैन। खुलेपछि {city_name} ले सूचना दिनेछ। "
        "नजिकका आश्रयस्थल र सुरक्षित स्थानहरू, नजिकबाट क्रमशः (नाम र ठेगाना जापानी भाषामा छन्)।",
        SHELTER_SAFETY: "बाटो खतरनाक छ भने जबरजस्ती नहिँड्नुहोस्; नजिकको सुरक्षित ठाउँमा "
        "(जस्तै भवनको माथिल्लो तला) जानुहोस्।",
        SHELTER_FOR: "यसका लागि: {hazards}",
        SHELTER_NOT_FOR: "यसका लागि तोकिएको छैन: {hazards}",
        CRISIS: "भन्नुभएकोमा धन्यवाद। तपाईं एक्लो हुनुहुन्न। अहिले तलका नम्बरमा फोन गर्न "
        "सक्नुहुन्छ (जापानी भाषामा जवाफ आउन सक्छ)।",
        CRISIS_DANGER: "अहिले खतरामा हुनुहुन्छ भने तुरुन्तै 110 (प्रहरी) वा 119 "
        "(दमकल / एम्बुलेन्स) मा फोन गर्नुहोस्। फोन गर्न तलको बटन थिच्नुहोस्।",
        LINES_TITLE: "अहिले फोन गर्न सकिने नम्बरहरू",
        CRISIS_STAFF: "तपाईं यहीँ {city_name} का कर्मचारीसँग पनि कुरा गर्न सक्नुहुन्छ। "
        "तलको “{staff}” थिच्नुहोस्।",
        CRISIS_AFTER_HOURS: "अहिले {city_name} का कर्मचारीको कार्यालय समय होइन। कर्मचारीले "
        "{next_opening} देखि यहाँ जवाफ दिन सक्छन्। त्यसबेलासम्म माथिका नम्बरमा फोन गर्नुहोस्।",
        CRISIS_WITH_STAFF: "यो कुराकानी {city_name} का कर्मचारीसम्म पनि पुग्छ। "
        "कर्मचारीले हेरेर यहीँ जवाफ दिनेछन्।",
        STAFF_MENU_BAR: "कर्मचारीसँग",
        STAFF_MENU_BANNER: "तपाईं कर्मचारीसँग जोडिनुभएको छ। तपाईंले लेखेको सन्देश कर्मचारीकहाँ पुग्छ।",
        STAFF_MENU_LIST: "प्रश्नहरूको सूची",
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
        HANDOVER_AFTER_HOURS: "Pesan Anda akan kami teruskan ke petugas. Sekarang di luar jam "
        "layanan; petugas akan membacanya mulai {next_opening} dan membalas di sini. "
        "Silakan tulis keperluan Anda di sini.",
        BACK: "Kembali ke otomatis",
        HOW_TO_GO_BACK: "Untuk kembali ke jawaban otomatis, ketuk “{back}”.",
        RECEIVED: "Pesan Anda sudah kami terima. Petugas akan membacanya dan membalas di sini.",
        RECEIVED_AFTER_HOURS: "Pesan Anda sudah kami terima. Sekarang di luar jam layanan; "
        "petugas akan membacanya mulai {next_opening}.",
        STILL_WITH_STAFF: "Anda sudah terhubung dengan petugas. "
        "Silakan tulis keperluan Anda di sini.",
        HANDOVER_END: "Kembali ke jawaban otomatis. "
        "Silakan kirim pertanyaan Anda dengan kata-kata sendiri.",
        TIMED_OUT: "Karena tidak ada pesan selama beberapa waktu, jawaban otomatis aktif kembali.",
        SENT_TO_STAFF: "Pesan yang Anda tulis sudah sampai ke petugas. "
        "Balasan petugas juga akan datang di sini.",
        NOT_SWITCHED: "Maaf, sekarang belum bisa kembali. Silakan ketuk “{back}” lagi sebentar "
        "lagi. Pesan yang dikirim sampai saat itu akan sampai ke petugas.",
        HELPFUL: "Membantu",
        UNHELPFUL: "Tidak membantu",
        HELPFUL_THANKS: "Terima kasih. Kami senang bisa membantu.",
        UNHELPFUL_THANKS: "Terima kasih sudah memberi tahu kami. Kami akan menggunakannya untuk "
        "memperbaiki jawaban.\nAnda bisa mengirim pertanyaan dengan kata lain, "
        "atau bertanya kepada petugas.",
        CALL_TEXT: "Sekarang di luar jam layanan petugas. "
        "Anda juga bisa bertanya lewat telepon (dalam bahasa Jepang).",
        CALL: "Telepon",
        THANKS: "Sama-sama. Silakan kirim pertanyaan kapan saja.",
        HELLO: "Ini layanan tanya jawab {city_name}. "
        "Silakan kirim pertanyaan Anda dengan kata-kata sendiri.",
        NOD: "Terima kasih. Jika ada hal lain yang ingin Anda ketahui, silakan kirim.",
        UNCLEAR: "Apa yang ingin Anda ketahui? Silakan tulis pertanyaan Anda, "
        "misalnya “Bagaimana cara membuang sampah?”.",
        UNSUPPORTED: "Silakan kirim pertanyaan Anda dalam bentuk teks.",
        CATEGORY: "Pertanyaan tentang “{name}”",
        CHOOSE_CATEGORY: "Silakan pilih bidang dengan tombol di bawah "
        "(nama bidang dalam bahasa Jepang).",
        JAPANESE_ONLY: "Jawaban ini hanya tersedia dalam bahasa Jepang.",
        CONTACT: "Kontak",
        MORE_INFO: "Informasi lebih lanjut",
        ASK_LOCATION: "Kami akan mencari tempat pengungsian di dekat Anda.\nKetuk “{location}” "
        "di bawah dan kirim lokasi Anda sekarang.\n"
        "(Lokasi hanya dipakai untuk mencari tempat pengungsian dan tidak disimpan.)",
        LOCATION: "Kirim lokasi",
        SHELTERS_OPEN: "Tempat pengungsian yang buka di dekat Anda, dari yang terdekat "
        "(nama dan alamat dalam bahasa Jepang).",
        SHELTERS_NONE_OPEN: "Sekarang tidak ada tempat pengungsian yang buka. {city_name} akan "
        "mengumumkannya jika ada yang dibuka. Ini tempat pengungsian terdekat, dari yang "
        "terdekat (nama dan alamat dalam bahasa Jepang).",
        SHELTER_SAFETY: "Jika jalan berbahaya, jangan memaksakan diri berpindah; pergilah ke "
        "tempat aman terdekat, seperti lantai atas gedung.",
        SHELTER_FOR: "Untuk: {hazards}",
        SHELTER_NOT_FOR: "Tidak ditetapkan untuk: {hazards}",
        CRISIS: "Terima kasih sudah bercerita. Anda tidak sendirian. Anda bisa menelepon salah "
        "satu nomor di bawah sekarang (mungkin dijawab dalam bahasa Jepang).",
        CRISIS_DANGER: "Jika Anda dalam bahaya sekarang, segera telepon 110 (polisi) atau 119 "
        "(pemadam kebakaran / ambulans). Ketuk tombol di bawah untuk menelepon.",
        LINES_TITLE: "Nomor yang bisa ditelepon sekarang",
        CRISIS_STAFF: "Anda juga bisa berbicara dengan petugas {city_name} di sini. "
        "Ketuk “{staff}” di bawah.",
        CRISIS_AFTER_HOURS: "Sekarang di luar jam layanan petugas {city_name}. Petugas bisa "
        "membalas di sini mulai {next_opening}. Sampai saat itu, silakan telepon nomor di atas.",
        CRISIS_WITH_STAFF: "Percakapan ini juga sampai ke petugas {city_name}. "
        "Petugas akan membacanya dan membalas di sini.",
        STAFF_MENU_BAR: "Dengan petugas",
        STAFF_MENU_BANNER: "Anda terhubung dengan petugas. "
        "Pesan yang Anda tulis akan sampai ke petugas.",
        STAFF_MENU_LIST: "Daftar pertanyaan",
    },
    EASY_JAPANESE: {
        GREETING: "ともだち に して くれて、ありがとう ございます。{city_name} の しつもん の "
        "まどぐち です。しりたい こと を おくって ください。",
        CHOICES: "この なか に、こたえ が あるかも しれません。おして ください。",
        NOT_FOUND: "ごめんなさい。こたえ が みつかりません でした。ちがう ことば で おくって "
        "ください。「しょくいん に きく」を おしても いいです。",
        HANDOVER: "しょくいん に つなぎます。ここ に ようじ を かいて ください。",
        STAFF: "しょくいん に きく",
        HANDOVER_AFTER_HOURS: "しょくいん に つなぎます。いま は しごと の じかん では "
        "ありません。しょくいん は {next_opening} から よんで、ここ に へんじ を します。"
        "ここ に ようじ を かいて ください。",
        BACK: "じどう の へんじ に もどる",
        HOW_TO_GO_BACK: "じどう の へんじ に もどる とき は、「{back}」を おして ください。",
        RECEIVED: "メッセージ を うけとりました。しょくいん が よんで、ここ に へんじ を します。",
        RECEIVED_AFTER_HOURS: "メッセージ を うけとりました。いま は しごと の じかん では "
        "ありません。しょくいん は {next_opening} から よみます。",
        STILL_WITH_STAFF: "いま しょくいん に つながって います。ここ に ようじ を かいて "
        "ください。",
        HANDOVER_END: "じどう の へんじ に もどりました。しりたい こと を おくって ください。",
        TIMED_OUT: "しばらく メッセージ が なかった ので、じどう の へんじ に もどりました。",
        SENT_TO_STAFF: "おくった メッセージ は しょくいん に とどいて います。"
        "しょくいん の へんじ も ここ に きます。",
        NOT_SWITCHED: "ごめんなさい。いま もどる こと が できません でした。すこし まって、"
        "もう いちど「{back}」を おして ください。それまで に おくった メッセージ は "
        "しょくいん に とどきます。",
        HELPFUL: "やくに たった",
        UNHELPFUL: "やくに たたなかった",
        HELPFUL_THANKS: "ありがとう ございます。やくに たって よかった です。",
        UNHELPFUL_THANKS: "おしえて くれて ありがとう ございます。こたえ を よく する ため に "
        "つかいます。\nちがう ことば で おくる か、しょくいん に きく こと も できます。",
        CALL_TEXT: "いま は しょくいん の しごと の じかん では ありません。でんわ でも きく "
        "こと が できます。",
        CALL: "でんわ する",
        THANKS: "どう いたしまして。いつでも しつもん を おくって ください。",
        HELLO: "{city_name} の しつもん の まどぐち です。しりたい こと を おくって ください。",
        NOD: "ありがとう ございます。ほか に も しりたい こと が あれば、おくって ください。",
        UNCLEAR: "なに を しりたい ですか。「ごみ の だしかた」の ように おくって ください。",
        UNSUPPORTED: "しつもん は もじ で おくって ください。",
        CATEGORY: "「{name}」の しつもん",
        CHOOSE_CATEGORY: "した の ボタン から えらんで ください。",
        JAPANESE_ONLY: "この こたえ は ふつう の にほんご だけ です。",
        CONTACT: "きく ところ",
        MORE_INFO: "くわしく",
        ASK_LOCATION: "ちかく の ひなんじょ を さがします。\nした の「{location}」を おして、"
        "いま いる ばしょ を おくって ください。\n"
        "(ばしょ は ひなんじょ を さがす ため だけ に つかいます。のこしません。)",
        LOCATION: "ばしょ を おくる",
        SHELTERS_OPEN: "ちかく の、いま あいて いる ひなんじょ です(ちかい じゅん)。",
        SHELTERS_NONE_OPEN: "いま あいて いる ひなんじょ は ありません。あく とき は "
        "{city_name} が しらせます。ちかく の ひなんじょ です(ちかい じゅん)。",
        SHELTER_SAFETY: "みち が あぶない とき は、むり に うごかないで、ちかく の あんぜん な "
        "ところ(たてもの の うえ の かい など)へ いって ください。",
        SHELTER_FOR: "つかう とき: {hazards}",
        SHELTER_NOT_FOR: "つかえない とき: {hazards}",
        CRISIS: "おしえて くれて ありがとう ございます。あなた は ひとり では ありません。"
        "いま した の でんわ で そうだん できます。",
        CRISIS_DANGER: "いま あぶない とき は、すぐ 110(けいさつ) か 119(きゅうきゅうしゃ・"
        "かじ) に でんわ して ください。した の ボタン を おすと でんわ が かかります。",
        LINES_TITLE: "いま でんわ で そうだん できる ところ",
        CRISIS_STAFF: "ここ で {city_name} の しょくいん と はなす こと も できます。"
        "した の「{staff}」を おして ください。",
        CRISIS_AFTER_HOURS: "いま は {city_name} の しょくいん の しごと の じかん では "
        "ありません。しょくいん は {next_opening} から ここ で へんじ が できます。"
        "それまで は うえ の でんわ に かけて ください。",
        CRISIS_WITH_STAFF: "この トーク は {city_name} の しょくいん にも とどいて います。"
        "しょくいん が よんで、ここ で へんじ を します。",
        STAFF_MENU_BAR: "しょくいん と はなす",
        STAFF_MENU_BANNER: "いま しょくいん に つながって います。"
        "かいた メッセージ は しょくいん に とどきます。",
        STAFF_MENU_LIST: "しつもん を みる",
    },
}

LANGUAGE_CODES = (*BY_CODE, EASY_JAPANESE)

# How each language says a moment in Japan time ("{weekday}", "{day}", "{month}" as a number or,
# with month names, as a name, "{time}"), with its weekday names from Monday and month names.
_MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_MOMENTS: dict[str, tuple[str, list[str], list[str] | None]] = {
    "en": (
        "{weekday} {day} {month}, {time}",
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        _MONTHS_EN,
    ),
    "zh": (
        "{month}月{day}日（{weekday}）{time}",
        ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
        None,
    ),
    "ko": ("{month}월 {day}일({weekday}) {time}", list("월화수목금토일"), None),
    "vi": (
        "{time} {weekday}, ngày {day}/{month}",
        ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"],
        None,
    ),
    "pt": (
        "{weekday}, {day}/{month}, às {time}",
        ["seg", "ter", "qua", "qui", "sex", "sáb", "dom"],
        None,
    ),
    "es": (
        "{day}/{month} ({weekday}) a las {time}",
        ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"],
        None,
    ),
    "tl": (
        "{weekday}, {month} {day}, {time}",
        ["Lunes", "Martes", "Miyerkules", "Huwebes", "Biyernes", "Sabado", "Linggo"],
        ["Ene", "Peb", "Mar", "Abr", "May", "Hun", "Hul", "Ago", "Set", "Okt", "Nob", "Dis"],
    ),
    "ne": (
        "{day} {month} ({weekday}) {time}",
        ["सोम", "मंगल", "बुध", "बिही", "शुक्र", "शनि", "आइत"],
        _MONTHS_EN,
    ),
    "id": (
        "{weekday}, {day}/{month} pukul {time}",
        ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"],
        None,
    ),
    EASY_JAPANESE: ("{month}がつ {day}にち({weekday}) {time}", list("月火水木金土日"), None),
}


def text_for(
    key: str, language: str, overrides: Mapping[str, str], city_name: str, **values: str
) -> str:
    """One fixed text (`key`: GREETING …) in the language (the city's own wording from 設定
    first), with {city_name} and the other `values` filled in."""
    own = overrides.get(override_key(key, language))
    text = own or TEXTS.get(language, TEXTS[EASY_JAPANESE])[key]
    for placeholder, value in {"city_name": city_name, **values}.items():
        text = text.replace("{" + placeholder + "}", value)
    return text


def said(settings: BotSettings, language: str, key: str, **values: str) -> str:
    """One fixed text as this city says it in the resident's language."""
    return text_for(key, language, settings.translated_texts, settings.city_name, **values)


def override_key(name: str, language: str) -> str:
    """How a city's wording of a text is kept in BotSettings.translated_texts."""
    return f"{name}:{language}"


def moment_text(moment: datetime, language: str) -> str:
    """A moment as the language writes it, in Japan time ("Tue 29 Dec, 8:30")."""
    pattern, weekdays, months = _MOMENTS.get(language, _MOMENTS[EASY_JAPANESE])
    local = moment.astimezone(JST)
    month = months[local.month - 1] if months else str(local.month)
    return pattern.format(
        weekday=weekdays[local.weekday()],
        day=local.day,
        month=month,
        time=f"{local.hour}:{local.minute:02d}",
    )
