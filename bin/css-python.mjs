// The Python bin/build-css.mjs reads for a page template: the forms its view renders
// (`pageForms`), what a field's widget makes it (`byWidget`), the modules its view reaches
// (`reachedFiles`). Read as text (no Python runs in the CSS build's image stage): a module's
// top-level definitions and `from … import …` lines, followed by the names used.
import fs from "node:fs";
import path from "node:path";

// A field's kind is its widget's where it names one: `forms.ChoiceField(…, widget=forms.
// RadioSelect)` is radios (not a select), `forms.IntegerField(widget=forms.HiddenInput)` is no
// box, a field class that sets `widget = forms.Textarea` a textarea. So the field's own name is
// left out where a widget is given (in the call, or in the class), as are return annotations
// (`-> forms.ChoiceField:` draws nothing); a model's CharField with choices is a select (a
// ModelForm's default), a ForeignKey one too.
export function byWidget(code) {
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
export function pageForms(name) {
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
export function reachedFiles(name) {
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
