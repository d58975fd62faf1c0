const HTTP_METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

/** Keywords whose next segment is a key of the user's, not a keyword. */
const NAMED_CHILD = new Set(["properties", "patternProperties", "definitions", "$defs", "headers", "links", "callbacks"]);

/**
 * The element a finding is about, as a person would name it. OpenAPI (and JSON Schema) findings have
 * JSON pointers: `/paths/~1users~1{id}/get/responses/200/content/application~1json/schema/properties/email`
 * reads `GET /users/{id} response 200 property email`, and nested arrays read `lines[][].quantity`.
 * Other kinds' paths (GraphQL coordinates, protobuf names, Avro fields) already read that way.
 */
export function elementName(path: string): string {
  if (!path.startsWith("/")) return path;
  const segs = path
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  const words: string[] = [];
  let i = 0;
  if (segs[0] === "paths" && segs.length > 1) {
    const method = segs[2];
    if (method !== undefined && HTTP_METHODS.has(method)) {
      words.push(`${method.toUpperCase()} ${segs[1]}`);
      i = 3;
    } else {
      words.push(`path ${segs[1]}`);
      i = 2;
    }
  } else if (segs[0] === "components" && segs.length > 2) {
    words.push(`${singular(segs[1]!)} ${segs[2]}`);
    i = 3;
  } else if (segs[0] === "info" || segs[0] === "servers" || segs[0] === "security" || segs[0] === "tags") {
    return segs.join(".");
  }
  // A schema path accumulates into one dotted name: `lines[].quantity`.
  let schema = "";
  const flush = () => {
    if (schema) words.push(`property ${schema}`);
    schema = "";
  };
  while (i < segs.length) {
    const s = segs[i]!;
    const next = segs[i + 1];
    if (s === "parameters" && next !== undefined && segs[i + 2] !== undefined) {
      flush();
      words.push(`${next} parameter ${segs[i + 2]}`);
      i += 3;
    } else if (s === "requestBody") {
      flush();
      words.push("request body");
      i++;
    } else if (s === "responses" && next !== undefined) {
      flush();
      words.push(`response ${next}`);
      i += 2;
    } else if (s === "content" && next !== undefined) {
      // The media type rarely matters to a reader and is in the pointer for those who need it.
      i += 2;
    } else if (s === "schema") {
      i++;
    } else if (s === "properties" && next !== undefined) {
      schema = schema ? `${schema}.${next}` : next;
      i += 2;
    } else if (s === "items") {
      schema = `${schema}[]`;
      i++;
    } else if (NAMED_CHILD.has(s) && next !== undefined) {
      flush();
      words.push(`${singular(s)} ${next}`);
      i += 2;
    } else {
      flush();
      words.push(s);
      i++;
    }
  }
  flush();
  return words.join(" ");
}

function singular(word: string): string {
  if (word === "$defs" || word === "definitions") return "definition";
  if (word === "properties") return "property";
  if (word === "requestBodies") return "request body";
  return word.endsWith("s") ? word.slice(0, -1) : word;
}
