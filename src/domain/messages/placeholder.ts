/**
 * What counts as an unfilled placeholder in a message about to leave Firebreak. A
 * template's `default: "…"` and a person's edit both leave marks like these when a fact
 * is still missing; sending one tells the outside world "we forgot", so a send is refused
 * while any remain. One rule, used by the API, the CLI and the web preview alike.
 */

export interface Placeholder {
  /** The text as it stands in the body, e.g. `[TBD]`. */
  readonly text: string;
  /** 1-based line of the body it is on. */
  readonly line: number;
}

/**
 * Each pattern is one kind of mark: Liquid left unrendered (`{{ x }}`, `{% … %}`), bracketed
 * notes (`[TBD]`, `[TODO]`, `[insert date]`, `[…]`), angle-bracket slots of plain words
 * (`<next person>`; not `<https://…>` or `<a@b.org>`, which hold `:`, `/`, `@` or `.`), and
 * an ellipsis standing alone (`…` between spaces or on its own, or a line that is only `...`).
 */
const PATTERNS: readonly RegExp[] = [
  /\{\{[^}]*\}\}/g,
  /\{%[^%]*%\}/g,
  /\[(?:TBD|TBC|TODO|XXX|insert\b[^\]]*|\.\.\.|…)\]/gi,
  /<[A-Za-z][A-Za-z0-9 _-]{0,60}>/g,
  /(?<=^|[\s(:])…(?=$|[\s),.;])/gm,
  /^\s*\.\.\.\s*$/gm,
];

/** Every placeholder in `text`, in the order they appear. */
export function findPlaceholders(text: string): Placeholder[] {
  const found: { index: number; text: string }[] = [];
  for (const pattern of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const index = match.index ?? 0;
      if (!found.some((f) => index >= f.index && index < f.index + f.text.length)) found.push({ index, text: match[0].trim() });
    }
  }
  return found
    .sort((a, b) => a.index - b.index)
    .map((f) => ({ text: f.text, line: text.slice(0, f.index).split('\n').length }));
}

/** "line 3: [TBD]; line 5: …" for an error message. */
export function describePlaceholders(found: readonly Placeholder[]): string {
  return found.map((p) => `line ${p.line}: ${p.text}`).join('; ');
}
