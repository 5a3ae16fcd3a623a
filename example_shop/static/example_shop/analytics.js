/* The shop's first-party analytics tag (demo): runs only once "analytics" cookies are accepted. */
(() => {
  const year = 60 * 60 * 24 * 365;
  if (!/(?:^|; )_sa_id=/.test(document.cookie)) {
    const id = crypto.getRandomValues(new Uint32Array(2)).join("-");
    document.cookie = `_sa_id=${id}; max-age=${year}; path=/; samesite=lax`;
  }
  document.cookie = `_sa_s_${Date.now().toString(36)}=1; max-age=1800; path=/; samesite=lax`;
  localStorage.setItem("_sa_last_visit", String(Date.now()));  // declared as local storage
  window.jsgShopAnalytics = true;
})();
