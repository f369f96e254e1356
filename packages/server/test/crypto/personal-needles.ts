import { preparePerson } from "@armsledger/core";
import { demoNationalId, demoPeople } from "../../src/demo/demo-programme.ts";

/**
 * What must never be found in a dump of a database holding the demo programme: every part of
 * every demo person's name, Arabic and Latin, their mothers' names, the folded and skeleton forms
 * the name matching makes of them, and their national ids.
 */
export function demoPersonalNeedles(): string[] {
  const needles = new Set<string>();
  for (const [i, p] of demoPeople.entries()) {
    for (const part of [...p.ar, ...p.la, p.mother]) needles.add(part);
    needles.add(demoNationalId(i));
    const prepared = preparePerson({
      name: {
        arabic: { given: p.ar[0], father: p.ar[1], grandfather: p.ar[2], family: p.ar[3] },
        latin: { given: p.la[0], father: p.la[1], grandfather: p.la[2], family: p.la[3] },
      },
      motherName: { arabic: p.mother },
    });
    for (const field of [
      prepared.given,
      prepared.father,
      prepared.grandfather,
      prepared.family,
      prepared.mother,
    ])
      for (const text of field) {
        for (const word of text.norm.split(" ")) if (word.length >= 3) needles.add(word);
        // Skeletons are short consonant strings; shorter than 4 they occur by chance in any text.
        if (text.skeleton.length >= 4) needles.add(text.skeleton);
      }
  }
  return [...needles];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The needles found in `text` as whole tokens: not inside a longer run of letters, digits, `-` or
 * `_` (a ciphertext's base64url may contain "Ali" by chance, a JSON string never hides it so).
 */
export function needlesIn(text: string, needles: string[]): string[] {
  return needles.filter((n) =>
    new RegExp(`(?<![\\p{L}\\p{N}_-])${escapeRegExp(n)}(?![\\p{L}\\p{N}_-])`, "u").test(text),
  );
}
