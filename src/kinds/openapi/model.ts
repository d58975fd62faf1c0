import { escapeSegment, isObj, type N, type Spec } from "./load.ts";

export const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** A parameter after `$ref` resolution; path parameters are keyed by position so renames match. */
export interface Param {
  key: string;
  name: string;
  in: string;
  required: boolean;
  node: N;
  schema?: N;
  /**
   * Finding path of the parameter: the list it is in, then `in` and name (`…/parameters/query/limit`),
   * never its position, so accepted findings survive parameters added before it.
   */
  ptr: string;
  /** Declared on the path item (shared by its operations) rather than on the operation. */
  shared: boolean;
}

export interface Media {
  type: string;
  node: N;
  schema?: N;
}

export interface Body {
  node: N;
  required: boolean;
  content: Map<string, Media>;
}

export interface Header {
  name: string;
  node: N;
  required: boolean;
  schema?: N;
}

export interface Response {
  code: string;
  node: N;
  content: Map<string, Media>;
  headers: Map<string, Header>;
}

/** One operation of the normalised model (OpenAPI 3.x and Swagger 2.0 alike). */
export interface Operation {
  /** Matching key: method and path template with parameter names erased. */
  key: string;
  /** `GET /users/{id}` as written in this version. */
  label: string;
  method: string;
  path: string;
  /** JSON pointer prefix used for finding paths (`/paths/~1users/get`, `/webhooks/x/post`). */
  pointer: string;
  node: N;
  pathItem: N;
  params: Map<string, Param>;
  body?: Body;
  responses: Map<string, Response>;
  webhook: boolean;
}

/** The normalised model of one spec version. */
export interface OpenApiModel {
  spec: Spec;
  swagger: boolean;
  /** "3.0" | "3.1" | "2.0" */
  dialect: string;
  doc: Record<string, unknown>;
  ops: Map<string, Operation>;
  /** Path templates (normalised) → pointer of the path item, for path-level findings. */
  paths: Map<string, { path: string; node: N }>;
  webhooks: Map<string, N>;
}

export function templateKey(path: string): string {
  return path.replace(/\{[^}]*\}/g, "{}");
}

const child = (n: N, k: string | number): N => ({
  v: isObj(n.v) ? (Object.hasOwn(n.v, k) ? n.v[k as string] : undefined) : Array.isArray(n.v) ? n.v[k as number] : undefined,
  f: n.f,
  p: `${n.p}/${typeof k === "number" ? k : escapeSegment(k)}`,
});

export { child };

/** Builds the model; Swagger 2.0 bodies, form data and responses are mapped onto the 3.x shape. */
export function buildModel(spec: Spec): OpenApiModel {
  const root = spec.root;
  const doc = root.value as Record<string, unknown>;
  const swagger = typeof doc.swagger === "string" || typeof doc.swagger === "number";
  const dialect = swagger ? "2.0" : String(doc.openapi).startsWith("3.0") ? "3.0" : "3.1";
  const model: OpenApiModel = { spec, swagger, dialect, doc, ops: new Map(), paths: new Map(), webhooks: new Map() };
  const rootNode: N = { v: doc, f: root.path, p: "" };
  const globalConsumes = Array.isArray(doc.consumes) ? (doc.consumes as string[]) : ["application/json"];
  const globalProduces = Array.isArray(doc.produces) ? (doc.produces as string[]) : ["application/json"];

  // Every OpenAPI object below is read through `spec.object` (or `spec.map`, `spec.list` for the
  // containers): a value that is not an object, written there or reached through a `$ref`, fails the
  // load where it is written rather than being read as absent. Only schemas may be true or false.
  const addItems = (at: N, webhook: boolean) => {
    const container = spec.map(at, webhook ? "a map of webhooks" : "a map of path items");
    if (!container) return;
    for (const path of Object.keys(container.v)) {
      if (!webhook && !path.startsWith("/")) continue;
      const raw = child(container, path);
      const item = spec.object(raw, "a path item")!;
      if (webhook) model.webhooks.set(path, raw);
      else model.paths.set(templateKey(path), { path, node: raw });
      // Finding paths are logical (`/paths/~1pets/get`) even when the path item sits in another file.
      const itemPointer = `${container.p}/${escapeSegment(path)}`;
      const pathParams = paramsOf(spec, child(item, "parameters"), swagger, path, true, `${itemPointer}/parameters`);
      for (const method of METHODS) {
        const opNode = spec.object(child(item, method), "an operation");
        if (!opNode) continue;
        const params = new Map(pathParams.params);
        const own = paramsOf(spec, child(opNode, "parameters"), swagger, path, false, `${itemPointer}/${method}/parameters`);
        for (const [k, p] of own.params) params.set(k, p);
        let body: Body | undefined;
        if (swagger) {
          const bodyParam = own.body ?? pathParams.body;
          const form = [...params.values()].filter((p) => p.in === "formData");
          for (const p of form) params.delete(p.key);
          const consumes = Array.isArray(opNode.v.consumes) ? (opNode.v.consumes as string[]) : globalConsumes;
          if (bodyParam) {
            body = {
              node: bodyParam.node,
              required: bodyParam.required,
              content: new Map(consumes.map((t) => [t, { type: t, node: bodyParam.node, schema: bodyParam.schema }])),
            };
          } else if (form.length) {
            // Form fields become the properties of one object schema per form media type, as 3.x writes them;
            // the schema itself lives nowhere in the file, so it is located at the parameter list.
            const types = consumes.filter((t) => /form/i.test(t));
            const schema: N = {
              v: {
                type: "object",
                properties: Object.fromEntries(form.map((p) => [p.name, p.node.v])),
                required: form.filter((p) => p.required).map((p) => p.name),
              },
              f: opNode.f,
              p: `${opNode.p}/parameters`,
            };
            // Each field is located where it is written, in the parameter list.
            for (const p of form) spec.alias({ f: schema.f, p: `${schema.p}/properties/${escapeSegment(p.name)}` }, p.node);
            const media = types.length ? types : ["application/x-www-form-urlencoded"];
            body = { node: form[0]!.node, required: form.some((p) => p.required), content: new Map(media.map((t) => [t, { type: t, node: schema, schema }])) };
          }
        } else {
          const r = spec.object(child(opNode, "requestBody"), "a request body");
          if (r) body = { node: r, required: r.v.required === true, content: contentOf(spec, child(r, "content")) };
        }
        const produces = Array.isArray(opNode.v.produces) ? (opNode.v.produces as string[]) : globalProduces;
        const responses = new Map<string, Response>();
        const rs = spec.map(child(opNode, "responses"), "a map of responses by status");
        if (rs) {
          for (const code of Object.keys(rs.v)) {
            if (code.startsWith("x-")) continue;
            const r = spec.object(child(rs, code), "a response")!;
            let content: Map<string, Media>;
            if (swagger) {
              const schema = isObj(r.v.schema) ? child(r, "schema") : undefined;
              content = schema ? new Map(produces.map((t) => [t, { type: t, node: r, schema }])) : new Map();
            } else content = contentOf(spec, child(r, "content"));
            responses.set(code.toUpperCase(), { code, node: r, content, headers: headersOf(spec, child(r, "headers"), swagger) });
          }
        }
        const label = `${method.toUpperCase()} ${path}`;
        const key = `${webhook ? "webhook " : ""}${method.toUpperCase()} ${webhook ? path : templateKey(path)}`;
        model.ops.set(key, {
          key,
          label: webhook ? `webhook ${path} ${method.toUpperCase()}` : label,
          method,
          path,
          pointer: `${itemPointer}/${method}`,
          node: opNode,
          pathItem: item,
          params,
          body,
          responses,
          webhook,
        });
      }
    }
  };
  addItems(child(rootNode, "paths"), false);
  addItems(child(rootNode, "webhooks"), true);
  checkSecurity(spec, rootNode, model);
  return model;
}

function paramsOf(spec: Spec, at: N, swagger: boolean, path: string, shared: boolean, base: string): { params: Map<string, Param>; body?: Param } {
  const params = new Map<string, Param>();
  let body: Param | undefined;
  const list = spec.list(at, "a list of parameters");
  if (!list) return { params };
  const names = [...path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
  for (let i = 0; i < list.v.length; i++) {
    const node = spec.object(child(list, i), "a parameter")!;
    const p = node.v;
    if (typeof p.name !== "string" || typeof p.in !== "string") continue;
    let schema: N | undefined;
    if (isObj(p.schema)) schema = child(node, "schema");
    // Swagger 2.0 non-body parameters carry their schema keywords inline.
    else if (swagger && p.in !== "body" && typeof p.type === "string") schema = node;
    else {
      // A parameter written by a media type has one entry in `content`; its schema is the parameter's.
      const content = spec.map(child(node, "content"), "a map of media types");
      const first = content && Object.keys(content.v)[0];
      if (content && first !== undefined) {
        const m = spec.object(child(content, first), "a media type")!;
        if (isObj(m.v.schema)) schema = child(m, "schema");
      }
    }
    const pos = p.in === "path" ? names.indexOf(p.name) : -1;
    const key = p.in === "path" && pos >= 0 ? `path:#${pos}` : `${p.in}:${p.in === "header" ? p.name.toLowerCase() : p.name}`;
    const param: Param = { key, name: p.name, in: p.in, required: p.in === "path" || p.required === true, node, schema, ptr: `${base}/${escapeSegment(p.in)}/${escapeSegment(p.name)}`, shared };
    if (p.in === "body") body = param;
    else params.set(key, param);
  }
  return { params, body };
}

function contentOf(spec: Spec, at: N): Map<string, Media> {
  const out = new Map<string, Media>();
  const content = spec.map(at, "a map of media types");
  if (!content) return out;
  for (const type of Object.keys(content.v)) {
    const node = spec.object(child(content, type), "a media type")!;
    const schema = node.v.schema !== undefined ? child(node, "schema") : undefined;
    out.set(type, { type, node, schema });
  }
  return out;
}

function headersOf(spec: Spec, at: N, swagger: boolean): Map<string, Header> {
  const out = new Map<string, Header>();
  const headers = spec.map(at, "a map of headers");
  if (!headers) return out;
  for (const name of Object.keys(headers.v)) {
    const node = spec.object(child(headers, name), "a header")!;
    const schema = isObj(node.v.schema) ? child(node, "schema") : swagger ? node : undefined;
    out.set(name.toLowerCase(), { name, node, required: node.v.required === true, schema });
  }
  return out;
}

/**
 * Security schemes and requirements are read by the security rules straight from the document:
 * they are checked here, with everything else the model reads, so a scheme or requirement that is
 * not an object fails the load instead of being skipped by the diff.
 */
function checkSecurity(spec: Spec, root: N, model: OpenApiModel): void {
  const requirements = (n: N) => {
    const list = spec.list(n, "a list of security requirements");
    if (list) for (let i = 0; i < list.v.length; i++) spec.map(child(list, i), "a security requirement");
  };
  requirements(child(root, "security"));
  for (const op of model.ops.values()) requirements(child(op.node, "security"));
  const components = child(root, "components");
  const schemes = model.swagger ? child(root, "securityDefinitions") : isObj(components.v) ? child(components, "securitySchemes") : undefined;
  const map = schemes && spec.map(schemes, "a map of security schemes");
  if (map) for (const name of Object.keys(map.v)) spec.object(child(map, name), "a security scheme");
}
