/* jsg_privacy: the visitor's cookie choices, read from the consent cookie's readable mirror before the
   page is drawn. Marks <html> so consent.css hides a decided banner: no request to the shop. */
(() => {
  const e = document.currentScript, V = JSON.parse(e.dataset.versions || "{}"), s = {};
  const m = document.cookie.match(new RegExp("(?:^|; )" + e.dataset.cookie + "_ui=([^;]*)"));
  let gpc = false;
  if (m) decodeURIComponent(m[1]).replace(/^"|"$/g, "").split("|").forEach((p) => {
    const [k, v, ver] = p.split(".");
    if (k === "gpc") gpc = true;
    else if (V[k] && V[k] === ver) s[k] = v === "1";
  });
  const c = document.documentElement.classList, keys = Object.keys(V);
  if (keys.length && keys.every((k) => k in s)) c.add("jsg-cb-decided");
  // The server saw Sec-GPC (the cookie says so), or the browser says so itself (a cached page).
  if (gpc || navigator.globalPrivacyControl === true) c.add("jsg-cb-gpc");
})();
