// ScopeGrowth front end: start every NHS.UK frontend component on the page.
//
// Loaded as <script type="module"> (deferred by default). nhsuk-frontend v10 ships its
// bundle as an ES module, served by Django from node_modules (STATICFILES_DIRS "nhsuk").
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

initAll();

// The NHS error summary component moves focus to itself; make sure it also does so when it
// was rendered without the module (e.g. a summary added by a page-specific template).
const summary = document.querySelector(".nhsuk-error-summary");
if (summary && document.activeElement !== summary) {
  if (!summary.hasAttribute("tabindex")) {
    summary.setAttribute("tabindex", "-1");
  }
  summary.focus();
}
