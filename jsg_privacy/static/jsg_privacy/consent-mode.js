/* Google Consent Mode v2 for jsg_privacy: defaults before any tag, updates on each choice.
   Every type is in the default: denied, except those always granted (security_storage); where the
   UK cookie exceptions apply (data-regions), the exception groups' own types are granted by
   default for those countries, never an advertising type. An update names only decided groups. */
(() => {
  const e = document.currentScript, J = (k, d) => JSON.parse(e.dataset[k] || d);
  const M = J("map", "{}"), V = J("versions", "{}"), T = J("types", "[]"), A = J("always", "[]");
  const R = J("regions", "{}"), W = Number(e.dataset.wait) || 500;
  window.dataLayer = window.dataLayer || [];
  window.gtag = window.gtag || function () { window.dataLayer.push(arguments); };
  const defaults = {};
  for (const t of T) defaults[t] = A.includes(t) ? "granted" : "denied";
  window.gtag("consent", "default", Object.assign(defaults, { wait_for_update: W }));
  if (R.countries && R.grant && R.grant.length) {
    const regional = { region: R.countries, wait_for_update: W };
    for (const t of R.grant) if (!t.startsWith("ad_")) regional[t] = "granted";
    window.gtag("consent", "default", regional);
  }
  const types = (s) => {
    const u = {};
    for (const k in M) if (k in s) for (const t of M[k]) u[t] = s[k] ? "granted" : "denied";
    return u;
  };
  window.jsgConsentMode = (s) => {
    const u = types(s || {});
    if (Object.keys(u).length) window.gtag("consent", "update", u);
  };
  const m = document.cookie.match(new RegExp("(?:^|; )" + e.dataset.cookie + "_ui=([^;]*)")), s = {};
  if (m) decodeURIComponent(m[1]).replace(/^"|"$/g, "").split("|").forEach((p) => {
    const [k, v, ver] = p.split(".");
    if (V[k] && V[k] === ver) s[k] = v === "1";
  });
  if (Object.keys(s).length) window.jsgConsentMode(s);
})();
