// ScopeGrowth front end: start the NHS.UK frontend components a page uses.
//
// The source of static/build/js/app.js (`npm run build:js`): esbuild bundles nhsuk-frontend's
// ES modules, one chunk per component, and a page loads only the chunks of the components it
// has (their `data-module` attributes). A template that starts using another component with a
// `data-module` adds it here. Loaded as <script type="module"> (deferred by default).
// Not from the package's index module: it imports every component, and so would this bundle.
import { isSupported } from "nhsuk-frontend/dist/nhsuk/common/index.mjs";
// Every page has the skip link: it is bundled here and started before the page's
// DOMContentLoaded, not loaded later as a chunk. Loaded later, a keyboard user who pressed Tab
// and Enter at once (as fast as a browser test does) reached it before its script ran: the
// page scrolled to the main content but focus stayed on the link, so the next Tab went to the
// header, not into the content (a flaky browser test in CI, 2 December 2026).
import { SkipLink } from "nhsuk-frontend/dist/nhsuk/components/skip-link/skip-link.mjs";

const COMPONENTS = {
  "nhsuk-button": () => import("nhsuk-frontend/dist/nhsuk/components/button/button.mjs"),
  "nhsuk-character-count": () =>
    import("nhsuk-frontend/dist/nhsuk/components/character-count/character-count.mjs"),
  "nhsuk-checkboxes": () =>
    import("nhsuk-frontend/dist/nhsuk/components/checkboxes/checkboxes.mjs"),
  "nhsuk-error-summary": () =>
    import("nhsuk-frontend/dist/nhsuk/components/error-summary/error-summary.mjs"),
  "nhsuk-header": () => import("nhsuk-frontend/dist/nhsuk/components/header/header.mjs"),
  "nhsuk-notification-banner": () =>
    import("nhsuk-frontend/dist/nhsuk/components/notification-banner/notification-banner.mjs"),
  "nhsuk-password-input": () =>
    import("nhsuk-frontend/dist/nhsuk/components/password-input/password-input.mjs"),
  "nhsuk-radios": () => import("nhsuk-frontend/dist/nhsuk/components/radios/radios.mjs"),
  "nhsuk-scroll": () => import("nhsuk-frontend/dist/nhsuk/components/scroll/scroll.mjs"),
};

// Components whose script only serves some of their options: started only on an element that
// has one (issue 20: their chunks are 1-3 KiB each, and no page of ours used these options).
// Checkboxes and radios: conditional reveals and "none of these" options; a button: preventing
// a double submit, and the space bar on a link drawn as a button.
// tests/scopegrowth/test_front_end_budget.py counts a chunk by the same rule.
const NEEDS = {
  "nhsuk-button": '[data-prevent-double-click="true"], [role="button"]',
  "nhsuk-checkboxes": "[data-aria-controls], [data-behaviour], [data-checkbox-exclusive]",
  "nhsuk-radios": "[data-aria-controls]",
};
const needed = (name, element) =>
  !NEEDS[name] || element.matches(NEEDS[name]) || element.querySelector(NEEDS[name]) !== null;

// As nhsuk-frontend's createAll: nothing on a browser it does not support, and an element
// that fails to start is logged and skipped.
if (isSupported()) {
  document.querySelectorAll('[data-module="nhsuk-skip-link"]').forEach((element) => {
    try {
      new SkipLink(element);
    } catch (error) {
      console.log(error);
    }
  });
  for (const [name, load] of Object.entries(COMPONENTS)) {
    const elements = [...document.querySelectorAll(`[data-module="${name}"]`)].filter((element) =>
      needed(name, element),
    );
    if (elements.length) {
      load().then((module) => {
        const Component = Object.values(module).find((v) => v && v.moduleName === name);
        elements.forEach((element) => {
          try {
            new Component(element);
          } catch (error) {
            console.log(error);
          }
        });
      });
    }
  }
}

// The NHS error summary component moves focus to itself; make sure it also does so when it
// was rendered without the module (e.g. a summary added by a page-specific template).
const summary = document.querySelector(".nhsuk-error-summary");
if (summary && document.activeElement !== summary) {
  if (!summary.hasAttribute("tabindex")) {
    summary.setAttribute("tabindex", "-1");
  }
  summary.focus();
}
