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
// needs a class none of that has (`withoutEmptyHas`), Internet Explorer's and EdgeHTML's rules
// (`compact`). Python is read for what the page's view runs: the kinds of field its forms have
// (`pageForms`, `formKinds`: a field's widget decides), the crispy layout objects they use
// (LAYOUT_OBJECTS), the markup modules of its area that it reaches (`reachedFiles`).
// Written: static/build/css/<template>.css for every template that extends base.html,
// static/build/css/pages.json (template -> sheet, read by the `page_stylesheet` tag in
// base.html: scopegrowth/templatetags/front_end.py) and static/build/app.css, every page's rules,
// for a template the build did not see (an installed app's).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const sass = require("sass");
const { PurgeCSS } = require("purgecss");
const postcss = require("postcss");
const esbuild = require("esbuild");
const csso = require("csso");

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

// A field's kind is its widget's where it names one: `forms.ChoiceField(…, widget=forms.
// RadioSelect)` is radios (not a select), `forms.IntegerField(widget=forms.HiddenInput)` is no
// box, a field class that sets `widget = forms.Textarea` a textarea. So the field's own name is
// left out where a widget is given (in the call, or in the class), as are return annotations
// (`-> forms.ChoiceField:` draws nothing); a model's CharField with choices is a select (a
// ModelForm's default), a ForeignKey one too.
function byWidget(code) {
  let out = code.replace(/->[^:\n]+:/g, ":");
  out = out.replace(/^class\s+\w+\(([^)]*)\):(?:\n(?:[ \t]+[^\n]*|[ \t]*))*/gm, (body, bases) =>
    /^\s+widget\s*=/m.test(body) ? body.replace(bases, bases.replace(/\w*Field\b/g, "Field")) : body,
  );
  const calls = /\b(\w*Field|ForeignKey)\(/g;
  let result = "";
  let last = 0;
  for (let m; (m = calls.exec(out)); ) {
    let depth = 1;
    let end = m.index + m[0].length;
    while (end < out.length && depth > 0) {
      if (out[end] === "(") depth++;
      else if (out[end] === ")") depth--;
      end++;
    }
    const args = out.slice(m.index + m[0].length, end);
    let callee = m[1];
    if (/\bwidget\s*=/.test(args)) callee = "Field";
    else if (/\bmodels\.$/.test(out.slice(Math.max(0, m.index - 7), m.index)) && (/\bchoices\s*=/.test(args) || callee === "ForeignKey")) callee = "ChoiceField";
    result += out.slice(last, m.index) + callee + "(";
    last = m.index + m[0].length;
  }
  return result + out.slice(last);
}

// The forms a page renders, where its view says which (issue 20: a page's field kinds, not its
// area's): the Python that names the page template (`render(request, "devplans/plan_edit.html"`)
// and the form classes or functions it imports from a forms module, each with what it uses of
// its module (helpers, bases, fields), followed through the modules it imports them from, and
// a ModelForm's model (its fields' kinds). null where no module naming the template imports a
// form (allauth's pages, a template rendered by a variable): the area's forms, as before.
const PY_FILES = walkPy(".");
function walkPy(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith(".") || ["node_modules", "tests", "migrations", "static", "templates", "bench", "bin", "docs"].includes(entry.name)) return [];
    const full = path.join(dir, entry.name).replace(/^\.\//, "");
    return entry.isDirectory() ? walkPy(full) : entry.name.endsWith(".py") ? [full] : [];
  });
}
const pyText = new Map(PY_FILES.map((file) => [file, fs.readFileSync(file, "utf8")]));
function moduleFile(module, from) {
  let dotted = module;
  if (module.startsWith(".")) {
    const up = module.match(/^\.+/)[0].length;
    const base = path.dirname(from).split("/").slice(0, path.dirname(from).split("/").length - (up - 1));
    dotted = [...base, module.slice(up)].filter(Boolean).join(".");
  }
  const base = dotted.replaceAll(".", "/");
  return [`${base}.py`, `${base}/__init__.py`].find((file) => pyText.has(file)) ?? null;
}
const IMPORTS = /^from\s+(\S+)\s+import\s+(\([^)]*\)|[^\n]+)/gm;
function imports(file) {
  return [...pyText.get(file).matchAll(IMPORTS)].map((m) => ({
    module: m[1],
    line: m[0],
    names: m[2].replace(/[()]/g, "").split(",").map((n) => n.trim().split(/\s+as\s+/).pop()).filter(Boolean),
  }));
}
// A module's top-level definitions (with their decorators) and assignments, by name.
const DEFINITIONS = new Map();
function definitions(file) {
  if (!DEFINITIONS.has(file)) DEFINITIONS.set(file, readDefinitions(file));
  return DEFINITIONS.get(file);
}
function readDefinitions(file) {
  const lines = pyText.get(file).split("\n");
  const defs = new Map();
  for (let i = 0; i < lines.length; i++) {
    const m = /^(?:class|def)\s+(\w+)|^(\w+)\s*(?::[^=]*)?=/.exec(lines[i]);
    if (!m) continue;
    let j = i + 1;
    while (j < lines.length && (lines[j] === "" || /^[\s)\]}]/.test(lines[j]))) j++;
    defs.set(m[1] ?? m[2], lines.slice(i, j).join("\n"));
    i = j - 1;
  }
  return defs;
}
// A definition as a module has it, itself or from the module it imports it from.
function definedIn(file, name, depth = 0) {
  const own = definitions(file).get(name);
  if (own !== undefined || depth > 3) return own ?? "";
  const from = imports(file).find(({ names }) => names.includes(name));
  const next = from ? moduleFile(from.module, file) : null;
  return next ? definedIn(next, name, depth + 1) : pyText.get(file); // not found: the whole module
}
// Of a ModelForm's model, the fields its Meta lists (`fields = [...]`, or a name the forms
// module imports: `fields = PREPARATION_FIELDS`); the whole model where that is not plain.
function modelFields(model, form, formsFile) {
  const listed = /^\s+fields\s*=\s*(?:list\(|tuple\()?(\w+|\[[^\]]*\]|\([^)]*\))/m.exec(form);
  if (!listed) return model;
  let names = listed[1];
  if (/^\w+$/.test(names)) {
    const from = imports(formsFile).find((i) => i.names.includes(names));
    const file = from ? moduleFile(from.module, formsFile) : formsFile;
    names = file ? definedIn(file, names) : "";
  }
  const fields = new Set([...names.matchAll(/["'](\w+)["']/g)].map((m) => m[1]));
  if (fields.size === 0) return model;
  // A field the form declares itself (`name = forms.…`, `self.fields["name"] = …`), or whose
  // widget its Meta names (`"name": forms.RadioSelect`), is drawn as the form says.
  const own = [...form.matchAll(/^ {4}(\w+)\s*=|self\.fields\[["'](\w+)["']\]\s*=|["'](\w+)["']\s*:\s*forms\./gm)];
  own.forEach((m) => fields.delete(m[1] ?? m[2] ?? m[3]));
  const statements = model.split(/\n(?=    \w+\s*=)/);
  return statements.filter((st) => !/^    (\w+)\s*=\s*models\./.test(st) || fields.has(/^    (\w+)/.exec(st)[1])).join("\n");
}
const isForms = (module) => /(^|\.)forms(\.|$)/.test(module) || module.startsWith(".");
function pageForms(name) {
  const quoted = [`"${name}"`, `'${name}'`];
  const views = PY_FILES.filter((file) => quoted.some((q) => pyText.get(file).includes(q)));
  const wanted = [];
  for (const view of views) {
    // The view module's definitions that name the template, and those they use of the module.
    const defs = definitions(view);
    const code = [];
    const todo = [...defs.keys()].filter((n) => quoted.some((q) => defs.get(n).includes(q)));
    const done = new Set();
    while (todo.length) {
      const n = todo.pop();
      if (done.has(n)) continue;
      done.add(n);
      code.push(defs.get(n));
      const words = new Set(defs.get(n).match(/\b\w+\b/g));
      todo.push(...[...defs.keys()].filter((other) => words.has(other)));
    }
    const words = new Set(code.join("\n").match(/\b\w+\b/g));
    for (const { module, names } of imports(view)) {
      const file = isForms(module) ? moduleFile(module, view) : null;
      if (file) names.filter((n) => words.has(n) || code.length === 0).forEach((n) => wanted.push([file, n]));
    }
  }
  if (wanted.length === 0) return null;
  const seen = new Set();
  const parts = [];
  while (wanted.length) {
    const [file, wantedName] = wanted.pop();
    if (seen.has(`${file}:${wantedName}`)) continue;
    seen.add(`${file}:${wantedName}`);
    const defs = definitions(file);
    const body = defs.get(wantedName);
    const fileImports = imports(file);
    if (body === undefined) {
      // Imported into this module (a package's __init__ re-exporting its modules' forms).
      for (const { module, names } of fileImports) {
        const from = names.includes(wantedName) && isForms(module) ? moduleFile(module, file) : null;
        if (from) wanted.push([from, wantedName]);
      }
      continue;
    }
    parts.push(body);
    const words = new Set(body.match(/\b\w+\b/g));
    for (const other of defs.keys()) if (words.has(other)) wanted.push([file, other]);
    for (const { module, names, line } of fileImports) {
      const used = names.filter((n) => words.has(n));
      if (used.length === 0) continue;
      parts.push(line);
      const from = isForms(module) ? moduleFile(module, file) : null;
      if (from) used.forEach((n) => wanted.push([from, n]));
      // A ModelForm's model: its fields' kinds.
      if (/(^|\.)models$/.test(module)) {
        const modelsFile = moduleFile(module, file);
        for (const model of body.matchAll(/\bmodel\s*=\s*(\w+)/g)) {
          if (modelsFile && used.includes(model[1])) parts.push(modelFields(definedIn(modelsFile, model[1]), body, file));
        }
      }
    }
  }
  return parts.join("\n");
}

// The Python the view of a page template runs: from the definitions that name the template,
// what they use, followed through the modules they import it from (`from conversations import
// markup` and `markup.x`: that module's `x`). A PYTHON_MARKUP module is searched for a page of
// its area only where that reaches it (the conversation dashboard's rows are not on a stage
// page); every page of the area where no Python names the template.
function reachedFiles(name) {
  const quoted = [`"${name}"`, `'${name}'`];
  const views = PY_FILES.filter((file) => quoted.some((q) => pyText.get(file).includes(q)));
  if (views.length === 0) return null;
  const todo = [];
  for (const view of views) {
    const defs = definitions(view);
    for (const n of defs.keys()) if (quoted.some((q) => defs.get(n).includes(q))) todo.push([view, n]);
  }
  const reached = new Set(views);
  const seen = new Set();
  while (todo.length) {
    const [file, wantedName] = todo.pop();
    if (seen.has(`${file}:${wantedName}`)) continue;
    seen.add(`${file}:${wantedName}`);
    reached.add(file);
    const defs = definitions(file);
    const body = defs.get(wantedName);
    const fileImports = imports(file);
    if (body === undefined) {
      for (const { module, names } of fileImports) {
        const from = names.includes(wantedName) ? moduleFile(module, file) : null;
        if (from) todo.push([from, wantedName]);
      }
      continue;
    }
    const words = new Set(body.match(/\b\w+\b/g));
    for (const other of defs.keys()) if (words.has(other)) todo.push([file, other]);
    for (const { module, names } of fileImports) {
      for (const n of names.filter((n) => words.has(n))) {
        const sub = moduleFile(module.endsWith(".") ? module + n : `${module}.${n}`, file);
        if (sub) {
          reached.add(sub);
          for (const m of body.matchAll(new RegExp(`\\b${n}\\.(\\w+)`, "g"))) todo.push([sub, m[1]]);
        } else {
          const from = moduleFile(module, file);
          if (from) todo.push([from, n]);
        }
      }
    }
  }
  return reached;
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

// PurgeCSS keeps a selector whatever its `:has()` asks for: `.nhsuk-summary-list:has(.nhsuk-
// summary-list__actions) …` on a page with no summary list actions, `.nhsuk-label-wrapper:
// has(.nhsuk-label--l)` where no label is large. A selector is left out where one of its
// `:has()` (not under a `:not()`) needs, in each of its alternatives, a class the page's markup
// never has (what `:not()` excludes inside it is left out of the test: it needs no class).
function withoutEmptyHas(css, known) {
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
function compact(css) {
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
