/* jsg_privacy for headless storefronts: the cookie banner on another origin, through the
   storefront API (docs/storefront.md). No dependencies. Gated tags: <script type="text/plain"
   data-consent="analytics">; they run once their group is accepted. */
(() => {
  const d = document, me = d.currentScript, api = me.dataset.api, K = "jsg_privacy.visitor";
  const call = async (path, body) => {
    let t = localStorage.getItem(K);
    if (!t) {
      const r = await fetch(api + "visitor/", { method: "POST" });
      if (!r.ok) throw new Error("visitor " + r.status);
      t = (await r.json()).token;
      localStorage.setItem(K, t);
    }
    const r = await fetch(api + path, {
      method: body ? "POST" : "GET",
      headers: { Authorization: "Visitor " + t, "Content-Type": "application/json" },
      body: body && JSON.stringify(body),
    });
    if (r.status === 403 && !body) localStorage.removeItem(K); /* expired: a new one next time */
    if (!r.ok) throw new Error(path + " " + r.status);
    return r.json();
  };
  const activate = (s) => d.querySelectorAll('script[type="text/plain"][data-consent]').forEach((o) => {
    if (!s[o.dataset.consent]) return;
    const n = d.createElement("script");
    for (const a of o.attributes) if (a.name !== "type") n.setAttribute(a.name, a.value);
    n.text = o.text;
    o.replaceWith(n);
  });
  const banner = (state) => {
    const b = d.createElement("div"), h = d.createElement("h2");
    b.className = "jsg-sf";
    b.setAttribute("role", "dialog");
    b.setAttribute("aria-labelledby", "jsg-sf-title");
    h.id = "jsg-sf-title";
    h.textContent = me.dataset.title || "Cookies";
    b.append(h);
    for (const g of state.groups) {
      const p = d.createElement("p"), s = d.createElement("strong");
      s.textContent = g.label + " ";
      p.append(s, g.description);
      b.append(p);
    }
    const choose = (yes) => call("cookies/", {
      choices: Object.fromEntries(state.groups.map((g) => [g.key, yes])),
    }).then((r) => { b.remove(); activate(r.cookies); window.jsgPrivacy.cookies = r.cookies; });
    /* The page's language: data-title, data-reject and data-accept on the script tag. */
    for (const [label, yes] of [[me.dataset.reject || "Reject all", false], [me.dataset.accept || "Accept all", true]]) {
      const button = d.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.onclick = () => choose(yes);
      b.append(button);
    }
    d.body.append(b);
  };
  window.jsgPrivacy = { call };
  call("choices/").then((state) => {
    window.jsgPrivacy.cookies = state.cookies;
    activate(state.cookies);
    if (state.undecided.length) banner(state);
  }).catch((e) => console.warn("jsg_privacy:", e.message));
})();
