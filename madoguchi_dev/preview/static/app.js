// The preview's talk screen: renders what the bot sent through the (loopback) LINE API,
// and sends what the resident does back as signed webhook events via the preview server.
"use strict";

const talk = document.getElementById("talk");
const quickReplies = document.getElementById("quick-replies");
const input = document.getElementById("message");
// `tab`: the tab the resident last opened, shown again when a menu linked to them goes away.
const state = {
  menus: {}, aliases: {}, default: null, current: null, tab: null, linked: null, signature: "",
};
// Events go to the bot one at a time and in order, as a resident's taps reach LINE.
let queue = Promise.resolve();
// A reset starts a new talk at once; answers to what was sent before it are not shown in it.
let talkEpoch = 0;
// False until the first publish has loaded the bot (the page shows 「準備中」 until then).
let ready = false;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function scrollDown() { talk.scrollTop = talk.scrollHeight; }

// A long answer is read from its top: when the new messages do not fit, show where they start.
// (The browser stops at the bottom when everything new fits.)
function scrollToStart(node) {
  talk.scrollTop = node ? node.offsetTop - 8 : talk.scrollHeight;
}

function linkify(text) {
  // Text nodes only: nothing the bot says is ever inserted as HTML.
  const frag = document.createDocumentFragment();
  const parts = String(text).split(/(https?:\/\/[^\s]+)/g);
  parts.forEach((part, i) => {
    if (i % 2 === 1) {
      const a = el("a", "", part);
      a.href = part; a.target = "_blank"; a.rel = "noopener";
      frag.appendChild(a);
    } else if (part) {
      frag.appendChild(document.createTextNode(part));
    }
  });
  return frag;
}

function userBubble(text) {
  const row = el("div", "row user");
  row.appendChild(el("div", "bubble", text));
  talk.appendChild(row);
  scrollDown();
  return row;
}

function botRow(staff) {
  const row = el("div", staff ? "row bot staff" : "row bot");
  row.appendChild(el("div", "avatar", staff ? "職" : "窓"));
  talk.appendChild(row);
  return row;
}

function note(text) { talk.appendChild(el("div", "note", text)); scrollDown(); }

// --- Flex messages: the subset of LINE's layout Madoguchi uses ---
const SPACES = { none: "0", xs: "2px", sm: "4px", md: "8px", lg: "12px", xl: "16px", xxl: "20px" };
function spaceOf(value) { return SPACES[value] || value; }

function flexComponent(c) {
  switch (c.type) {
    case "box": {
      const box = el(c.action ? "button" : "div", "fx-box " + (c.layout || "vertical"));
      if (c.spacing) box.style.gap = spaceOf(c.spacing);
      if (c.margin) box.style.marginTop = spaceOf(c.margin);
      if (c.backgroundColor) box.style.background = c.backgroundColor;
      if (c.paddingAll) box.style.padding = spaceOf(c.paddingAll);
      if (c.cornerRadius) box.style.borderRadius = spaceOf(c.cornerRadius);
      if (c.action) {
        box.type = "button";
        box.classList.add("fx-tap");
        box.addEventListener("click", () => runAction(c.action));
      }
      (c.contents || []).forEach((child) => box.appendChild(flexComponent(child)));
      return box;
    }
    case "text": {
      const t = el("div", "fx-text" + (c.wrap ? "" : " nowrap"));
      t.appendChild(linkify(c.text || ""));
      const sizes = { xxs: 11, xs: 12, sm: 13, md: 14, lg: 16, xl: 18, xxl: 20, "3xl": 24 };
      // Only text with `scaling` follows the phone's font size setting, as on LINE.
      const px = sizes[c.size] || sizes.md;
      t.style.fontSize = c.scaling ? `calc(${px}px * var(--text-scale))` : `${px}px`;
      if (c.scaling) t.classList.add("scales");
      if (c.weight === "bold") t.style.fontWeight = "700";
      if (c.color) t.style.color = c.color;
      if (c.margin) t.style.marginTop = spaceOf(c.margin);
      if (c.flex !== undefined) t.style.flex = String(c.flex);
      if (c.align) t.style.textAlign = { start: "left", end: "right", center: "center" }[c.align] || "";
      return t;
    }
    case "button": {
      const b = el("button", "fx-button " + (c.style || "link"), (c.action && c.action.label) || "");
      b.type = "button";
      if (c.color && c.style === "primary") b.style.background = c.color;
      if (c.scaling) b.style.fontSize = "calc(15px * var(--text-scale))";
      if (c.margin) b.style.marginTop = spaceOf(c.margin);
      if (c.action && c.action.type === "uri") b.title = c.action.uri;
      b.addEventListener("click", () => runAction(c.action));
      return b;
    }
    case "separator": return el("div", "fx-separator");
    case "spacer": case "filler": return el("div", "");
    default: return el("div", "");
  }
}

function flexBubble(bubble) {
  const card = el("div", "flex-bubble " + (bubble.size || ""));
  ["header", "hero", "body", "footer"].forEach((part) => {
    if (!bubble[part]) return;
    const section = el("div", "fx-section");
    section.appendChild(flexComponent(bubble[part]));
    card.appendChild(section);
  });
  return card;
}

function renderMessage(message, staff) {
  const row = botRow(staff);
  row.dataset.type = message.type;
  if (message.type === "text") {
    const bubble = el("div", "bubble");
    bubble.appendChild(linkify(message.text));
    row.appendChild(bubble);
  } else if (message.type === "flex") {
    const contents = message.contents;
    if (contents.type === "carousel") {
      const strip = el("div", "carousel");
      contents.contents.forEach((b) => strip.appendChild(flexBubble(b)));
      row.appendChild(strip);
    } else {
      row.appendChild(flexBubble(contents));
    }
  } else if (message.type === "location") {
    row.appendChild(locationBubble(message));
  } else {
    row.appendChild(el("div", "bubble", `(${message.type} メッセージ)`));
  }
  return row;
}

// A location message: LINE shows a small map; here, its title, address and a map link.
function locationBubble(message) {
  const bubble = el("div", "bubble location");
  bubble.appendChild(el("strong", "", `📍 ${message.title}`));
  bubble.appendChild(el("div", "", message.address));
  const map = el("a", "", "地図で開く");
  map.href = `https://www.google.com/maps/search/?api=1&query=${message.latitude},${message.longitude}`;
  map.target = "_blank";
  map.rel = "noopener";
  bubble.appendChild(map);
  return bubble;
}

function showQuickReplies(message) {
  quickReplies.replaceChildren();
  const items = (message && message.quickReply && message.quickReply.items) || [];
  quickReplies.hidden = items.length === 0;
  items.forEach((item) => {
    const button = el("button", "", item.action.label);
    button.type = "button";
    button.addEventListener("click", () => runAction(item.action));
    quickReplies.appendChild(button);
  });
}

function renderScores(search) {
  const box = document.getElementById("scores");
  box.replaceChildren();
  if (!search) { box.appendChild(el("p", "muted", "この操作では検索していません。")); return; }
  box.appendChild(el("p", "", `質問:「${search.query}」`));
  // The server runs the chat's own decision (conversation/search_reply.py decide()) and says why.
  const verdict = el("p", "verdict " + (search.answered ? "ok" : "no"), search.verdict);
  verdict.dataset.reply = search.reply;
  box.appendChild(verdict);
  const reasons = el("ul", "reasons");
  search.reasons.forEach((reason) => reasons.appendChild(el("li", "", reason)));
  box.appendChild(reasons);
  box.appendChild(el("p", "muted", search.how_to_read));
  const table = el("table", "scores");
  const head = el("tr");
  ["順位", "ID", "質問", "確からしさ", "スコア", "表示"].forEach((h) => head.appendChild(el("th", "", h)));
  table.appendChild(head);
  search.hits.forEach((hit, i) => {
    const tr = el("tr");
    tr.appendChild(el("td", "num", String(i + 1)));
    tr.appendChild(el("td", "", hit.id));
    tr.appendChild(el("td", "", hit.question));
    tr.appendChild(el("td", "num", hit.confidence.toFixed(2)));
    tr.appendChild(el("td", "num", hit.score.toFixed(1)));
    tr.appendChild(el("td", "", hit.shown ? "○" : ""));
    table.appendChild(tr);
  });
  box.appendChild(table);
}

// `quiet`: LINE sends it but residents expect no answer (a rich menu tab switch).
function send(event, start, quiet) {
  const epoch = talkEpoch;
  queue = queue.then(() => deliver(event, start, quiet, epoch));
  return queue;
}

async function deliver(event, start, quiet, epoch) {
  if (epoch !== talkEpoch) return;  // sent before a reset: the new talk never shows it
  try {
    const response = await fetch("/api/events", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(event),
    });
    const result = await response.json();
    if (epoch !== talkEpoch) return;
    if (!response.ok) { note(result.error || "送信できませんでした"); return; }
    const rows = result.messages.map((message) => renderMessage(message, false));
    if (rows.length) scrollToStart(start || rows[0]);
    if (rows.length || !quiet) showQuickReplies(result.messages[result.messages.length - 1]);
    if (event.kind === "message") renderScores(result.search);
    followLinkedMenu(result.linked_menu);
    if (rows.length === 0 && !quiet) note("(ボットは返事をしませんでした)");
  } catch (err) {
    note("プレビューのサーバーに接続できません");
  }
}

function sendText(text) {
  if (!text.trim()) return;
  const row = userBubble(text);
  send({ kind: "message", text }, row);
}

// A sticker or a photo, as LINE sends them: a message event without text.
function sendAttachment(kind, shown) {
  const row = userBubble(shown);
  row.classList.add("attachment");
  send({ kind }, row);
}
document.getElementById("send-sticker").addEventListener("click", () => sendAttachment("sticker", "(スタンプ)"));
document.getElementById("send-photo").addEventListener("click", () => sendAttachment("image", "(写真)"));

async function postJson(path, body) {
  const response = await fetch(path, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  const result = await response.json();
  if (!response.ok) throw new Error(result.error || response.statusText);
  return result;
}

// Staff answer from LINE Official Account Manager; here, a push through the same LINE API.
document.getElementById("staff-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const box = document.getElementById("staff-text");
  const text = box.value;
  if (!text.trim()) return;
  box.value = "";
  queue = queue.then(async () => {
    try {
      const result = await postJson("/api/staff-reply", { text });
      const rows = result.messages.map((m) => renderMessage(m, true));
      if (rows.length) scrollToStart(rows[0]);
    } catch (err) { note(`職員からの返信を送れませんでした(${err.message})`); }
  });
});

function showOffice(office) {
  if (!office) return;
  document.getElementById("office-mode").value = office.mode;
  const now = office.open_now ? "いまは受付時間内として答えます" : "いまは受付時間外として答えます";
  document.getElementById("office-status").textContent = `${now}(設定:${office.hours})`;
}

document.getElementById("office-mode").addEventListener("change", async (e) => {
  try { showOffice(await postJson("/api/office-hours", { mode: e.target.value })); }
  catch (err) { note(`受付時間を切り替えられませんでした(${err.message})`); }
});

// The talk is cleared at once, so whatever the resident writes next stays on the screen; the
// server forgets the old resident before anything sent after the click reaches it (the queue).
document.getElementById("reset").addEventListener("click", () => {
  talkEpoch += 1;
  talk.replaceChildren();
  showQuickReplies(null);
  document.getElementById("scores").replaceChildren(el("p", "muted", "まだ質問がありません。"));
  state.tab = null; state.linked = null; state.signature = "";
  queue = queue.then(async () => {
    try {
      await postJson("/api/reset", {});
      await loadState();
    } catch (err) { note(`リセットできませんでした(${err.message})`); }
  });
  send({ kind: "follow" });
});

function runAction(action) {
  if (!action) return;
  switch (action.type) {
    case "message": sendText(action.text); break;
    case "postback": {
      const row = action.displayText ? userBubble(action.displayText) : null;
      send({ kind: "postback", data: action.data }, row);
      break;
    }
    case "uri":
      if (action.uri === LOCATION_PICKER) { sendLocation(); break; }
      // On a phone a tel: button dials; here it only says which number it would call.
      if (action.uri.startsWith("tel:")) {
        note(`電話番号 ${decodeURIComponent(action.uri.slice(4))} に電話がかかるボタンです(プレビューでは電話をかけません)`);
        break;
      }
      window.open(action.uri, "_blank", "noopener");
      break;
    case "location": sendLocation(); break;
    case "richmenuswitch":
      // The phone switches the menu itself; LINE also tells the webhook, which stays silent.
      if (switchMenu(action.richMenuAliasId) && action.data) {
        const params = { newRichMenuAliasId: action.richMenuAliasId, status: "SUCCESS" };
        send({ kind: "postback", data: action.data, params }, null, true);
      }
      break;
    default: note(`(${action.type} は、プレビューでは試せません)`);
  }
}

// --- Rich menu: the image the indexer deployed, with its tappable areas ---
function showMenu(menuId) {
  const menu = state.menus[menuId];
  const holder = document.getElementById("richmenu-image");
  holder.replaceChildren();
  if (!menu) { document.getElementById("richmenu").hidden = true; return; }
  state.current = menuId;
  document.getElementById("richmenu").hidden = false;
  document.getElementById("chatbar").textContent = (menu.chatBarText || "メニュー") + " ▾";
  const img = el("img");
  img.src = `/api/richmenu/${encodeURIComponent(menuId)}/image`;
  img.alt = menu.name || "リッチメニュー";
  holder.appendChild(img);
  const { width, height } = menu.size;
  menu.areas.forEach((area, i) => {
    const b = area.bounds;
    const button = el("button", "area");
    button.type = "button";
    button.title = area.action.label || area.action.text || area.action.displayText || `ボタン${i + 1}`;
    button.setAttribute("aria-label", button.title);
    button.dataset.action = area.action.type;
    Object.assign(button.style, {
      left: `${(100 * b.x) / width}%`, top: `${(100 * b.y) / height}%`,
      width: `${(100 * b.width) / width}%`, height: `${(100 * b.height) / height}%`,
    });
    button.addEventListener("click", () => runAction(area.action));
    holder.appendChild(button);
  });
}

function switchMenu(aliasId) {
  const menuId = state.aliases[aliasId];
  if (menuId) { state.tab = aliasId; showMenu(menuId); }
  else note("切り替え先のメニューが見つかりません");
  return Boolean(menuId);
}

// A translated menu's tab alias ends with its language (madoguchi-…-vi); the Japanese tab's
// alias is the same without it.
const LANGUAGE_ALIAS = /^(madoguchi-[0-9a-f]{16})-[a-z]{2,3}$/;

// LINE shows a menu linked to the resident (職員対応中, or the menu in the language they write
// in) instead of the tabs, until it is unlinked; then the Japanese tab they last opened.
function followLinkedMenu(linked) {
  if ((linked || null) === state.linked) return;
  state.linked = linked || null;
  if (state.linked && state.menus[state.linked]) { state.tab = null; showMenu(state.linked); return; }
  if (state.tab) state.tab = state.tab.replace(LANGUAGE_ALIAS, "$1");
  showMenu((state.tab && state.aliases[state.tab]) || state.default);
}

// 「準備中」 over the talk until the first publish has loaded the bot; nothing can be sent then.
function showPreparing(data) {
  const box = document.getElementById("preparing");
  box.hidden = data.ready;
  document.getElementById("preparing-text").textContent = data.error || data.activity || "";
  input.disabled = !data.ready;
  document.getElementById("send").disabled = !data.ready;
}

async function loadState() {
  const response = await fetch("/api/state");
  const data = await response.json();
  showPreparing(data);
  if (!data.ready) return;
  showActivity(data.activity);
  const signature = JSON.stringify({ ...data, activity: null });
  if (signature === state.signature) return;  // nothing new since the last look
  state.signature = signature;
  document.getElementById("account-name").textContent = data.account_name;
  document.title = `${data.account_name} プレビュー`;
  document.getElementById("index-info").textContent = data.index_summary;
  state.menus = data.richmenu.menus;
  state.aliases = data.richmenu.aliases;
  state.default = data.richmenu.default;
  state.linked = data.richmenu.linked || null;
  // A menu linked to the resident first; then the tab they opened (its alias outlives a
  // publish, which gives the menus new ids); else the default everyone sees.
  let keep = data.richmenu.default;
  const tabMenu = state.tab && state.aliases[state.tab];
  // A tab opened inside the linked menu (another tab of the same language) stays open.
  const sameLanguage = state.tab && LANGUAGE_ALIAS.test(state.tab);
  if (state.linked && state.menus[state.linked]) keep = sameLanguage && tabMenu ? tabMenu : state.linked;
  else if (tabMenu) keep = tabMenu;
  showMenu(keep);
  renderOutbox(data.outbox || []);
  showOffice(data.office);
}

function renderOutbox(messages) {
  const box = document.getElementById("outbox");
  box.replaceChildren();
  if (!messages.length) { box.appendChild(el("p", "muted", "まだ通知はありません。")); return; }
  messages.forEach((m, i) => {
    const item = el("details", "mail");
    item.open = i === 0;
    const when = new Date(m.sent_at * 1000).toLocaleString("ja-JP", { timeZone: "Asia/Tokyo" });
    item.appendChild(el("summary", "", `${when} ${m.subject}`));
    item.appendChild(el("pre", "report", m.message));
    box.appendChild(item);
  });
}

// Staff may save the workbook on disk while the page is open: pick up the new menus and name.
setInterval(() => { if (ready) loadState().catch(() => {}); }, 3000);

// While a workbook is being checked and published: what the indexer is doing (and how far).
let uploading = false;
function showActivity(activity) {
  if (!uploading || !activity) return;
  const status = document.getElementById("upload-status");
  status.className = "";
  status.textContent = activity;
}

document.getElementById("composer").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = input.value;
  input.value = "";
  sendText(text);
});

function toggleMenu() {
  const holder = document.getElementById("richmenu-image");
  holder.hidden = !holder.hidden;
  document.getElementById("menu-toggle").setAttribute("aria-expanded", String(!holder.hidden));
}
document.getElementById("chatbar").addEventListener("click", toggleMenu);

// The phone's largest font size (特大), to check that answers and choices still read well.
document.getElementById("text-size").addEventListener("click", (e) => {
  const large = document.querySelector(".phone").classList.toggle("large-text");
  e.currentTarget.setAttribute("aria-pressed", String(large));
});
document.getElementById("menu-toggle").addEventListener("click", toggleMenu);

// Where each problem is and how to fix it, first, so staff need not search the full report.
function showProblems(problems) {
  const list = document.getElementById("upload-problems");
  list.replaceChildren();
  (problems || []).forEach((p) => {
    const where = [p.sheet && `${p.sheet}シート`, p.row && `${p.row}行目`, p.column && `「${p.column}」列`]
      .filter(Boolean).join(" ");
    const item = el("li", p.severity === "error" ? "error" : "warning");
    item.appendChild(el("strong", "", (p.severity === "error" ? "エラー" : "注意") + (where ? `: ${where}` : "")));
    item.appendChild(el("span", "", ` ${p.message}${p.fix ? ` → ${p.fix}` : ""}`));
    list.appendChild(item);
  });
  list.hidden = list.childElementCount === 0;
}

document.getElementById("upload-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const file = document.getElementById("workbook").files[0];
  const status = document.getElementById("upload-status");
  const report = document.getElementById("upload-report");
  if (!file) { status.className = "ng"; status.textContent = "ファイルを選んでください。"; return; }
  status.className = ""; status.textContent = "確認しています…";
  report.hidden = true;
  showProblems([]);
  let result;
  uploading = true;
  const follow = setInterval(() => { loadState().catch(() => {}); }, 1000);
  try {
    const response = await fetch("/api/workbook", {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream", "X-Filename": encodeURIComponent(file.name) },
      body: await file.arrayBuffer(),
    });
    result = await response.json();
    if (!response.ok) throw new Error(result.error || response.statusText);
  } catch (err) {
    status.className = "ng";
    status.textContent = `確認できませんでした(${err.message || "接続できません"})。今までの回答がそのまま使われます。`;
    return;
  } finally {
    uploading = false;
    clearInterval(follow);
  }
  status.className = result.published ? "ok" : "ng";
  status.textContent = result.published
    ? "公開しました。新しい回答で答えます。"
    : "公開できませんでした。今までの回答がそのまま使われます。";
  showProblems(result.report && result.report.problems);
  report.hidden = false;
  report.textContent = result.report_text;
  await loadState();
});

// --- Learning from residents: speak as another resident, run the nightly rebuild now ---
document.getElementById("new-resident").addEventListener("click", async () => {
  await queue;
  const response = await fetch("/api/resident", { method: "POST" });
  const result = await response.json();
  document.getElementById("resident").textContent =
    `いまは ${result.resident} 人目の住民として話しています。`;
  quickReplies.hidden = true;
  note(`― ここから ${result.resident} 人目の住民です ―`);
  send({ kind: "follow" });
});

const REBUILD_TEXT = {
  published: "学びました。次の質問から、新しい言い換えで答えます。",
  unchanged: "新しく学ぶ言葉はありませんでした(同じ言葉で同じ FAQ を選んだ住民が 2 人以上必要です)。",
  kept: "「テスト」シートの結果が下がるため、今の回答のままにしました。",
  off: "「設定」シートで学ばない設定になっています。",
  nothing_live: "まだ公開中の FAQ がありません。",
};

document.getElementById("rebuild").addEventListener("click", async () => {
  const status = document.getElementById("rebuild-status");
  status.className = ""; status.textContent = "学び直しています…";
  await queue;
  try {
    const response = await fetch("/api/rebuild", { method: "POST" });
    const result = await response.json();
    if (!response.ok) throw new Error(result.error || response.statusText);
    const learning = (result.outcome && result.outcome.learning) || {};
    const figures = learning.phrasings !== undefined
      ? `(学んだ言い換え ${learning.phrasings} 件、住民 ${learning.residents} 人)` : "";
    status.className = result.status === "published" ? "ok" : "";
    status.textContent = (REBUILD_TEXT[result.status] || `結果: ${result.status}`) + figures;
  } catch (err) {
    status.className = "ng";
    status.textContent = `学び直せませんでした(${err.message || "接続できません"})。今の回答のままです。`;
  }
  await loadState();
});

// The scheduled search reports (monthly on the 1st, weekly on Mondays), made now.
for (const button of document.querySelectorAll(".scheduled-report")) {
  button.addEventListener("click", async () => {
    const status = document.getElementById("scheduled-report-status");
    status.className = ""; status.textContent = "レポートを作っています…";
    await queue;
    try {
      const response = await fetch("/api/scheduled-report", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ period: button.dataset.period }),
      });
      const result = await response.json();
      if (!response.ok) throw new Error(result.error || response.statusText);
      status.className = "ok";
      status.textContent = `reports/${result.report} を作りました(質問 ${result.searches} 件)。`;
      const link = el("a", "", "ダウンロード(.xlsx)");
      link.href = result.download;
      link.setAttribute("download", "");
      status.appendChild(document.createTextNode(" "));
      status.appendChild(link);
    } catch (err) {
      status.className = "ng";
      status.textContent = `レポートを作れませんでした(${err.message || "接続できません"})。`;
    }
    await loadState();
  });
}

// Until the bot is ready, look every second; then greet as LINE does when a friend is added.
(async function start() {
  for (;;) {
    try {
      await loadState();
      const box = document.getElementById("preparing");
      if (box.hidden) break;
    } catch (err) { /* the server is starting or restarting: look again */ }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  ready = true;
  send({ kind: "follow" });
})();

// --- Locations: LINE's location picker, here a prompt for the point to send ---
const LOCATION_PICKER = "https://line.me/R/nv/location/";
function sendLocation() {
  const where = window.prompt(
    "送る場所の緯度と経度を「35.61,138.52」のように入れてください(空欄なら避難所の近く)。", "");
  if (where === null) return;
  const row = userBubble("(位置情報)");
  row.classList.add("attachment");
  send({ kind: "location", text: where.trim() }, row);
}

// --- The notice's broadcast: a dry run, and what LINE sent to every friend ---
function broadcastMessage(message) {
  if (message.type === "flex") return flexBubble(message.contents);
  return el("pre", "report", message.text || `(${message.type} メッセージ)`);
}

document.getElementById("notice-dry-run").addEventListener("click", async () => {
  const out = document.getElementById("notice-result");
  const shown = document.getElementById("notice-preview");
  out.hidden = false;
  out.textContent = "確かめています…";
  try {
    const result = await postJson("/api/notice-dry-run", {});
    out.textContent = `送らずに確かめた結果:\n${result.text}`;
    shown.replaceChildren(...(result.messages || []).map(broadcastMessage));
  } catch (err) {
    out.textContent = `確かめられませんでした: ${err.message}`;
  }
});

async function loadBroadcasts() {
  const response = await fetch("/api/broadcasts");
  const data = await response.json();
  const box = document.getElementById("broadcasts");
  const signature = JSON.stringify(data.broadcasts);
  if (box.dataset.signature === signature) return;
  box.dataset.signature = signature;
  box.replaceChildren();
  if (!data.broadcasts.length) { box.appendChild(el("p", "muted", "まだ送っていません。")); return; }
  data.broadcasts.forEach((sent) => {
    box.appendChild(el("p", "muted", `友だち ${sent.recipients}人に送りました:`));
    sent.messages.forEach((m) => box.appendChild(broadcastMessage(m)));
  });
}
loadBroadcasts().catch(() => {});
setInterval(() => { loadBroadcasts().catch(() => {}); }, 3000);
