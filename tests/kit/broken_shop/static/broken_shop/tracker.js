/* An advertising tag pasted in without consent gating (broken on purpose). */
document.cookie = "_adclick=1; max-age=86400; path=/; samesite=lax";
localStorage.setItem("_adclick", "1");
