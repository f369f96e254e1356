// Line breaking and right-to-left ordering for text drawn with pdfkit.
//
// pdfkit shapes text with fontkit, which joins Arabic letters correctly but knows nothing of the
// Unicode Bidirectional Algorithm (pdfkit issue #219): it cuts a string at spaces, lets fontkit
// lay out each word, and reverses a word's glyphs whenever that word's first letter belongs to a
// right-to-left script. So "محمد علي" comes out with its words in left-to-right order, and
// Arabic-Indic digits come out backwards.
//
// Here bidi-js (UAX #9) resolves the embedding levels of each paragraph; we break lines
// ourselves, cut each line into pieces (words and spaces at one level), put the pieces in visual
// order (rule L2) and swap mirrored characters in right-to-left pieces (rule L4). Each piece is
// then drawn on its own at an x we compute, and is handed to pdfkit in the form that makes
// fontkit's per-word reversal produce the visual order we want.
import { createRequire } from "node:module";

// bidi-js is CommonJS whose typings declare an ES default export; require() gives the factory.
const bidiFactory = createRequire(import.meta.url)("bidi-js") as typeof import("bidi-js").default;
const bidi = bidiFactory();

export type Direction = "ltr" | "rtl" | "auto";

/** One piece of a line, in visual (left-to-right drawing) order. */
export interface VisualPiece {
  /** The string to hand to pdfkit for this piece. */
  draw: string;
  /** The piece is whitespace: it takes room but draws nothing. */
  space: boolean;
  /** The piece is at a right-to-left embedding level. */
  rtl: boolean;
}

export interface BidiLine {
  /** Pieces in visual order, left to right. */
  pieces: VisualPiece[];
  /** The paragraph's base direction is right-to-left (so "start" alignment means right). */
  rtl: boolean;
}

// Control characters and explicit direction controls (embeddings, overrides, isolates, marks)
// are dropped before layout: the domain refuses them at input, and a receipt must not let an
// invisible character reorder what a person reads.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to remove them.
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/** Splits text into paragraphs at line breaks and removes invisible control characters. */
export function cleanParagraphs(text: string): string[] {
  return text
    .replace(/\r\n?/gu, "\n")
    .replace(/\t/gu, " ")
    .replace(INVISIBLE, "")
    .split("\n")
    .map((p) => p.trim());
}

// fontkit picks a run's script from its first character that is not of the Common, Inherited or
// Unknown script, and reverses the glyphs of runs in these scripts (fontkit's Script.direction).
const FIRST_SCRIPTED = /[^\p{Script=Common}\p{Script=Inherited}\p{Script=Unknown}]/u;
const RTL_SCRIPT =
  /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}]/u;

/** Whether fontkit will lay this string out right-to-left (reverse its glyphs). */
export function fontkitReverses(text: string): boolean {
  const first = FIRST_SCRIPTED.exec(text);
  return first !== null && RTL_SCRIPT.test(first[0]);
}

const graphemeSegmenter = new Intl.Segmenter("en", { granularity: "grapheme" });

function graphemes(text: string): string[] {
  return Array.from(graphemeSegmenter.segment(text), (s) => s.segment);
}

/**
 * The strings to hand to pdfkit, left to right, so that a piece whose characters are `text` in
 * logical order shows up in the visual order its level asks for.
 */
function drawForms(text: string, rtl: boolean): string[] {
  // fontkit reverses exactly when we need the reversal: hand it the logical text (this is the
  // case for every piece holding Arabic letters, so shaping sees the letters in logical order).
  if (fontkitReverses(text) === rtl) return [text];
  // Otherwise the piece has no letters to shape (digits, punctuation): reverse it ourselves.
  const reversed = graphemes(text).reverse().join("");
  if (fontkitReverses(reversed) !== rtl) return [reversed];
  // Mixed scripts that neither form satisfies: one grapheme at a time.
  const each = graphemes(text);
  return rtl ? each.reverse() : each;
}

interface Atom {
  start: number;
  end: number;
  level: number;
  space: boolean;
}

const isSpace = (ch: string) => /\s/u.test(ch);

/** Visual pieces of the line text[start, end) given the paragraph's resolved levels. */
function lineToPieces(text: string, levels: Uint8Array, start: number, end: number): VisualPiece[] {
  const atoms: Atom[] = [];
  for (let i = start; i < end; i++) {
    const level = levels[i]!;
    const space = isSpace(text[i]!);
    const last = atoms.at(-1);
    if (last && last.level === level && last.space === space) last.end = i + 1;
    else atoms.push({ start: i, end: i + 1, level, space });
  }
  if (atoms.length === 0) return [];

  // L2: from the highest level down to the lowest odd one, reverse every maximal sequence of
  // atoms at that level or higher.
  let highest = 0;
  let lowestOdd = Number.POSITIVE_INFINITY;
  for (const a of atoms) {
    highest = Math.max(highest, a.level);
    if (a.level % 2 === 1) lowestOdd = Math.min(lowestOdd, a.level);
  }
  for (let level = highest; level >= lowestOdd; level--) {
    let i = 0;
    while (i < atoms.length) {
      if (atoms[i]!.level < level) {
        i++;
        continue;
      }
      let j = i;
      while (j < atoms.length && atoms[j]!.level >= level) j++;
      const reversed = atoms.slice(i, j).reverse();
      atoms.splice(i, j - i, ...reversed);
      i = j;
    }
  }

  const mirrors = bidi.getMirroredCharactersMap(text, levels, start, end - 1);
  const pieces: VisualPiece[] = [];
  for (const a of atoms) {
    let logical = "";
    for (let i = a.start; i < a.end; i++) logical += mirrors.get(i) ?? text[i];
    const rtl = a.level % 2 === 1;
    if (a.space) {
      pieces.push({ draw: logical, space: true, rtl });
      continue;
    }
    for (const draw of drawForms(logical, rtl)) pieces.push({ draw, space: false, rtl });
  }
  return pieces;
}

/**
 * Breaks one paragraph into lines no wider than `width` (as told by `measure`) and orders each
 * line for display. A word wider than a whole line is broken between graphemes.
 */
export function layoutParagraph(
  paragraph: string,
  width: number,
  measure: (text: string) => number,
  direction: Direction = "auto",
): BidiLine[] {
  const text = paragraph;
  if (text.trim() === "") return [];
  const embedding = bidi.getEmbeddingLevels(text, direction);
  const rtl = (embedding.paragraphs[0]?.level ?? 0) % 2 === 1;

  // Line ranges [start, end) in logical order, trailing spaces excluded (rule L1 puts them at
  // the paragraph level, at the line's end, where they are invisible anyway).
  const ranges: [number, number][] = [];
  let lineStart = -1;
  let lineEnd = -1;
  const fits = (from: number, to: number) => measure(text.slice(from, to)) <= width;
  const flush = () => {
    if (lineStart >= 0 && lineEnd > lineStart) ranges.push([lineStart, lineEnd]);
    lineStart = -1;
    lineEnd = -1;
  };
  for (const token of text.matchAll(/\S+/gu)) {
    const wordStart = token.index;
    const wordEnd = wordStart + token[0].length;
    if (lineStart >= 0 && fits(lineStart, wordEnd)) {
      lineEnd = wordEnd;
      continue;
    }
    flush();
    if (fits(wordStart, wordEnd)) {
      lineStart = wordStart;
      lineEnd = wordEnd;
      continue;
    }
    // A word too long for any line: fill lines grapheme by grapheme.
    let at = wordStart;
    for (const g of graphemes(token[0])) {
      const next = at + g.length;
      if (lineStart >= 0 && !fits(lineStart, next)) flush();
      if (lineStart < 0) lineStart = at;
      lineEnd = next;
      at = next;
    }
  }
  flush();

  return ranges.map(([start, end]) => ({ pieces: lineToPieces(text, embedding.levels, start, end), rtl }));
}

/** The pieces of a one-line text, in visual order (no line breaking). */
export function visualPieces(text: string, direction: Direction = "auto"): VisualPiece[] {
  const [paragraph = ""] = cleanParagraphs(text.replace(/\n/gu, " "));
  return layoutParagraph(paragraph, Number.POSITIVE_INFINITY, () => 0, direction).flatMap((l) => l.pieces);
}
