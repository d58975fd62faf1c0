/**
 * Which directions a compatibility mode enforces, in the schema registry's terms, for payload judges that
 * need it below the policy layer (deploy order, facts reported once). `none` enforces neither.
 */
export function enforced(mode: string | undefined): { backward: boolean; forward: boolean } {
  const base = (mode ?? "backward").replace(/-transitive$/, "");
  return { backward: base === "backward" || base === "full", forward: base === "forward" || base === "full" };
}

/**
 * The side of a diff call that holds the newer version, for facts about the new schema itself: the
 * reader in the backward call, the writer in the forward one; in a mode that runs both, only the
 * backward call reports them.
 */
export function newSideOf(direction: "backward" | "forward" | undefined, mode: string | undefined): "reader" | "writer" | "none" {
  if (direction !== "forward") return "reader";
  return enforced(mode).backward || mode === "none" ? "none" : "writer";
}
