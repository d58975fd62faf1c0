import type { Finding } from "../../core/finding.ts";

/**
 * Turns findings of a diff run with the sides swapped (new → old) into forward-compatibility findings
 * of the real comparison: locations are put back on their own side, and the message says whose view it is.
 * The `deprecated` fact is dropped: it described the newer side, which is not being removed from.
 */
export function asForward(swapped: Finding[]): Finding[] {
  return swapped.map((f) => {
    const { old: newer, new: older, deprecated: _ignored, ...rest } = f;
    const out: Finding = { ...rest, message: `forward: ${f.message}` };
    if (older) out.old = older;
    if (newer) out.new = newer;
    out.note = f.note ?? "judged from an old reader's side (forward compatibility)";
    return out;
  });
}
