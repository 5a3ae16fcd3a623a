/* jsg_privacy cookie banner: no reload, consented scripts activated in place. */
(() => {
  const d = document, b = d.getElementById("jsg-cb");
  if (!b) return;
  const V = JSON.parse(b.dataset.versions || "{}"), N = b.dataset.cookie + "_ui";
  const read = () => {
    const m = d.cookie.match(new RegExp("(?:^|; )" + N + "=([^;]*)")), s = {};
    if (m) decodeURIComponent(m[1]).replace(/^"|"$/g, "").split("|").forEach((p) => {
      const [k, v, ver] = p.split(".");
      if (V[k] && V[k] === ver) s[k] = v === "1";
    });
    return s;
  };
  const activate = (s) => d.querySelectorAll('script[type="text/plain"][data-consent]').forEach((o) => {
    if (!s[o.dataset.consent]) return;
    const n = d.createElement("script");
    for (const a of o.attributes) if (a.name !== "type") n.setAttribute(a.name, a.value);
    n.nonce = o.nonce;
    n.text = o.text;
    o.replaceWith(n);
  });
  // Declared localStorage/sessionStorage keys of refused groups go, as their cookies do server-side.
  const S = JSON.parse(b.dataset.storage || "{}");
  const glob = (p) => new RegExp("^" + p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$");
  const sweep = (s) => {
    for (const k in S) if (s[k] === false) for (const area in S[k]) {
      const store = area === "local_storage" ? window.localStorage : window.sessionStorage;
      const pats = S[k][area].map(glob);
      for (let i = store.length - 1; i >= 0; i--) if (pats.some((r) => r.test(store.key(i)))) store.removeItem(store.key(i));
    }
  };
  // While the banner shows, what takes keyboard focus is scrolled above it, never under it; a
  // spacer as tall as the banner lets the end of the page scroll clear of it too.
  const spacer = d.createElement("div");
  spacer.setAttribute("aria-hidden", "true");
  b.after(spacer);
  const pad = () => {
    const r = b.getBoundingClientRect(), h = r.height ? Math.max(0, innerHeight - r.top) + 8 : 0;
    d.documentElement.style.scrollPaddingBottom = h ? h + "px" : "";
    spacer.style.height = h + "px";
  };
  const show = (on) => { b.style.display = on ? "block" : "none"; pad(); };
  pad();
  addEventListener("resize", pad);
  if (window.ResizeObserver) new ResizeObserver(pad).observe(b);
  const apply = () => {
    const s = read();
    activate(s);
    sweep(s);
    if (window.jsgConsentMode) window.jsgConsentMode(s);
    return s;
  };
  apply();
  // Exception groups (UK, PECR Sch. A1) not decided yet: on if the server says so for this visitor.
  // The page says so when every visitor is in the shop's default country ("1"/"0"); otherwise the
  // status endpoint, which knows the visitor's country, is asked.
  const X = JSON.parse(b.dataset.exceptions || "[]"), seen = read(), ap = b.dataset.exceptionsApply;
  const grant = (on) => { const s = read(); for (const k of X) if (!(k in s)) s[k] = on(k); activate(s); };
  if (X.some((k) => !(k in seen))) {
    if (ap) { if (ap === "1") grant(() => true); }
    else fetch(b.dataset.status, { credentials: "same-origin" })
      .then((r) => r.json()).then((j) => {
        const on = {};
        for (const g of j.groups) on[g.key] = g.accepted === true;
        grant((k) => on[k] === true);
      }).catch(() => {});
  }
  // Keyboard: the second layer ("Choose") takes focus when it opens; Escape closes it, then the
  // banner, recording nothing; focus goes back to the control that opened them.
  const layer = b.querySelector("details"), summary = b.querySelector("summary");
  let opener = null;  // the "Privacy settings" link that reopened the banner, if one did
  const firstChoice = () => layer.querySelector("input:not([type=hidden]), button");
  const hide = () => {
    const inside = b.contains(d.activeElement);
    show(false);
    if (inside && opener && opener.isConnected) opener.focus();
    opener = null;
  };
  layer.addEventListener("toggle", () => {
    if (layer.open && b.contains(d.activeElement)) firstChoice().focus();
  });
  b.addEventListener("keydown", (e) => {
    if (e.key !== "Escape") return;
    e.preventDefault();
    const fromChoose = layer.open && !opener;
    layer.open = false;
    if (fromChoose) summary.focus();
    else hide();
  });
  const close = b.querySelector(".jsg-cb__close");
  close.hidden = false;
  close.onclick = hide;
  const send = (f, body) => fetch(f.action, { method: "POST", body, credentials: "same-origin", headers: { "X-Requested-With": "fetch" } });
  d.addEventListener("submit", async (e) => {
    const f = e.target;
    if (!f.classList.contains("jsg-cb-form")) return;
    e.preventDefault();
    const body = new FormData(f);
    let r = await send(f, body);
    if (r.status === 403) {  // a cached page's CSRF token: fetch a fresh one and retry once
      body.set("csrfmiddlewaretoken", (await (await fetch(b.dataset.status, { credentials: "same-origin" })).json()).csrftoken);
      r = await send(f, body);
    }
    // Let the server explain, as without JavaScript; an inline switch's choice is sent with the
    // shop's own form instead, so the page (and what was typed in it) stays.
    if (!r.ok) { if (!f.dataset.inline) f.submit(); return; }
    const s = apply();
    d.querySelectorAll('.jsg-cb-form input[name="groups"]').forEach((i) => { i.checked = !!s[i.value]; });
    hide();
    d.dispatchEvent(new CustomEvent("jsg:consent", { detail: s }));
  });
  // Switches inside a shop's own form ({% consent_choices inline=True %}): each one switched is
  // saved at once, as that group's accept or decline; the shop's form carries them too.
  d.addEventListener("change", (e) => {
    const box = e.target, set = box.closest("[data-jsg-cb-inline]");
    if (!set || box.type !== "checkbox") return;
    const f = d.createElement("form"), add = (n, v) => {
      const i = d.createElement("input"); i.type = "hidden"; i.name = n; i.value = v; f.append(i);
    };
    f.className = "jsg-cb-form"; f.method = "post"; f.hidden = true; f.dataset.inline = "1";
    f.action = box.checked ? set.dataset.accept : set.dataset.decline;
    add("groups", box.value); add("channel", set.dataset.channel); add("next", location.pathname);
    d.body.append(f);
    d.addEventListener("jsg:consent", () => {
      f.remove();
      const said = set.querySelector(".jsg-cb__saved");
      if (said) said.textContent = set.dataset.saved;
    }, { once: true });
    f.requestSubmit();
  });
  d.addEventListener("click", (e) => {
    const a = e.target.closest("[data-jsg-cb-open]");
    if (!a) return;
    e.preventDefault();
    const s = read();
    b.querySelectorAll('input[name="groups"]').forEach((i) => { i.checked = !!s[i.value]; });
    opener = a;
    show(true);
    layer.open = true;
    firstChoice().focus();
  });
})();
