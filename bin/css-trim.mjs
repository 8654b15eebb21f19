// What bin/build-css.mjs does to a page's sheet after PurgeCSS: the selectors PurgeCSS keeps
// although the page cannot match them (`withoutEmptyHas`), then `compact` (rules no browser we
// serve reads, print's type sizes, unread custom properties; esbuild's and csso's minifiers).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const postcss = require("postcss");
const esbuild = require("esbuild");
const csso = require("csso");

// PurgeCSS keeps a selector whatever its `:has()` asks for: `.nhsuk-summary-list:has(.nhsuk-
// summary-list__actions) …` on a page with no summary list actions, `.nhsuk-label-wrapper:
// has(.nhsuk-label--l)` where no label is large. A selector is left out where one of its
// `:has()` (not under a `:not()`) needs, in each of its alternatives, a class the page's markup
// never has (what `:not()` excludes inside it is left out of the test: it needs no class).
export function withoutEmptyHas(css, known) {
  const root = postcss.parse(css);
  root.walkRules((rule) => {
    if (!rule.selector.includes(":has(")) return;
    const kept = rule.selectors.filter((selector) => !hasNeedsUnknown(selector, known));
    if (kept.length === 0) rule.remove();
    else if (kept.length < rule.selectors.length) rule.selectors = kept;
  });
  return root.toString();
}
// The argument of the pseudo-class whose `(` is at `open`, and the index after its `)`.
function argument(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return [text.slice(open + 1, i), i + 1];
  }
  return [text.slice(open + 1), text.length];
}
function withoutNot(text) {
  let out = "";
  for (let i = 0; i < text.length; ) {
    if (text.startsWith(":not(", i)) i = argument(text, i + 4)[1];
    else out += text[i++];
  }
  return out;
}
function topLevel(list) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    if (list[i] === "(") depth++;
    else if (list[i] === ")") depth--;
    else if (list[i] === "," && depth === 0) {
      parts.push(list.slice(start, i));
      start = i + 1;
    }
  }
  return [...parts, list.slice(start)];
}
function hasNeedsUnknown(selector, known) {
  const positive = withoutNot(selector);
  for (let i = positive.indexOf(":has("); i >= 0; i = positive.indexOf(":has(", i + 1)) {
    const [list] = argument(positive, i + 4);
    const unmatched = (alternative) =>
      [...withoutNot(alternative).matchAll(/\.(-?[A-Za-z_][\w-]*)/g)].some((m) => !known(m[1]));
    if (topLevel(list).every(unmatched)) return true;
  }
  return false;
}

// What a browser we serve (nhsuk-frontend 10's: no Internet Explorer, no EdgeHTML) never
// reads, left out of every sheet: the `-ms-high-contrast` media features (IE's forced colours:
// `forced-colors` stays beside them), and neighbouring at-rules of one condition written as one
// (`@media print{a{…}}@media print{b{…}}` as `@media print{a{…}b{…}}`: the rules keep their order).
const IE_ONLY = /^\s*(?:print and |screen and )?\(-ms-high-contrast: [a-z]+\)\s*$/;
// Internet Explorer's `@media screen\0` (Sass writes the NUL as U+FFFD: a media type no other
// browser has, so never true), and EdgeHTML's `@supports not (-ms-ime-align: auto)` (true in
// every other browser: its rules are kept, without the condition). NHS.UK's details.
const IE_MEDIA_TYPE = /^\s*screen(?:\uFFFD|\\0)/;
const EDGE_HTML_ONLY = /^not\s*\(\s*-ms-ime-align\s*:\s*auto\s*\)$/;
const COMPONENT_TEXT = /\.nhsuk-/;
const CORE_TEXT = /\.nhsuk-(?:heading|body|list|caption|u-|main-wrapper|button-group)|^(?:[a-z0-9]+|[a-z0-9]+[+~> ][a-z0-9:.()\[\]^=-]+)$/;
export function compact(css) {
  const root = postcss.parse(css);
  root.walkAtRules("media", (at) => {
    const kept = at.params.split(",").filter((query) => !IE_ONLY.test(query) && !IE_MEDIA_TYPE.test(query));
    if (kept.length === 0) at.remove();
    else at.params = kept.join(",");
  });
  root.walkAtRules("supports", (at) => {
    if (EDGE_HTML_ONLY.test(at.params.trim())) at.replaceWith(at.nodes);
  });
  const merge = (parent) => {
    let previous = null;
    for (const node of [...parent.nodes ?? []]) {
      if (node.type === "atrule" && node.nodes) merge(node);
      if (
        previous &&
        node.type === "atrule" &&
        previous.type === "atrule" &&
        node.name === previous.name &&
        node.params === previous.params &&
        node.nodes &&
        previous.nodes
      ) {
        previous.append(node.nodes);
        node.remove();
        merge(previous);
        continue;
      }
      previous = node.type === "comment" ? previous : node;
    }
  };
  merge(root);
  // Print (a browser's; a plan's PDF has its own sheet, devplans/pdf.py): NHS.UK sets every
  // component's type in points as well as the body's and headings'. A component's text prints
  // at its screen size (16 to 24 px, about the 12 to 17 pt NHS.UK gives); what print changes
  // otherwise stays (what is hidden, link addresses, black borders and text, page breaks).
  root.walkAtRules("media", (at) => {
    if (at.params !== "print") return;
    at.walkRules((rule) => {
      if (!rule.selectors.every((sel) => COMPONENT_TEXT.test(sel) && !CORE_TEXT.test(sel))) return;
      rule.walkDecls(/^(?:font-size|line-height)$/, (decl) => decl.remove());
      if (rule.nodes.length === 0) rule.remove();
    });
  });
  // NHS.UK frontend's custom properties (`:root{--nhsuk-blue-colour:…}`, 3 KiB, for other
  // people's stylesheets): kept where a rule of the sheet reads one (`var(--…)`), and the
  // breakpoints, which its scripts read (common/index.mjs getBreakpoint).
  const read = new Set([...root.toString().matchAll(/var\(\s*(--[\w-]+)/g)].map((m) => m[1]));
  root.walkRules((rule) => {
    if (rule.selector !== ":root") return;
    rule.walkDecls((decl) => {
      if (decl.prop.startsWith("--") && !read.has(decl.prop) && !decl.prop.startsWith("--nhsuk-breakpoint-")) decl.remove();
    });
    if (rule.nodes.length === 0) rule.remove();
  });
  root.walkAtRules((at) => {
    if (at.nodes && at.nodes.length === 0) at.remove();
  });
  // Then esbuild's minifier (the one that builds our scripts): exact duplicate rules, shorter
  // numbers and colours; no target, so it lowers no syntax. Then csso's restructuring: rules of
  // the same declarations or the same selector merged where nothing between them could
  // change which wins (numbers kept as written: lightningcss, which rounds them, moved icons
  // and the header by a pixel).
  const minified = esbuild.transformSync(root.toString(), { loader: "css", minify: true, legalComments: "none" }).code;
  return csso.minify(minified, { restructure: true }).css;
}
