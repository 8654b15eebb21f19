// `npm run build:css`, second step: drop from static/build/app.css every NHS.UK rule whose
// classes none of our pages can carry. The content searched is what can put a class on a page:
// our templates (the Django admin's are Django's own, not these), the Python that writes
// classes (settings' message tags, journals' form widgets), our scripts, and the scripts of
// the NHS.UK components we start (they add classes such as the header's "More" menu).
module.exports = {
  content: [
    "templates/**/*.html",
    "scopegrowth/settings/__init__.py",
    "journals/forms.py",
    "static/js/*.js",
    "static/journals/*.js",
    "static/devplans/*.js",
    "node_modules/nhsuk-frontend/dist/nhsuk/components/{button,character-count,checkboxes,error-summary,header,notification-banner,password-input,radios,scroll,skip-link}/*.mjs",
  ],
  css: ["static/build/app.css"],
  output: "static/build/",
  // Classes set by js-enabled.js (so never spelled whole in a template).
  safelist: { standard: [/^js-enabled$/, /^nhsuk-frontend-supported$/] },
};
