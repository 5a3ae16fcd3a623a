/* Google Consent Mode v2 for jsg_privacy: defaults (all denied) before any tag, updates on choice. */
(() => {
  const e = document.currentScript, M = JSON.parse(e.dataset.map), V = JSON.parse(e.dataset.versions);
  window.dataLayer = window.dataLayer || [];
  window.gtag = window.gtag || function () { window.dataLayer.push(arguments); };
  const types = (s) => {
    const u = {};
    for (const k in M) for (const t of M[k]) u[t] = s && s[k] ? "granted" : "denied";
    return u;
  };
  window.gtag("consent", "default", Object.assign(types(null), { wait_for_update: 500 }));
  window.jsgConsentMode = (s) => window.gtag("consent", "update", types(s));
  const m = document.cookie.match(new RegExp("(?:^|; )" + e.dataset.cookie + "_ui=([^;]*)")), s = {};
  if (m) decodeURIComponent(m[1]).replace(/^"|"$/g, "").split("|").forEach((p) => {
    const [k, v, ver] = p.split(".");
    if (V[k] && V[k] === ver) s[k] = v === "1";
  });
  if (Object.keys(s).length) window.jsgConsentMode(s);
})();
