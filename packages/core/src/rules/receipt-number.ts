// Receipt numbers are typed by fighters and officers into the public check page, often from a
// crumpled paper: the number is the ledger leaf index with a Damm check digit, which catches
// every single-digit error and every swap of adjacent digits.
const DAMM = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

export function dammDigit(digits: string): number {
  let interim = 0;
  for (const ch of digits) interim = DAMM[interim]![Number(ch)]!;
  return interim;
}

export function receiptNumber(leafIndex: number): string {
  const body = String(leafIndex).padStart(7, "0");
  return `R-${body}-${dammDigit(body)}`;
}

/** Reads a typed receipt number back to its leaf index; undefined when malformed or mistyped. */
export function parseReceiptNumber(text: string): number | undefined {
  const m = /^R-?([0-9]{7,15})-?([0-9])$/u.exec(text.trim().toUpperCase());
  if (!m) return undefined;
  const [, body, check] = m as unknown as [string, string, string];
  if (dammDigit(body) !== Number(check)) return undefined;
  return Number(body);
}

/** Tags printed on labels and tied to the item until disposal: the leaf index and the item's place in it. */
export function itemTag(prefix: "W" | "A", leafIndex: number, position: number): string {
  return `${prefix}${String(leafIndex).padStart(7, "0")}-${String(position + 1).padStart(2, "0")}`;
}

export function isDerivedTag(tag: string): boolean {
  return /^[WA][0-9]{7,}-[0-9]{2,}$/u.test(tag);
}
