/**
 * A stage's approved report, exported: the canonical JSON whose SHA-256 the approval put
 * on the log (and the filing points at), and a PDF of the same content for the people who
 * read it, printed by the same Chromium renderer as the post-incident report.
 */
import { type RegulatoryReport, regulatoryReportJson } from '../../domain/regulatory/regulatory-draft.js';
import { htmlToPdf } from '../../integrations/report-pdf/chromium-pdf.js';
import { reportHtml } from '../../integrations/report-pdf/markdown-html.js';
import { reportTime } from '../review-service.js';

export { regulatoryReportJson };

/** Markdown escaping for values people typed, so a `*` or `<` in a report prints as itself. */
function plain(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, (c) => `\\${c}`);
}

export function regulatoryReportMarkdown(report: RegulatoryReport, sha256: string, timeZone: string): string {
  const s = report.stage;
  const lines = [
    `# ${plain(s.name)}`,
    '',
    `**Incident:** ${plain(report.incident.id)}: ${plain(report.incident.title)}${report.incident.severity ? ` (severity ${plain(report.incident.severity)})` : ''}  `,
    `**Regulation:** ${plain(s.regulation)}${s.citation ? `, ${plain(s.citation)}` : ''}  `,
    ...(s.authority ? [`**To:** ${plain(s.authority)}  `] : []),
    ...(s.dueAt ? [`**Due:** ${reportTime(s.dueAt, timeZone)}  `] : []),
    `**Approved:** by ${plain(report.approvedBy)} at ${reportTime(report.approvedAt, timeZone)} (revision ${report.revision}${report.editedBy ? `, last edited by ${plain(report.editedBy)}` : ''})`,
    '',
  ];
  for (const item of report.content) {
    lines.push(`## ${plain(item.label)}`, '', item.value ? plain(item.value) : '_(missing)_', '', `_${plain([item.citation, item.source ? `source: ${item.source}` : null].filter(Boolean).join(' · '))}_`, '');
  }
  lines.push('---', '', `SHA-256 of the JSON export: \`${sha256}\``, '');
  return lines.join('\n');
}

export async function regulatoryReportPdf(report: RegulatoryReport, sha256: string, timeZone: string, drill: boolean): Promise<Buffer> {
  const html = reportHtml({
    title: `${report.incident.id} ${report.stage.name}`,
    ...(drill ? { banner: 'DRILL — this is an exercise, not a real incident' } : {}),
    markdown: regulatoryReportMarkdown(report, sha256, timeZone),
  });
  return htmlToPdf(html, { footer: `${report.incident.id} · ${report.stage.id} · SHA-256 ${sha256.slice(0, 16)}` });
}
