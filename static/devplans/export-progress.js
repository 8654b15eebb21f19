// Bulk export progress: progressive enhancement of the "Your exports" table.
//
// Without JavaScript the page has a "Refresh now" link. With it, while an export is waiting or
// being built, the table is fetched again every few seconds from this same page and swapped in;
// a status line (a polite live region) says when an export is ready or has failed. Nothing is
// kept in the browser's storage.
(function () {
  "use strict";

  var region = document.getElementById("export-jobs");
  var status = document.getElementById("export-status");
  if (!region || !status || !window.fetch || !window.DOMParser) {
    return;
  }
  var EVERY_MS = 3000;

  function refresh() {
    window
      .fetch(window.location.pathname, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("export-jobs");
        if (!fresh) {
          return;
        }
        region.innerHTML = fresh.innerHTML;
        region.setAttribute("data-active", fresh.getAttribute("data-active"));
        if (fresh.getAttribute("data-active") === "true") {
          window.setTimeout(refresh, EVERY_MS);
        } else {
          status.textContent = fresh.getAttribute("data-summary") || "";
        }
      })
      .catch(function () {
        window.setTimeout(refresh, EVERY_MS * 3);
      });
  }

  if (region.getAttribute("data-active") === "true") {
    window.setTimeout(refresh, EVERY_MS);
  }
})();
