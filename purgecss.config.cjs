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
  // What scripts set without spelling it whole: js-enabled.js's classes, and what the NHS.UK
  // components build from their names (`data-nhsuk-character-count-init`, `…--disabled`,
  // a conditional reveal's `…__conditional--hidden`, the scroll shadows' `nhsuk-scroll--…`).
  safelist: {
    standard: [
      /^js-enabled$/,
      /^nhsuk-frontend-supported$/,
      /--disabled$/,
      /__conditional--hidden$/,
      /^nhsuk-scroll--/,
      // Classes templates build from a variable: a status tag's colour from Python
      // (`nhsuk-tag--{{ tag.colour }}`), the form pack's choices and legend sizes
      // (templates/nhsuk/layout/: `nhsuk-{{ choice_type }}__…`, `…legend--{{ legend_size }}`).
      /^nhsuk-tag--/,
      /^nhsuk-(radios|checkboxes)/,
      /^nhsuk-fieldset__legend--/,
      /^nhsuk-label--/,
    ],
    greedy: [/data-nhsuk-[a-z-]+-init/],
  },
};
