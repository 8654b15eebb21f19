// Journal autosave: progressive enhancement of the section form.
//
// Without JavaScript the form still works with its Save button. With it, the whole form is
// posted to the autosave URL a moment after the person stops typing. The server keeps the text;
// nothing is written to localStorage or sessionStorage. A save that another tab has overtaken
// is refused by the server (409) and this script never overwrites it: it says so and stops.
// Every save from this page carries the page's random key (`save_key`): when a reply is lost
// (the server saved, the answer never arrived) the next save still sends the older version,
// and the key tells the server it is this page going on, not another tab (issue 15).
(function () {
  "use strict";

  var form = document.getElementById("section-form");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var url = form.getAttribute("data-autosave-url");
  var status = document.getElementById("autosave-status");
  var versionInput = form.querySelector("input[name='version']");
  var tokenInput = form.querySelector("input[name='csrfmiddlewaretoken']");
  if (!url || !status || !versionInput || !tokenInput) {
    return;
  }

  function randomKey() {
    var bytes = new Uint8Array(18);
    window.crypto.getRandomValues(bytes);
    var key = "";
    for (var i = 0; i < bytes.length; i++) {
      key += ("0" + bytes[i].toString(16)).slice(-2);
    }
    return key;
  }

  if (window.crypto && window.crypto.getRandomValues) {
    var keyInput = document.createElement("input");
    keyInput.type = "hidden";
    keyInput.name = "save_key";
    keyInput.value = randomKey();
    form.appendChild(keyInput);
  }

  var DELAY_MS = 2000;
  var MAX_RETRIES = 3;
  var retries = 0;
  var timer = null;
  var saving = false;
  var pending = false;
  var dirty = false;
  var stopped = false;
  var submitting = false;

  function say(text) {
    status.textContent = text;
  }

  function timeOf(iso) {
    var when = iso ? new Date(iso) : new Date();
    return when.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  }

  function stop(text) {
    stopped = true;
    if (timer) {
      clearTimeout(timer);
    }
    say(text);
  }

  function firstError(body) {
    if (!body) {
      return "";
    }
    if (body.message) {
      return body.message;
    }
    if (body.errors) {
      for (var name in body.errors) {
        if (Object.prototype.hasOwnProperty.call(body.errors, name) && body.errors[name].length) {
          return body.errors[name][0];
        }
      }
    }
    return "";
  }

  function save() {
    timer = null;
    if (stopped || submitting) {
      return;
    }
    if (saving) {
      pending = true;
      return;
    }
    saving = true;
    pending = false;
    dirty = false;
    say("Saving…");
    fetch(url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": tokenInput.value, Accept: "application/json" },
    })
      .then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 0 || response.redirected) {
          dirty = true;
          stop(
            "You have been signed out, so this was not saved. Press Save: we will keep your " +
              "text and ask you to sign in again."
          );
          return null;
        }
        return response.json().then(function (body) {
          return { status: response.status, body: body };
        });
      })
      .then(function (result) {
        if (!result) {
          return;
        }
        if (result.status === 200) {
          retries = 0;
          if (typeof result.body.version === "number") {
            versionInput.value = String(result.body.version);
          }
          if (result.body.saved_at) {
            say("Saved at " + timeOf(result.body.saved_at));
          } else {
            say("");
          }
        } else if (result.status === 409) {
          dirty = true;
          stop(
            "This section was saved in another tab (or by someone else) after you opened it. " +
              "What you typed here has not been saved. Press Save to compare both versions."
          );
        } else {
          dirty = true;
          say("Not saved automatically. " + (firstError(result.body) || "Press Save to try again."));
        }
      })
      .catch(function () {
        // No reply: the save may have been kept or not. Send it again (same page key), a few
        // times at most; the server tells the same page's save from another tab's.
        dirty = true;
        say("Could not save automatically. Your text is still here: press Save to try again.");
        if (retries < MAX_RETRIES) {
          retries += 1;
          pending = true;
        }
      })
      .then(function () {
        saving = false;
        if (submitAfterSave) {
          submitAfterSave = false;
          submitting = true;
          form.submit();
          return;
        }
        if (pending && !stopped) {
          schedule();
        }
      });
  }

  function schedule() {
    if (stopped) {
      return;
    }
    dirty = true;
    if (timer) {
      clearTimeout(timer);
    }
    timer = setTimeout(save, DELAY_MS);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  // A Save pressed while an autosave is on its way waits for it, so the form carries the new
  // version and the server does not mistake this tab for another one.
  var submitAfterSave = false;
  form.addEventListener("submit", function (event) {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (saving) {
      event.preventDefault();
      submitAfterSave = true;
      say("Saving…");
      return;
    }
    submitting = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
