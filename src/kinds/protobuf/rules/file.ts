import type { OptionDecl, ProtoFile } from "../model.ts";
import { at, eachChangedFilePair, FILE_PACKAGE, isDeprecated, q, type ProtoRule } from "./context.ts";

/** FILE_SAME_<OPTION> rules: one per file option buf checks, with the option's default and what changing it breaks. */
const FILE_OPTIONS: Array<[id: string, option: string, def: string, why: string]> = [
  ["FILE_SAME_CC_ENABLE_ARENAS", "cc_enable_arenas", "true", "C++ code that allocates these messages on arenas stops compiling or changes ownership semantics."],
  ["FILE_SAME_CC_GENERIC_SERVICES", "cc_generic_services", "false", "C++ code built on the generic service classes loses them (or gets new ones that clash)."],
  ["FILE_SAME_CSHARP_NAMESPACE", "csharp_namespace", "", "C# code refers to the generated types by namespace; a new namespace breaks every `using` and qualified name."],
  ["FILE_SAME_GO_PACKAGE", "go_package", "", "Go code imports the generated package by its import path; a new go_package moves it and breaks every import."],
  ["FILE_SAME_JAVA_GENERIC_SERVICES", "java_generic_services", "false", "Java code built on the generic service classes loses them (or gets new ones that clash)."],
  ["FILE_SAME_JAVA_MULTIPLE_FILES", "java_multiple_files", "false", "Java types move between top-level classes and the outer class, so their qualified names change and Java callers stop compiling."],
  ["FILE_SAME_JAVA_OUTER_CLASSNAME", "java_outer_classname", "", "Java code that names the outer class (or types nested in it) no longer compiles."],
  ["FILE_SAME_JAVA_PACKAGE", "java_package", "", "Java code imports the generated classes by package; a new java_package breaks every import."],
  ["FILE_SAME_OBJC_CLASS_PREFIX", "objc_class_prefix", "", "Objective-C class names carry the prefix, so every generated class is renamed for its callers."],
  ["FILE_SAME_OPTIMIZE_FOR", "optimize_for", "SPEED", "Switching to LITE_RUNTIME (or back) changes the base classes and APIs that generated C++ and Java code offers."],
  ["FILE_SAME_PHP_CLASS_PREFIX", "php_class_prefix", "", "PHP class names carry the prefix, so every generated class is renamed for its callers."],
  ["FILE_SAME_PHP_METADATA_NAMESPACE", "php_metadata_namespace", "", "PHP code that loads the generated metadata classes by namespace no longer finds them."],
  ["FILE_SAME_PHP_NAMESPACE", "php_namespace", "", "PHP code refers to the generated classes by namespace; a new namespace breaks every `use` and qualified name."],
  ["FILE_SAME_PY_GENERIC_SERVICES", "py_generic_services", "false", "Python code built on the generic service classes loses them (or gets new ones that clash)."],
  ["FILE_SAME_RUBY_PACKAGE", "ruby_package", "", "Ruby code refers to the generated modules by name; a new ruby_package renames them for every caller."],
  ["FILE_SAME_SWIFT_PREFIX", "swift_prefix", "", "Swift type names carry the prefix, so every generated type is renamed for its callers."],
];

const optionMaps = new WeakMap<ProtoFile, Map<string, OptionDecl>>();

/** A file's options by name (last one wins), built once per file. */
function fileOption(f: ProtoFile, name: string): OptionDecl | undefined {
  let m = optionMaps.get(f);
  if (!m) {
    m = new Map();
    for (const o of f.options) m.set(o.name, o);
    optionMaps.set(f, m);
  }
  return m.get(name);
}

function optionValue(f: ProtoFile, name: string, def: string): string {
  return fileOption(f, name)?.value.text ?? def;
}

const optionRules: ProtoRule[] = FILE_OPTIONS.map(([id, name, def, why]) => ({
  id,
  categories: FILE_PACKAGE,
  summary: `Checks that files have the same value for the ${name} option.`,
  why,
  check(ctx) {
    eachChangedFilePair(ctx, (f, prev) => {
      const a = optionValue(prev, name, def);
      const b = optionValue(f, name, def);
      if (a === b) return;
      ctx.report({
        path: f.path,
        message: `File option "${name}" changed from ${q(a)} to ${q(b)}.`,
        at: at(f, fileOption(f, name)?.span),
        old: at(prev, fileOption(prev, name)?.span),
      });
    });
  },
}));

const fileNoDelete: ProtoRule = {
  id: "FILE_NO_DELETE",
  categories: ["FILE"],
  summary: "Checks that files are not deleted.",
  why: "Generated code lives per file: deleting a file deletes the generated module consumers import.",
  check(ctx) {
    for (const [path, prev] of ctx.before.files) {
      if (!ctx.after.files.has(path))
        ctx.report({ path, message: `Previously present file ${q(path)} was deleted.`, old: at(prev), deprecated: isDeprecated(prev.options) });
    }
  },
};

const fileSamePackage: ProtoRule = {
  id: "FILE_SAME_PACKAGE",
  categories: ["FILE", "PACKAGE", "WIRE_JSON", "WIRE"],
  summary: "Checks that files have the same package.",
  why: "The package is part of every type's full name: moving a file to another package renames all its types on the wire and in generated code.",
  check(ctx) {
    eachChangedFilePair(ctx, (f, prev) => {
      if (f.package === prev.package) return;
      ctx.report({
        path: f.path,
        message: `File package changed from ${q(prev.package)} to ${q(f.package)}.`,
        at: at(f, f.packageSpan),
        old: at(prev, prev.packageSpan),
      });
    });
  },
};

const fileSameSyntax: ProtoRule = {
  id: "FILE_SAME_SYNTAX",
  categories: FILE_PACKAGE,
  summary: "Checks that files have the same syntax.",
  why: "Changing syntax changes field presence, enum openness and default JSON/UTF-8 behaviour of every element in the file.",
  check(ctx) {
    eachChangedFilePair(ctx, (f, prev) => {
      if (f.syntax === prev.syntax) return;
      ctx.report({
        path: f.path,
        message: `File syntax changed from ${q(prev.syntax)} to ${q(f.syntax)}.`,
        at: at(f, f.syntaxSpan),
        old: at(prev, prev.syntaxSpan),
      });
    });
  },
};

export default [fileNoDelete, fileSamePackage, fileSameSyntax, ...optionRules];
