import { avroRule } from "./define.ts";

export const CANONICAL_FORM_CHANGED = avroRule(
  "CANONICAL_FORM_CHANGED",
  "safe",
  "The schema's Parsing Canonical Form changed in a way no other rule names.",
  "Resolution still succeeds, but the schema writes other bytes (and has another fingerprint): this is a change of the contract, never formatting.",
  "Review the change; nothing fails on this side.",
  { old: '{"type":"record","name":"A","fields":[]}', new: '{"type":"record","name":"A","namespace":"x","fields":[]}' },
);
