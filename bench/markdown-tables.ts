/**
 * Reads the Markdown tables out of a benchmark's printed output (the older benchmarks
 * print text, not JSON), so the report can quote their rows.
 */

/** Markdown tables in printed output, as rows of trimmed cells (separator rows dropped). */
export function markdownTables(text: string): string[][][] {
  const tables: string[][][] = [];
  let current: string[][] | null = null;
  for (const line of text.split('\n')) {
    if (line.trim().startsWith('|')) {
      const cells = line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
      if (cells.every((c) => /^:?-+:?$/.test(c))) continue;
      if (!current) {
        current = [];
        tables.push(current);
      }
      current.push(cells);
    } else current = null;
  }
  return tables;
}
