import { option } from "../model.ts";
import { ALL4, at, eachServicePair, FILE_PACKAGE, isDeprecated, q, type ProtoRule, type RuleContext } from "./context.ts";
import type { Method, Service } from "../model.ts";

type MethodPair = [m: Method, pm: Method, s: Service, ps: Service];
const methodPairs = new WeakMap<RuleContext, MethodPair[]>();

/** Methods present in both versions of a service, matched by name (once per diff). */
function eachMethodPair(ctx: RuleContext, fn: (m: Method, pm: Method, s: Service, ps: Service) => void): void {
  let pairs = methodPairs.get(ctx);
  if (!pairs) {
    const list: MethodPair[] = [];
    eachServicePair(ctx, (s, ps) => {
      const byName = new Map(s.methods.map((m) => [m.name, m]));
      for (const pm of ps.methods) {
        const m = byName.get(pm.name);
        if (m) list.push([m, pm, s, ps]);
      }
    });
    methodPairs.set(ctx, (pairs = list));
  }
  for (const [m, pm, s, ps] of pairs) fn(m, pm, s, ps);
}

function streaming(id: string, side: "client" | "server"): ProtoRule {
  return {
    id,
    categories: ALL4,
    summary: `Checks that rpcs have the same ${side} streaming value.`,
    why: "Streaming and unary calls use different call shapes in every gRPC stub.",
    check(ctx) {
      eachMethodPair(ctx, (m, pm, s, ps) => {
        const a = side === "client" ? pm.clientStreaming : pm.serverStreaming;
        const b = side === "client" ? m.clientStreaming : m.serverStreaming;
        if (a === b) return;
        ctx.report({
          path: `${s.fullName}.${m.name}`,
          message: `RPC ${q(m.name)} on service ${q(s.name)} changed from ${side} ${a ? "streaming" : "unary"} to ${side} ${b ? "streaming" : "unary"}.`,
          at: at(s.file, m.span),
          old: at(ps.file, pm.span),
        });
      });
    },
  };
}

function messageType(id: string, side: "request" | "response"): ProtoRule {
  return {
    id,
    categories: ALL4,
    summary: `Checks that rpcs are have the same ${side} type.`,
    why: "Clients and servers encode and decode a different message than the other side expects.",
    check(ctx) {
      eachMethodPair(ctx, (m, pm, s, ps) => {
        const a = side === "request" ? pm.inputType : pm.outputType;
        const b = side === "request" ? m.inputType : m.outputType;
        if (a === b) return;
        ctx.report({
          path: `${s.fullName}.${m.name}`,
          message: `RPC ${q(m.name)} on service ${q(s.name)} changed ${side} type from ${q(a)} to ${q(b)}.`,
          at: at(s.file, side === "request" ? m.inputSpan : m.outputSpan),
          old: at(ps.file, side === "request" ? pm.inputSpan : pm.outputSpan),
        });
      });
    },
  };
}

const rules: ProtoRule[] = [
  {
    id: "RPC_NO_DELETE",
    categories: FILE_PACKAGE,
    summary: "Checks that rpcs are not deleted from a given service.",
    why: "Clients calling the method get UNIMPLEMENTED, and generated stubs lose the method.",
    check(ctx) {
      eachServicePair(ctx, (s, ps) => {
        const names = new Set(s.methods.map((m) => m.name));
        for (const pm of ps.methods)
          if (!names.has(pm.name))
            ctx.report({
              path: `${s.fullName}.${pm.name}`,
              message: `Previously present RPC ${q(pm.name)} on service ${q(s.name)} was deleted.`,
              at: at(s.file, s.span),
              old: at(ps.file, pm.span),
              deprecated: isDeprecated(pm.options),
            });
      });
    },
  },
  streaming("RPC_SAME_CLIENT_STREAMING", "client"),
  streaming("RPC_SAME_SERVER_STREAMING", "server"),
  messageType("RPC_SAME_REQUEST_TYPE", "request"),
  messageType("RPC_SAME_RESPONSE_TYPE", "response"),
  {
    id: "RPC_SAME_IDEMPOTENCY_LEVEL",
    categories: ALL4,
    summary: "Checks that rpcs have the same value for the idempotency_level option.",
    why: "Clients and proxies decide retries and HTTP GET mapping from the idempotency level.",
    check(ctx) {
      eachMethodPair(ctx, (m, pm, s, ps) => {
        const po = option(pm.options, "idempotency_level");
        const o = option(m.options, "idempotency_level");
        const a = po?.value.text ?? "IDEMPOTENCY_UNKNOWN";
        const b = o?.value.text ?? "IDEMPOTENCY_UNKNOWN";
        if (a === b) return;
        ctx.report({
          path: `${s.fullName}.${m.name}`,
          message: `RPC ${q(m.name)} on service ${q(s.name)} changed option "idempotency_level" from ${q(a)} to ${q(b)}.`,
          at: at(s.file, o?.span),
          old: at(ps.file, po?.span),
        });
      });
    },
  },
];

export default rules;
