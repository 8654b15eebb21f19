// Runs synchronously at the start of <body> (an external file: the CSP allows no inline script).
// NHS.UK frontend styles its JavaScript-enhanced components only when these classes are present.
document.body.className +=
  " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
