/* An advertising partner's conversion tag (demo): runs only once "marketing" cookies are accepted. */
(() => {
  document.cookie = `_adclick=demo; max-age=${60 * 60 * 24 * 90}; path=/; samesite=lax`;
  window.jsgShopAds = true;
})();
