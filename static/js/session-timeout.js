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
  let lastActivity = Date.now();
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
        if (response.status === 200) {
          lastActivity = Date.now();
          hide();
        } else {
          expire();
        }
      })
      .catch(function () { /* offline: keep the dialog; the next click tries again */ });
  });

  dialog.addEventListener("keydown", function (event) {
    if (event.key === "Escape") extend.click();
  });

  // Any page the server renders restarts the server's idle clock; so do autosaves, which
  // dispatch "scopegrowth:activity" after a successful save.
  document.addEventListener("scopegrowth:activity", function () { lastActivity = Date.now(); });
  timer = window.setInterval(tick, 1000);
  window.addEventListener("pagehide", function () { window.clearInterval(timer); });
})();
