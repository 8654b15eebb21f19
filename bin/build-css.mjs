// `npm run build:css`: one stylesheet per page template (issue 20: the CSS a page links, at
// most what that page can use). static/scss/app.scss is compiled once (the NHS.UK components our
// templates use); a page's sheet is that stylesheet without every rule none of the page's
// markup can match (PurgeCSS). A sheet keeps its rules in the stylesheet's order, so a page
// looks as it did with the whole. What is searched for a page template's classes:
//   - the template, every template it includes or extends (followed to any depth), base.html
//     and what that includes;
//   - the crispy form pack (templates/nhsuk/) where one of those renders a crispy form;
//   - the Python that writes classes (message tags, form widgets and layouts);
//   - the scripts of the NHS.UK components static/js/app.js starts that the page has (they add
//     classes: the header's "More" menu, a character count's message);
//   - our scripts.
// Then what PurgeCSS keeps although the page cannot match it goes: a selector whose `:has()`
// needs a class none of that has, Internet Explorer's and EdgeHTML's rules (bin/css-trim.mjs).
// Python is read for what the page's view runs (bin/css-python.mjs): the kinds of field its
// forms have (`pageForms`, `formKinds`: a field's widget decides), the crispy layout objects
// they use (LAYOUT_OBJECTS), the markup modules of its area that it reaches (`reachedFiles`).
// Written: static/build/css/<template>.css for every template that extends base.html,
// static/build/css/pages.json (template -> sheet, read by the `page_stylesheet` tag in
// base.html: scopegrowth/templatetags/front_end.py) and static/build/app.css, every page's rules,
// for a template the build did not see (an installed app's).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { byWidget, pageForms, reachedFiles } from "./css-python.mjs";
import { compact, withoutEmptyHas } from "./css-trim.mjs";

const require = createRequire(import.meta.url);
const sass = require("sass");
const { PurgeCSS } = require("purgecss");

const TEMPLATES = "templates";
const OUT = "static/build";

// Templates a page shows that no `{% include "…" %}` names: included through a variable
// (`{% include panel.template %}`), or rendered by the view and passed in (a round's figures).
const DYNAMIC_INCLUDES = {
  "conversations/dashboard.html": ["rounds/_dashboard_round.html"],
  "rounds/round_detail.html": ["rounds/_figures.html"],
  "rounds/round_team.html": ["rounds/_figures.html"],
};

// allauth's pages extend its own layouts (in the package: `account/base_entrance.html` and the
// like, which hold no markup and extend ours, templates/allauth/layouts/): a page of these
// folders is searched with our layouts, and with the element templates
// (templates/allauth/elements/) its templates name (`{% element h1 %}`).
const ALLAUTH = ["account", "allauth", "mfa", "socialaccount", "usersessions"];

// Python that writes classes, for every area; and per area, its forms.
const PYTHON_COMMON = ["scopegrowth/settings/__init__.py", "scopegrowth/widgets.py", "scopegrowth/forms.py"];
const PYTHON_AREA = {
  journals: ["journals/forms.py"],
  conversations: ["conversations/forms/*.py"],
  devplans: ["devplans/forms/*.py", "scopegrowth/field_markup.py"],
  rounds: ["rounds/forms.py"],
  insight: ["insight/forms.py"],
};
// Python that writes a page's markup itself (rows and figures drawn without a template lookup
// per cell: issue 20), searched for every page of its area, form or not.
const PYTHON_MARKUP = {
  conversations: ["conversations/dashboard_markup.py"],
  insight: ["insight/markup.py", "insight/report.py"],
};
// The same, for one page only (its template name).
const PYTHON_PAGE = {
  "conversations/conversation_detail.html": ["conversations/markup.py", "conversations/nav_markup.py"],
  "conversations/preparation_edit.html": ["conversations/markup.py"],
  "conversations/stage_edit.html": ["conversations/markup.py", "conversations/nav_markup.py"],
  "devplans/plan_detail.html": ["devplans/plan_markup.py"],
  "journals/section_edit.html": ["journals/markup.py"],
  "devplans/hr_list.html": ["devplans/forms/markup.py", "scopegrowth/field_markup.py"],
};

// Our scripts that can add classes (js-enabled.js: `js-enabled nhsuk-frontend-supported` on
// every page; the page scripts where a page loads them). app.js is not searched: it names
// every component it can start, and the NHS.UK scripts it starts are searched instead.
const OUR_SCRIPTS = ["static/js/js-enabled.js", "static/js/session-timeout.js"];
const PAGE_SCRIPTS = ["static/journals/autosave.js", "static/devplans/export-progress.js"];
const COMPONENT_SCRIPTS = "node_modules/nhsuk-frontend/dist/nhsuk/components";

// What scripts and templates set without spelling it whole, kept where the area has the
// component: js-enabled.js's classes, what the NHS.UK components build from their names
// (`data-nhsuk-character-count-init`, `…--disabled`, a conditional reveal's
// `…__conditional--hidden` where the markup has one, the scroll shadows' `nhsuk-scroll--…`), a
// status tag's colour from
// Python (`nhsuk-tag--{{ tag.colour }}`), the form pack's choices
// (the form pack's `nhsuk-{{ choice_type }}__…` is written out below, FORM_KINDS).
// A status tag's colours (`Tag("overdue", "Overdue", "red")`, conversations/selectors/
// conversation.py): the tags Python builds; a template's own `nhsuk-tag--…` is searched. Every
// colour where that module is not there to read (a build given only some of our Python).
const TAG_SOURCE = "conversations/selectors/conversation.py";
const TAG_COLOURS = fs.existsSync(TAG_SOURCE)
  ? [...fs.readFileSync(TAG_SOURCE, "utf8").matchAll(/\bTag\("[^"]*",\s*"[^"]*",\s*"([a-z-]+)"\)/g)].map((m) => m[1])
  : ["[a-z-]+"];
const SAFELIST = [
  [null, /^js-enabled$/],
  [null, /^nhsuk-frontend-supported$/],
  [null, /--disabled$/],
  ["nhsuk-radios__conditional", /^nhsuk-radios__conditional--hidden$/],
  ["nhsuk-checkboxes__conditional", /^nhsuk-checkboxes__conditional--hidden$/],
  ["nhsuk-scroll", /^nhsuk-scroll--/],
  ["nhsuk-tag", new RegExp(`^nhsuk-tag--(?:${TAG_COLOURS.join("|")})$`)],
  ["nhsuk-input", /^nhsuk-input--width-/], // the date input's parts (scopegrowth/widgets.py)
];
// The sizes of label or legend a page's forms ask for (a FormHelper's `legend_size = "l"`, an
// `{% include … with label_size="s" %}`, the form pack's `{% firstof legend_size 'm' %}`): the
// form pack writes either size as a label's or a legend's (templates/nhsuk/layout/legend.html).
const SIZES = /(?:legend|label)_size\W{1,4}(xl|s|m|l)\b/g;
function sized(text) {
  const sizes = new Set([...text.matchAll(SIZES)].map((m) => m[1]));
  return [...sizes].flatMap((size) => [
    new RegExp(`^nhsuk-fieldset__legend--${size}$`),
    new RegExp(`^nhsuk-label--${size}$`),
  ]);
}

// The form pack (templates/nhsuk/) draws every kind of field, so a page that shows a crispy
// form would keep every form component's rules. A component's classes are searched in the pack
// (and in the shared widgets) only where the page's forms have that kind of field: the forms
// its view renders name it (`pageForms` below), else the form Python of the page's area (its
// forms modules; allauth's pages: ours, scopegrowth/forms.py, and a password). A page with a
// form and neither keeps every kind.
// `nhsuk-{{ choice_type }}…` (templates/nhsuk/layout/choices.html) is written out as the radios
// and/or the checkboxes the page's forms have; its `--inline` only with crispy's InlineRadios
// or InlineCheckboxes.
const FORM_KINDS = {
  // A text box (`nhsuk-input`): the pack's input, a date's parts, a password's box.
  input: /TextInput|NumberInput|EmailInput|URLInput|TelInput|SearchInput|DateInput|TimeInput|\b(?:Char|(?:Positive|PositiveSmall|PositiveBig|Small|Big)?Integer|Decimal|Float|Email|URL|Slug|Regex|GenericIPAddress|UUID|Duration|Time|Date|DateTime)Field\(|TimeText|DateParts|password/i,
  radios: /RadioSelect|InlineRadios/,
  checkboxes: /CheckboxSelectMultiple|CheckboxInput|BooleanField|InlineCheckboxes/,
  select: /(?<![A-Za-z])Select\b|ChoiceField|FastSelect|SelectMultiple/,
  textarea: /Textarea|TextField/,
  "character-count": /Textarea|TextField/,
  "date-input": /DateInputs|DateParts|DateField|DateTimeField/,
  "file-upload": /FileField|ImageField|FileInput/,
  "password-input": /PasswordInput|PasswordField|password/i,
};
// Classes of the pack's branch for a kind that are not named after its component.
const KIND_EXTRA = { "password-input": ["nhsuk-input-wrapper", "nhsuk-button--small"] };
// Kinds drawn with another's parts (a date's and a password's boxes are `nhsuk-input`s).
const KIND_PARTS = { "date-input": ["input"], "password-input": ["input"] };
const INLINE = /Inline(?:Radios|Checkboxes)/;
// The pack's templates of crispy's layout objects (`Fieldset("…")` draws layout/fieldset.html,
// whose legend is `--m` unless told), searched only where the page's forms use that object.
const LAYOUT_OBJECTS = {
  "nhsuk/layout/fieldset.html": /\bFieldset\b/,
  "nhsuk/layout/multifield.html": /\bMultiField\b/,
  "nhsuk/multifield.html": /\bMultiField\b/,
  "nhsuk/layout/div.html": /\bDiv\b/,
  "nhsuk/layout/row.html": /\bRow\b/,
  "nhsuk/layout/column.html": /\bColumn\b/,
  "nhsuk/layout/buttonholder.html": /\bButtonHolder\b/,
  "nhsuk/layout/formactions.html": /\bFormActions\b/,
  "nhsuk/layout/alert.html": /\bAlert\b/,
  "nhsuk/layout/button.html": /\bStrictButton\b/,
  "nhsuk/layout/baseinput.html": /\b(?:Submit|Button|Reset|Hidden)\b|add_input/,
  "nhsuk/inputs.html": /\b(?:Submit|Button|Reset|Hidden)\b|add_input/,
};
const KIND_SOURCES = { scopegrowth: ["scopegrowth/forms.py"] };
for (const folderName of ALLAUTH) KIND_SOURCES[folderName] = ["scopegrowth/forms.py"];
const ALLAUTH_KINDS = ["password-input"]; // allauth's own forms (a password field)

function formKinds(own, pageCode) {
  const sources = own.flatMap((name) => [...(PYTHON_AREA[folder(name)] ?? []), ...(KIND_SOURCES[folder(name)] ?? [])]);
  if (sources.length === 0 && pageCode === null) return null; // every kind
  let code = pageCode ?? sources.flatMap(expand).map((file) => fs.readFileSync(file, "utf8")).join("\n");
  // Fields the forms take from scopegrowth/framework.py (`growth_field`: radios) are its; those
  // of scopegrowth.forms and .widgets are known by the names imported (`DateParts`,
  // `TeamChoiceField`, `FastSelect`).
  if (/^from scopegrowth\.framework import/m.test(code)) code += "\n" + fs.readFileSync("scopegrowth/framework.py", "utf8");
  code = byWidget(code);
  const kinds = new Set(Object.keys(FORM_KINDS).filter((kind) => FORM_KINDS[kind].test(code)));
  if (own.some((name) => ALLAUTH.includes(folder(name)))) ALLAUTH_KINDS.forEach((k) => kinds.add(k));
  for (const kind of [...kinds]) (KIND_PARTS[kind] ?? []).forEach((part) => kinds.add(part));
  const ownAllauth = own.some((name) => ALLAUTH.includes(folder(name)));
  return { kinds, inline: INLINE.test(code), layout: ownAllauth ? null : code };
}

// A pack template (or shared widget code) as searched for a page whose forms have `found`.
function forKinds(text, found) {
  if (found === null) return text.replaceAll("{{ choice_type }}", "radios") + text.replaceAll("{{ choice_type }}", "checkboxes");
  let out = text;
  if (!found.inline) out = out.replaceAll("nhsuk-{{ choice_type }}--inline", " ");
  if (out.includes("{{ choice_type }}")) {
    out = ["radios", "checkboxes"].filter((k) => found.kinds.has(k)).map((k) => out.replaceAll("{{ choice_type }}", k)).join("\n");
  }
  for (const kind of Object.keys(FORM_KINDS)) {
    if (found.kinds.has(kind)) continue;
    out = out.replace(new RegExp(`nhsuk-${kind}[\\w-]*`, "g"), " ");
    for (const extra of KIND_EXTRA[kind] ?? []) out = out.replace(new RegExp(`${extra}(?![\\w-])`, "g"), " ");
  }
  return out;
}

function expand(pattern) {
  if (!pattern.includes("*")) return fs.existsSync(pattern) ? [pattern] : [];
  const dir = path.dirname(pattern);
  const ext = path.extname(pattern);
  return fs.existsSync(dir)
    ? fs.readdirSync(dir).filter((f) => f.endsWith(ext)).map((f) => path.join(dir, f))
    : [];
}
const GREEDY = [/data-nhsuk-[a-z-]+-init/];
const TOGGLED_PARTS = ["nhsuk-radios__conditional", "nhsuk-checkboxes__conditional"];

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : entry.name.endsWith(".html") ? [full] : [];
  });
}

const templates = new Map(
  walk(TEMPLATES)
    .filter((file) => !file.startsWith(path.join(TEMPLATES, "emails")))
    .map((file) => [path.relative(TEMPLATES, file), fs.readFileSync(file, "utf8")]),
);
// A template as searched for classes: without its comments (a comment's example class, as
// `css_class="nhsuk-button--warning"` in the form pack's button, is on no page).
const COMMENTS = /\{%\s*comment\b[^%]*%\}[\s\S]*?\{%\s*endcomment\s*%\}|\{#[\s\S]*?#\}/g;
const searched = new Map(
  [...templates].map(([name, text]) => [name, text.replace(COMMENTS, " ")]),
);
const folder = (name) => (name.includes("/") ? name.split("/")[0] : "");
const CRISPY = /\{%\s*crispy\s|\|crispy\b|as_crispy_field/;
// A page that shows a form: a crispy one, or fields written out (`{{ form.x }}`, `{{ field }}`).
const FORM = /\{%\s*crispy\s|\|crispy\b|as_crispy_field|\{\{\s*(?:[a-z_]*form[a-z_]*|field)[.|\s}]/;

function references(name) {
  const text = searched.get(name) ?? "";
  const found = [...text.matchAll(/\{%\s*(?:include|extends)\s+["']([^"']+)["']/g)].map((m) => m[1]);
  found.push(...(DYNAMIC_INCLUDES[name] ?? []));
  found.push(...[...text.matchAll(/\{%\s*element\s+([a-z_]+)/g)].map((m) => `allauth/elements/${m[1]}.html`));
  if (CRISPY.test(text)) {
    found.push(...[...templates.keys()].filter((other) => other.startsWith("nhsuk/")));
  }
  return found;
}

function closure(names) {
  const seen = new Set();
  const todo = [...names];
  while (todo.length) {
    const name = todo.pop();
    if (seen.has(name) || !templates.has(name)) continue;
    seen.add(name);
    todo.push(...references(name));
  }
  return seen;
}

const STARTED = [...fs.readFileSync("static/js/app.js", "utf8").matchAll(/"nhsuk-([a-z-]+)": \(\)/g)].map(
  (m) => m[1],
);

function extendsBase(name, seen = new Set()) {
  if (name === "base.html" || (!templates.has(name) && ALLAUTH.includes(folder(name)))) return true;
  if (seen.has(name) || !templates.has(name)) return false;
  seen.add(name);
  const parent = /\{%\s*extends\s+["']([^"']+)["']/.exec(templates.get(name));
  return parent !== null && extendsBase(parent[1], seen);
}

function content(own) {
  const allauth = own.some((name) => ALLAUTH.includes(folder(name)))
    ? [...templates.keys()].filter((name) => name.startsWith("allauth/layouts/"))
    : [];
  const all = [...closure(["base.html", ...own, ...allauth])].sort();
  const hasForm = FORM.test(all.map((name) => searched.get(name)).join("\n"));
  // The forms the page's view renders (null: the area's).
  const own1 = own.length === 1 ? pageForms(own[0]) : null;
  const pageCode = hasForm && own1 !== null ? own1 : null;
  const found = hasForm ? formKinds(own, pageCode) : { kinds: new Set(), inline: false, layout: "" };
  const names = all.filter((name) => !LAYOUT_OBJECTS[name] || found === null || found.layout == null || LAYOUT_OBJECTS[name].test(found.layout));
  const pack = (name, body) => (name.startsWith("nhsuk/") ? forKinds(body, found) : body);
  const bodies = names.map((name) => pack(name, searched.get(name)));
  const text = bodies.join("\n");
  // The Python that writes classes writes them into forms: searched where the page shows one
  // (the shared widgets' classes, as the pack's, only for the kinds of field the page has).
  const common = hasForm ? PYTHON_COMMON : [];
  const forms = hasForm && pageCode === null ? own.flatMap((name) => PYTHON_AREA[folder(name)] ?? []) : [];
  const markup = own.flatMap((name) => {
    const reached = reachedFiles(name);
    const area = (PYTHON_MARKUP[folder(name)] ?? []).filter((file) => reached === null || reached.has(file));
    return [...area, ...(PYTHON_PAGE[name] ?? [])];
  });
  const python = [...new Set([...forms, ...markup])];
  const scripts = [...OUR_SCRIPTS, ...PAGE_SCRIPTS.filter((file) => text.includes(path.basename(file)))];
  const shared = common.map((file) => forKinds(fs.readFileSync(file, "utf8"), found));
  const code = [...shared, ...(pageCode === null ? [] : [pageCode]), ...python.flatMap(expand).map((file) => fs.readFileSync(file, "utf8"))];
  // A component Python writes (the section page's character counts) starts its script too.
  const components = STARTED.filter((c) => [text, ...code].some((t) => t.includes(`nhsuk-${c}`)))
    .map((c) => `${COMPONENT_SCRIPTS}/${c}/${c}.mjs`)
    .filter((file) => fs.existsSync(file));
  const shown = (when) => when === null || text.includes(when) || code.some((c) => c.includes(when));
  // A component's script names the parts it toggles on markup that has them (the radios' and
  // checkboxes' conditional reveals, `…__conditional`): searched where the page's markup has
  // that part, not because the script names it.
  const scriptParts = components.map((file) => {
    let body = fs.readFileSync(file, "utf8");
    for (const part of TOGGLED_PARTS) if (!shown(part)) body = body.replaceAll(part, " ");
    return { raw: body, extension: "js" };
  });
  const safelist = SAFELIST.filter(([when]) => shown(when)).map(([, re]) => re);
  safelist.push(...sized([text, ...code].join("\n")));
  return {
    raw: [
      ...bodies.map((body) => ({ raw: body, extension: "html" })),
      ...shared.map((body) => ({ raw: body, extension: "py" })),
      ...(pageCode === null ? [] : [{ raw: pageCode, extension: "py" }]),
      ...scriptParts,
    ],
    files: [...python.flatMap(expand), ...scripts],
    components,
    safelist,
  };
}

async function purge(css, { raw, files, safelist }) {
  const [result] = await new PurgeCSS().purge({
    content: [...raw, ...files],
    css: [{ raw: css }],
    safelist: { standard: safelist, greedy: GREEDY },
  });
  const words = new Set([...raw.map((r) => r.raw), ...files.map((file) => fs.readFileSync(file, "utf8"))].join("\n").match(/[A-Za-z0-9_-]+/g));
  return compact(withoutEmptyHas(result.css, (name) => words.has(name) || safelist.some((re) => re.test(name))));
}


const full = sass.compile("static/scss/app.scss", {
  loadPaths: ["node_modules"],
  style: "compressed",
  quietDeps: true,
}).css;

// One sheet per page template (every template that extends base.html, itself or through a
// layout), and build/app.css with every page's rules.
const pages = [...templates.keys()].filter((name) => name !== "base.html" && extendsBase(name)).sort();
const sheets = {};
const everything = { raw: new Map(), files: new Set(), safelist: [] };
for (const name of pages) {
  const found = content([name]);
  const file = path.join(OUT, "css", name.replace(/\.html$/, ".css"));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, await purge(full, found));
  sheets[name] = path.relative("static", file);
  found.raw.forEach((r, i) => everything.raw.set(r.raw, r));
  [...found.files, ...found.components].forEach((f) => everything.files.add(f)); // app.css: whole scripts
  everything.safelist.push(...found.safelist);
}
// build/app.css serves the pages the build did not see (allauth's own, drawn with all of our
// element templates): every template is searched for it, the form pack with every kind.
for (const [name, body] of searched) {
  const raw = name.startsWith("nhsuk/") ? forKinds(body, null) : body;
  everything.raw.set(raw, { raw, extension: "html" });
}
fs.writeFileSync(path.join(OUT, "app.css"), await purge(full, { ...everything, raw: [...everything.raw.values()], files: [...everything.files] }));
fs.writeFileSync(path.join(OUT, "css", "pages.json"), JSON.stringify(sheets, null, 2) + "\n");
