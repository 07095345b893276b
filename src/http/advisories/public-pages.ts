/**
 * The HTML and Atom the public advisory pages serve, rendered from published advisory
 * documents only. Every piece of advisory text is escaped; pages carry no script.
 */
import { vulnerableRange } from '../../domain/advisory/advisory-content.js';
import type { AdvisoryDocument } from '../../domain/advisory/advisory-document.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
.sev{font-weight:600;text-transform:capitalize}code{overflow-wrap:anywhere}`;

function layout(title: string, body: string, feedUrl: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="alternate" type="application/atom+xml" title="Security advisories" href="${escapeHtml(feedUrl)}">
<style>${STYLE}</style></head>
<body><main>${body}</main></body></html>
`;
}

function date(iso: string): string {
  return iso.slice(0, 10);
}

export function indexPage(docs: readonly AdvisoryDocument[], base: string): string {
  const rows = docs
    .map(
      (d) => `<tr><td><a href="${escapeHtml(`${base}/advisories/${encodeURIComponent(d.id)}`)}">${escapeHtml(d.id)}</a></td>
<td>${escapeHtml(d.content.title)}</td><td class="sev">${escapeHtml(d.severity ?? '—')}</td>
<td>${escapeHtml(d.content.cve?.startsWith('CVE-') ? d.content.cve : '—')}</td><td>${date(d.initialReleaseAt)}</td><td>${date(d.currentReleaseAt)}</td></tr>`,
    )
    .join('\n');
  const body = `<h1>Security advisories</h1>
<p>Subscribe with the <a href="${escapeHtml(`${base}/advisories/feed.atom`)}">Atom feed</a>, or download every advisory as
<a href="${escapeHtml(`${base}/advisories/osv/all.json`)}">OSV JSON</a>.</p>
${docs.length ? `<table><thead><tr><th>Advisory</th><th>Title</th><th>Severity</th><th>CVE</th><th>Published</th><th>Updated</th></tr></thead><tbody>\n${rows}\n</tbody></table>` : '<p>No advisories have been published.</p>'}`;
  return layout('Security advisories', body, `${base}/advisories/feed.atom`);
}

function section(title: string, text: string | undefined | null): string {
  return text ? `<h2>${escapeHtml(title)}</h2>\n<p>${escapeHtml(text)}</p>\n` : '';
}

export function advisoryPage(doc: AdvisoryDocument, base: string): string {
  const c = doc.content;
  const scores = [doc.cvss.v3, doc.cvss.v4]
    .filter((s) => s !== null)
    .map((s) => `<li>CVSS ${s.version}: ${s.baseScore} (<span class="sev">${escapeHtml(s.severity)}</span>) <code>${escapeHtml(s.vector)}</code></li>`)
    .join('');
  const packages = c.packages
    .map((p) => `<tr><td>${escapeHtml(p.ecosystem)}</td><td>${escapeHtml(p.name)}</td><td>${escapeHtml(vulnerableRange(p))}</td><td>${escapeHtml(p.fixed ?? '—')}</td></tr>`)
    .join('');
  const body = `<p><a href="${escapeHtml(`${base}/advisories`)}">All advisories</a></p>
<h1>${escapeHtml(c.title)}</h1>
<dl>
<dt>Advisory</dt><dd>${escapeHtml(doc.id)} (revision ${doc.revision})</dd>
<dt>Severity</dt><dd class="sev">${escapeHtml(doc.severity ?? 'not scored')}</dd>
<dt>CVE</dt><dd>${escapeHtml(c.cve?.startsWith('CVE-') ? c.cve : 'none assigned')}</dd>
<dt>Weaknesses</dt><dd>${escapeHtml(c.cwes.map((w) => (w.name ? `${w.id} ${w.name}` : w.id)).join('; ') || '—')}</dd>
<dt>Published</dt><dd>${date(doc.initialReleaseAt)}</dd>
<dt>Updated</dt><dd>${date(doc.currentReleaseAt)}</dd>
</dl>
${scores ? `<ul>${scores}</ul>` : ''}
${section('Summary', c.summary)}${section('Impact', c.impact)}${c.components.length ? section('Affected components', c.components.join(', ')) : ''}
<h2>Affected packages</h2>
<table><thead><tr><th>Ecosystem</th><th>Package</th><th>Affected</th><th>Fixed in</th></tr></thead><tbody>${packages}</tbody></table>
${section('Mitigation', c.mitigation)}${section('Resolution', c.resolution)}${section('Credit', doc.credit)}
<h2>Timeline</h2>
<ul>${doc.timeline.map((t) => `<li>${escapeHtml(t.date)}: ${escapeHtml(t.label)}</li>`).join('')}</ul>
${c.references.length ? `<h2>References</h2><ul>${c.references.map((r) => `<li><a href="${escapeHtml(r.url)}" rel="nofollow noopener">${escapeHtml(r.url)}</a></li>`).join('')}</ul>` : ''}
<h2>Revisions</h2>
<ul>${doc.revisions.map((r) => `<li>${r.revision} (${date(r.date)}): ${escapeHtml(r.summary)}</li>`).join('')}</ul>
<p>Machine-readable: <a href="${escapeHtml(`${base}/advisories/${encodeURIComponent(doc.id)}.osv.json`)}">OSV JSON</a></p>`;
  return layout(`${doc.id}: ${c.title}`, body, `${base}/advisories/feed.atom`);
}

function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** Atom 1.0 (RFC 4287): one entry per published advisory, updated at its latest revision. */
export function atomFeed(docs: readonly AdvisoryDocument[], base: string, now: string): string {
  const updated = docs.map((d) => d.currentReleaseAt).sort().at(-1) ?? now;
  const entries = docs
    .map((d) => {
      const url = `${base}/advisories/${encodeURIComponent(d.id)}`;
      const summary = `${d.severity ? `Severity ${d.severity}. ` : ''}${d.content.cve?.startsWith('CVE-') ? `${d.content.cve}. ` : ''}${d.content.summary ?? ''}`;
      return `  <entry>
    <id>${xml(url)}</id>
    <title>${xml(`${d.id}: ${d.content.title}`)}</title>
    <link rel="alternate" type="text/html" href="${xml(url)}"/>
    <link rel="alternate" type="application/json" href="${xml(`${url}.osv.json`)}"/>
    <published>${xml(d.initialReleaseAt)}</published>
    <updated>${xml(d.currentReleaseAt)}</updated>
    <summary>${xml(summary.trim())}</summary>
  </entry>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xml(`${base}/advisories`)}</id>
  <title>Security advisories</title>
  <link rel="self" type="application/atom+xml" href="${xml(`${base}/advisories/feed.atom`)}"/>
  <link rel="alternate" type="text/html" href="${xml(`${base}/advisories`)}"/>
  <updated>${xml(updated)}</updated>
  <author><name>Security team</name></author>
${entries}
</feed>
`;
}
