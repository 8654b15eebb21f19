// Warns two minutes before the idle session ends, with a one-click "Stay signed in"
// (WCAG 2.2 SC 2.2.1 Timing Adjustable). Without JavaScript nothing changes: typed text is
// still kept server-side if the session ends.
(function () {
  "use strict";
  const dialog = document.getElementById("session-warning");
  if (!dialog) return;
  const idle = parseInt(dialog.dataset.idleSeconds, 10) * 1000;
  const warnBefore = Math.min(120000, idle / 2);
  const countdown = dialog.querySelector("[data-session-countdown]");
  const extend = dialog.querySelector("[data-session-extend]");
  // The server records activity at most once a minute: count from what it recorded (plus a
  // second, so the page never sends someone to sign in while the server still has them).
  function since(secondsLeft) {
    const left = parseInt(secondsLeft, 10) * 1000;
    return Date.now() - (isNaN(left) ? 0 : Math.max(0, idle - left)) + 1000;
  }
  let lastActivity = since(dialog.dataset.secondsLeft);
  let returnFocus = null;
  let timer = null;

  function show() {
    if (!dialog.hidden) return;
    returnFocus = document.activeElement;
    dialog.hidden = false;
    extend.focus();
  }

  function hide() {
    dialog.hidden = true;
    if (returnFocus && returnFocus.focus) returnFocus.focus();
  }

  function expire() {
    const next = encodeURIComponent(window.location.pathname + window.location.search);
    window.location.assign(dialog.dataset.loginUrl + "?next=" + next);
  }

  function tick() {
    const left = idle - (Date.now() - lastActivity);
    if (left <= 0) {
      expire();
      return;
    }
    if (left <= warnBefore) {
      show();
      const minutes = Math.floor(left / 60000);
      const seconds = Math.floor((left % 60000) / 1000);
      countdown.textContent =
        "Time left: " + (minutes ? minutes + " minute" + (minutes > 1 ? "s " : " ") : "") +
        seconds + " second" + (seconds === 1 ? "" : "s") + ".";
    }
  }

  extend.addEventListener("click", function () {
    fetch(dialog.dataset.keepaliveUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status !== 200) return expire();
        return response.json().then(function (body) {
          lastActivity = since(body.expires_in);
          hide();
        });
      })
      .catch(function () { /* offline: keep the dialog; the next click tries again */ });
  });

  dialog.addEventListener("keydown", function (event) {
    if (event.key === "Escape") extend.click();
  });

  // An autosave (a post: the server records it at once) restarts the idle clock; it
  // dispatches "scopegrowth:activity" after a successful save.
  document.addEventListener("scopegrowth:activity", function () { lastActivity = Date.now(); });
  timer = window.setInterval(tick, 1000);
  window.addEventListener("pagehide", function () { window.clearInterval(timer); });
})();
