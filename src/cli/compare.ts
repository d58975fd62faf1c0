import type { KindId, LoadedContract } from "../core/engine.ts";
import type { ContractSource } from "../core/source.ts";
import { getEngine } from "../kinds/index.ts";
import type { PolicyConfig } from "../policy/config.ts";
import { evaluate, type FailOn } from "../policy/evaluate.ts";
import type { ContractResult } from "../report/model.ts";
import { logger } from "./logger.ts";

/** One side of a comparison. */
export interface Side {
  source: ContractSource;
  /** Shown in reports: "users-api@1.2.0", "main", "working tree". */
  ref: string;
  /** Version declared outside the contract (comms.yaml or the registry). */
  version?: string;
}

export interface CompareRequest {
  contract: string;
  kind: KindId;
  old: Side;
  new: Side;
  /** Kind-specific settings from comms.yaml (`policy.<kind>` plus per-contract options). */
  settings?: Record<string, unknown>;
  operations?: Array<{ file: string; content: string }>;
  policy?: PolicyConfig;
  failOn: FailOn;
}

/** Loads both sides with the kind's engine, diffs them and applies policy. */
export async function compareContract(req: CompareRequest): Promise<ContractResult> {
  const engine = await getEngine(req.kind);
  const warn = (m: string) => logger.warn(m);
  const options = { settings: req.settings ?? {}, warn };
  const [before, after]: [LoadedContract, LoadedContract] = await Promise.all([
    engine.load(req.old.source, options),
    engine.load(req.new.source, options),
  ]);
  const raw = await engine.diff(before, after, { ...options, operations: req.operations });
  const judged = evaluate(raw, { contract: req.contract, policy: req.policy, failOn: req.failOn });
  return {
    contract: req.contract,
    kind: req.kind,
    old: { ref: req.old.ref, version: before.version ?? req.old.version },
    new: { ref: req.new.ref, version: after.version ?? req.new.version },
    findings: judged.findings,
    suggestedBump: judged.suggestedBump,
    verdict: judged.verdict,
    ...(judged.notes.length ? { notes: judged.notes } : {}),
  };
}
