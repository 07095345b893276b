/**
 * Markdown (rendered from a plan's template, so partly written by users) to a standalone
 * HTML page for printing. Sanitised by construction: raw HTML in the Markdown is escaped,
 * not passed through, links keep only http(s)/mailto targets, and the page carries a
 * Content-Security-Policy that forbids scripts and every remote fetch.
 */
import { Marked } from 'marked';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const marked = new Marked({
  gfm: true,
  // Plan templates are written line by line ("**Severity**: …" under "**IC**: …"): keep those lines.
  breaks: true,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    link({ href, title, tokens }) {
      const label = this.parser.parseInline(tokens);
      if (!/^(https?:|mailto:)/i.test(href)) return label;
      return `<a href="${escapeHtml(href)}"${title ? ` title="${escapeHtml(title)}"` : ''}>${label}</a>`;
    },
    image({ text }) {
      return escapeHtml(text);
    },
  },
});

export function markdownToHtmlFragment(markdown: string): string {
  return marked.parse(markdown) as string;
}

export interface ReportPage {
  readonly title: string;
  /** A banner across the top, e.g. for drills. */
  readonly banner?: string;
  readonly markdown: string;
}

const STYLE = `
  @page { size: A4; margin: 18mm 16mm 20mm 16mm; }
  body { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 10.5pt; line-height: 1.45; color: #1b1f24; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  h1, h2 { color: #7a1f12; border-bottom: 2px solid #d9480f; padding-bottom: 3px; margin-top: 0; }
  h2 { font-size: 17pt; }
  h3 { font-size: 12.5pt; color: #343a40; margin: 16px 0 6px; border-bottom: 1px solid #dee2e6; padding-bottom: 2px; }
  table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 9.5pt; page-break-inside: auto; }
  tr { page-break-inside: avoid; }
  th, td { border: 1px solid #ced4da; padding: 4px 6px; text-align: left; vertical-align: top; }
  th { background: #f1f3f5; }
  td:first-child { white-space: nowrap; }
  ul, ol { padding-left: 20px; margin: 4px 0 8px; }
  li { margin: 2px 0; }
  code { font-family: "DejaVu Sans Mono", monospace; font-size: 9pt; background: #f1f3f5; padding: 0 2px; }
  .banner { border: 2px solid #e67700; background: #fff4e6; color: #873800; font-weight: bold; padding: 6px 10px; margin-bottom: 12px; text-align: center; letter-spacing: 0.5px; }
`;

export function reportHtml(page: ReportPage): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(page.title)}</title><style>${STYLE}</style></head>
<body>${page.banner ? `<div class="banner">${escapeHtml(page.banner)}</div>` : ''}
${markdownToHtmlFragment(page.markdown)}
</body></html>`;
}
