import type { OptionDecl, ProtoFile } from "../model.ts";
import { at, eachChangedFilePair, FILE_PACKAGE, isDeprecated, q, type ProtoRule } from "./context.ts";

/** FILE_SAME_<OPTION> rules: one per file option buf checks, with the option's default. */
const FILE_OPTIONS: Array<[id: string, option: string, def: string]> = [
  ["FILE_SAME_CC_ENABLE_ARENAS", "cc_enable_arenas", "true"],
  ["FILE_SAME_CC_GENERIC_SERVICES", "cc_generic_services", "false"],
  ["FILE_SAME_CSHARP_NAMESPACE", "csharp_namespace", ""],
  ["FILE_SAME_GO_PACKAGE", "go_package", ""],
  ["FILE_SAME_JAVA_GENERIC_SERVICES", "java_generic_services", "false"],
  ["FILE_SAME_JAVA_MULTIPLE_FILES", "java_multiple_files", "false"],
  ["FILE_SAME_JAVA_OUTER_CLASSNAME", "java_outer_classname", ""],
  ["FILE_SAME_JAVA_PACKAGE", "java_package", ""],
  ["FILE_SAME_OBJC_CLASS_PREFIX", "objc_class_prefix", ""],
  ["FILE_SAME_OPTIMIZE_FOR", "optimize_for", "SPEED"],
  ["FILE_SAME_PHP_CLASS_PREFIX", "php_class_prefix", ""],
  ["FILE_SAME_PHP_METADATA_NAMESPACE", "php_metadata_namespace", ""],
  ["FILE_SAME_PHP_NAMESPACE", "php_namespace", ""],
  ["FILE_SAME_PY_GENERIC_SERVICES", "py_generic_services", "false"],
  ["FILE_SAME_RUBY_PACKAGE", "ruby_package", ""],
  ["FILE_SAME_SWIFT_PREFIX", "swift_prefix", ""],
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

const optionRules: ProtoRule[] = FILE_OPTIONS.map(([id, name, def]) => ({
  id,
  categories: FILE_PACKAGE,
  summary: `Checks that files have the same value for the ${name} option.`,
  why: "Generated code for every language that reads this option changes its names or layout, so code built against the old output no longer compiles.",
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
