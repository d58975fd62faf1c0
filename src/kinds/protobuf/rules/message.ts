import { option, type Field, type Message } from "../model.ts";
import { MESSAGE_MAX, MESSAGE_SET_MAX } from "../parser.ts";
import { at, eachChangedMessagePair, fieldDescription, FILE_PACKAGE, isDeprecated, jsonFormatDropped, q, type ProtoRule, type RuleContext } from "./context.ts";
import { checkReserved, checkTagRanges, reservesName, reservesNumber } from "./ranges.ts";

function maxTag(m: Message): number {
  return option(m.options, "message_set_wire_format")?.value.text === "true" ? MESSAGE_SET_MAX : MESSAGE_MAX;
}

/** Fast path: the same field numbers in the same order means nothing was deleted. */
function sameNumbers(m: Message, prev: Message): boolean {
  if (m.fields.length !== prev.fields.length) return false;
  for (let i = 0; i < m.fields.length; i++) if (m.fields[i]!.number !== prev.fields[i]!.number) return false;
  return true;
}

function fieldNoDelete(ctx: RuleContext, mode: "" | "number" | "name"): void {
  eachChangedMessagePair(ctx, (m, prev) => {
    if (sameNumbers(m, prev)) return;
    const numbers = new Set<number>();
    for (const f of m.fields) numbers.add(f.number);
    for (const pf of prev.fields) {
      if (numbers.has(pf.number)) continue;
      let suffix = "";
      if (mode === "number") {
        if (reservesNumber(m, pf.number)) continue;
        suffix = ` without reserving the number "${pf.number}"`;
      } else if (mode === "name") {
        if (reservesName(m, pf.name)) continue;
        suffix = ` without reserving the name ${q(pf.name)}`;
      }
      const d = fieldDescription(pf);
      ctx.report({
        path: pf.fullName,
        message: `Previously present ${d[0]!.toLowerCase()}${d.slice(1)} was deleted${suffix}.`,
        at: at(m.file, m.span),
        old: at(prev.file, pf.span),
        // Deprecation does not stop a number or name from being reused: only plain deletion carries it,
        // with whether it leaves them free, since FILE and PACKAGE have no reservation rule of their own.
        deprecated: mode === "" && isDeprecated(pf.options),
        unreserved: mode === "" && !(reservesNumber(m, pf.number) && reservesName(m, pf.name)),
      });
    }
  });
}

function hasRequired(m: Message): boolean {
  for (const f of m.fields) if (f.label === "required") return true;
  return false;
}

const WHY_FIELD = "Generated accessors disappear and peers that still send the field lose its data.";

const rules: ProtoRule[] = [
  { id: "FIELD_NO_DELETE", categories: FILE_PACKAGE, summary: "Checks that fields are not deleted from a given message.", why: WHY_FIELD, check: (ctx) => fieldNoDelete(ctx, "") },
  {
    id: "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
    categories: ["WIRE_JSON", "WIRE"],
    summary: "Checks that fields are not deleted from a given message unless the number is reserved.",
    why: "Without a reservation the number can be reused with another type, and old data would be misread.",
    check: (ctx) => fieldNoDelete(ctx, "number"),
  },
  {
    id: "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
    categories: ["WIRE_JSON"],
    summary: "Checks that fields are not deleted from a given message unless the name is reserved.",
    why: "JSON carries fields by name: without a reservation the name can be reused for another field.",
    check: (ctx) => fieldNoDelete(ctx, "name"),
  },
  {
    id: "ONEOF_NO_DELETE",
    categories: FILE_PACKAGE,
    summary: "Checks that oneofs are not deleted from a given message.",
    why: "Generated code exposes a oneof case accessor that disappears with it.",
    check(ctx) {
      eachChangedMessagePair(ctx, (m, prev) => {
        if (!prev.oneofs.length) return;
        const names = new Set(m.oneofs.map((o) => o.name));
        for (const o of prev.oneofs) {
          if (o.synthetic || names.has(o.name)) continue;
          ctx.report({
            path: `${m.fullName}.${o.name}`,
            message: `Previously present oneof ${q(o.name)} on message ${q(m.name)} was deleted.`,
            at: at(m.file, m.span),
            old: at(prev.file, prev.span),
          });
        }
      });
    },
  },
  {
    id: "MESSAGE_SAME_JSON_FORMAT",
    categories: ["FILE", "PACKAGE", "WIRE_JSON"],
    summary: "Checks that messages have the same JSON format support.",
    why: "Dropping JSON support makes the JSON mapping of this message best-effort, so JSON clients may fail.",
    check(ctx) {
      eachChangedMessagePair(ctx, (m, prev) => jsonFormatDropped(ctx, "Message", m, prev));
    },
  },
  {
    id: "MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR",
    categories: FILE_PACKAGE,
    summary: "Checks that messages do not change the no_standard_descriptor_accessor option from false or unset to true.",
    why: "Generated code stops exposing the descriptor accessor that callers may use.",
    check(ctx) {
      eachChangedMessagePair(ctx, (m, prev) => {
        const o = option(m.options, "no_standard_descriptor_accessor");
        const po = option(prev.options, "no_standard_descriptor_accessor");
        if ((po?.value.text ?? "false") !== "false" || o?.value.text !== "true") return;
        ctx.report({
          path: m.fullName,
          message: `Message option "no_standard_descriptor_accessor" changed from "false" to "true".`,
          at: at(m.file, o.span),
          old: at(prev.file, po?.span),
        });
      });
    },
  },
  {
    id: "MESSAGE_SAME_REQUIRED_FIELDS",
    categories: ["FILE", "PACKAGE", "WIRE_JSON", "WIRE"],
    summary: "Checks that messages have no added or deleted required fields.",
    why: "Required fields must always be sent: a side that does not know about one fails to parse or to serialize.",
    check(ctx) {
      eachChangedMessagePair(ctx, (m, prev) => {
        if (!hasRequired(m) && !hasRequired(prev)) return;
        // buf looks at the declared label: editions' LEGACY_REQUIRED feature does not count here.
        const req = (x: Message) => new Map(x.fields.filter((f) => f.label === "required").map((f) => [f.number, f] as [number, Field]));
        const now = req(m);
        const before = req(prev);
        for (const [n, pf] of before)
          if (!now.has(n))
            ctx.report({
              path: pf.fullName,
              message: `Message ${q(prev.name)} had required field "${n}" deleted. Required fields must always be sent, so if one side does not know about the required field, this will result in a breakage.`,
              at: at(m.file, m.span),
              old: at(prev.file, prev.span),
            });
        for (const [n, f] of now)
          if (!before.has(n))
            ctx.report({
              path: f.fullName,
              message: `Message ${q(m.name)} had required field "${n}" added. Required fields must always be sent, so if one side does not know about the required field, this will result in a breakage.`,
              at: at(f.file, f.span),
            });
      });
    },
  },
  {
    id: "RESERVED_MESSAGE_NO_DELETE",
    categories: ["FILE", "PACKAGE", "WIRE_JSON", "WIRE"],
    summary: "Checks that reserved ranges and names are not deleted from a given message.",
    why: "A reservation protects old data from a reused number or name; removing it allows silent misinterpretation.",
    check(ctx) {
      eachChangedMessagePair(ctx, (m, prev) => checkReserved(ctx, "message", m, prev, maxTag(m)));
    },
  },
  {
    id: "EXTENSION_MESSAGE_NO_DELETE",
    categories: FILE_PACKAGE,
    summary: "Checks that extension ranges are not deleted from a given message.",
    why: "Extensions declared by other files in the removed range no longer compile.",
    check(ctx) {
      eachChangedMessagePair(ctx, (m, prev) => {
        if (!prev.extensionRanges.length) return;
        checkTagRanges(ctx, "extension", "message", m.name, m.fullName, maxTag(m), prev.extensionRanges, m.extensionRanges, at(m.file, m.span), at(prev.file, prev.span));
      });
    },
  },
  {
    id: "MESSAGE_SAME_MESSAGE_SET_WIRE_FORMAT",
    categories: [],
    deprecated: true,
    summary: "Checks that messages have the same value for the message_set_wire_format option. Deprecated: does nothing.",
    check() {},
  },
];

export default rules;
