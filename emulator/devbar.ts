/**
 * The dev bar the local cloud injects into the browser build: a small pill to switch who you are (顾客, 好友, 商家,
 * a new user), to move the local clock, and to read your subscribe messages (the inbox WeChat would show, from
 * GET /__dev/inbox). It writes the same per-tab session keys the app's browser transport uses.
 */
export const DEVBAR_SCRIPT = `(() => {
  const TOKEN = 'tsfy.devToken', OPENID = 'tsfy.devOpenid';
  const css = document.createElement('style');
  css.textContent = \`
  #tsfy-devbar{position:fixed;right:8px;top:calc(env(safe-area-inset-top) + 9px);z-index:99999;font:12px/1.4 -apple-system,system-ui,sans-serif}
  #tsfy-devbar .pill{max-width:120px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;background:rgba(30,30,30,.72);color:#fff;border-radius:14px;padding:4px 10px;cursor:pointer;user-select:none;box-shadow:0 2px 6px rgba(0,0,0,.2)}
  #tsfy-devbar .panel{display:none;position:absolute;right:0;top:30px;width:230px;background:#fff;color:#222;border-radius:10px;box-shadow:0 6px 24px rgba(0,0,0,.25);padding:10px}
  #tsfy-devbar.open .panel{display:block}
  #tsfy-devbar button{display:block;width:100%;margin:3px 0;padding:6px 8px;border:1px solid #eee;border-radius:6px;background:#fafafa;text-align:left;cursor:pointer;font-size:12px}
  #tsfy-devbar button.me{border-color:#e4393c;color:#e4393c}
  #tsfy-devbar .row{display:flex;gap:4px}#tsfy-devbar .row button{text-align:center}
  #tsfy-devbar h4{margin:6px 0 2px;font-size:11px;color:#888;font-weight:normal}
  #tsfy-devbar .inbox{max-height:220px;overflow:auto}
  #tsfy-devbar .msg{border:1px solid #eee;border-radius:6px;padding:5px 7px;margin:3px 0;cursor:pointer;background:#fffdf6}
  #tsfy-devbar .msg b{display:block;font-size:12px}#tsfy-devbar .msg span{display:block;color:#555;font-size:11px}
  #tsfy-devbar .msg i{display:block;color:#aaa;font-size:10px;font-style:normal}#tsfy-devbar .empty{color:#aaa;font-size:11px}\`;
  document.head.appendChild(css);
  const root = document.createElement('div');
  root.id = 'tsfy-devbar';
  root.innerHTML = '<div class="pill" title="本地开发：切换身份 / 时钟"></div><div class="panel"><h4>切换身份（仅本地）</h4><div class="who"></div><h4>订阅消息（本地收件箱）</h4><div class="inbox"></div><h4>本地时钟</h4><div class="clock"></div><div class="row"><button data-adv="86400000">+1 天</button><button data-adv="691200000">+8 天</button><button data-reset="1">复位</button></div></div>';
  document.body.appendChild(root);
  // The pill sits in the title bar's empty right end (where WeChat draws its capsule): above the pages, so it never
  // covers a page's buttons or a sheet (sheets rise from the bottom and stop short of the bar).
  const pill = root.querySelector('.pill');
  pill.addEventListener('click', () => { root.classList.toggle('open'); if (root.classList.contains('open')) refresh(); });
  const current = () => sessionStorage.getItem(OPENID) || '';
  async function become(openid) {
    const r = await fetch('/__dev/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid }) });
    const { token } = await r.json();
    sessionStorage.setItem(TOKEN, token); sessionStorage.setItem(OPENID, openid);
    location.reload();
  }
  async function refresh() {
    const [ids, clock] = await Promise.all([fetch('/__dev/identities').then(r => r.json()), fetch('/__dev/clock').then(r => r.json())]);
    const who = root.querySelector('.who'); who.innerHTML = '';
    for (const id of ids.identities) {
      const b = document.createElement('button');
      b.textContent = id.label + (id.nickname ? '（' + id.nickname + '）' : '');
      if (id.openid === current()) b.className = 'me';
      b.onclick = () => become(id.openid);
      who.appendChild(b);
    }
    const fresh = document.createElement('button');
    fresh.textContent = '＋ 新用户（首次打开）';
    fresh.onclick = () => become('guest-' + Math.random().toString(36).slice(2, 12));
    who.appendChild(fresh);
    root.querySelector('.clock').textContent = new Date(clock.now).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }) + (clock.offsetMs ? '（已调整）' : '');
    showInbox();
  }
  async function showInbox() {
    const box = root.querySelector('.inbox');
    const me = current();
    if (!me) { box.innerHTML = '<div class="empty">登录后显示</div>'; return; }
    const { messages } = await fetch('/__dev/inbox?openid=' + encodeURIComponent(me)).then(r => r.json());
    box.innerHTML = '';
    if (!messages.length) { box.innerHTML = '<div class="empty">还没有收到订阅消息</div>'; return; }
    for (const m of messages.slice(-10).reverse()) {
      const item = document.createElement('div');
      item.className = 'msg';
      const title = document.createElement('b'); title.textContent = m.title; item.appendChild(title);
      for (const f of m.fields) { const line = document.createElement('span'); line.textContent = f.label + '：' + f.value; item.appendChild(line); }
      const when = document.createElement('i');
      when.textContent = new Date(m.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }) + (m.page ? ' · 点击打开' : '');
      item.appendChild(when);
      if (m.page) item.onclick = () => { location.hash = '#/' + m.page; root.classList.remove('open'); };
      box.appendChild(item);
    }
  }
  root.querySelectorAll('[data-adv],[data-reset]').forEach((b) => b.addEventListener('click', async () => {
    const body = b.dataset.reset ? { reset: true } : { advanceMs: Number(b.dataset.adv) };
    await fetch('/__dev/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    refresh();
  }));
  let unread = 0;
  const seenKey = () => 'tsfy.inboxSeen.' + current();
  function label() {
    const id = current();
    pill.textContent = '身份：' + (id ? (id.startsWith('guest-') ? '新用户 ' + id.slice(6, 10) : id) : '登录中…') + (unread ? ' · 消息 ' + unread : '') + ' ▾';
  }
  // New messages show on the pill (polled every few seconds); opening the panel marks them read.
  async function poll() {
    const id = current();
    if (!id) return;
    try {
      const { messages } = await fetch('/__dev/inbox?openid=' + encodeURIComponent(id)).then(r => r.json());
      const last = messages.length ? messages[messages.length - 1].seq : 0;
      if (root.classList.contains('open')) sessionStorage.setItem(seenKey(), String(last));
      const seen = Number(sessionStorage.getItem(seenKey()) || 0);
      unread = messages.filter(m => m.seq > seen).length;
      label();
    } catch (e) { /* the local cloud restarting */ }
  }
  setInterval(poll, 3000); poll();
  label();
  window.addEventListener('storage', label);
  setInterval(label, 400);
})();`;
