/* The shop's first-party analytics tag (demo): runs only once "analytics" cookies are accepted. */
(() => {
  const year = 60 * 60 * 24 * 365;
  if (!/(?:^|; )_sa_id=/.test(document.cookie)) {
    // Letters only: a random number here could pass for a card number, which the shop's card-data
    // guard refuses in every request (docs/card-data-guard.md).
    const id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => String.fromCharCode(97 + (b % 26))).join("");
    document.cookie = `_sa_id=${id}; max-age=${year}; path=/; samesite=lax`;
  }
  document.cookie = `_sa_s_${Date.now().toString(36)}=1; max-age=1800; path=/; samesite=lax`;
  localStorage.setItem("_sa_last_visit", String(Date.now()));  // declared as local storage
  window.jsgShopAnalytics = true;
})();
