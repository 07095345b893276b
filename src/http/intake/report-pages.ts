/**
 * The server-rendered pages of the public report flow: the form, the "save your link"
 * page, and the reporter's status page with its message thread. Plain HTML forms that
 * work without JavaScript; no inline script or style (the CSP forbids both), one small
 * stylesheet.
 */
import type { ReporterView } from '../../app/public-report-service.js';
import type { FieldProblem } from '../../domain/errors.js';
import { REPORTER_STAGE_TEXT, type ReporterStage } from '../../domain/intake/reporter-status.js';

export const REPORT_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export const REPORT_CSS = `:root { color-scheme: light dark; --fg: #1d232a; --muted: #5a6570; --line: #c9d1d9; --accent: #b4360f; --bg: #fbfbfa; --panel: #ffffff; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e8ea; --muted: #a4adb6; --line: #3a424b; --accent: #ff8a5c; --bg: #15191d; --panel: #1d2227; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 44rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; }
p.lede, .muted { color: var(--muted); }
form { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 1.25rem; }
label { display: block; font-weight: 600; margin: 1rem 0 .25rem; }
label .hint { font-weight: 400; color: var(--muted); }
input[type=text], input[type=email], textarea { width: 100%; padding: .5rem .6rem; font: inherit; color: inherit; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; }
textarea { min-height: 7rem; resize: vertical; }
.check { display: flex; gap: .5rem; align-items: flex-start; margin-top: 1rem; font-weight: 400; }
.check input { margin-top: .3rem; }
button { margin-top: 1.25rem; padding: .6rem 1.2rem; font: inherit; font-weight: 600; color: #fff; background: var(--accent); border: 0; border-radius: 6px; cursor: pointer; }
.error { color: var(--accent); font-weight: 600; margin: .25rem 0 0; }
.errors { border: 2px solid var(--accent); border-radius: 8px; padding: .75rem 1rem; margin-bottom: 1rem; }
.hp { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
.link { word-break: break-all; padding: .75rem; border: 2px dashed var(--accent); border-radius: 6px; background: var(--panel); font-family: ui-monospace, monospace; }
.stage { font-size: 1.2rem; font-weight: 700; }
ol.steps { padding-left: 1.25rem; }
ol.steps li.reached { font-weight: 600; }
.msg { border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; margin: .5rem 0; background: var(--panel); white-space: pre-wrap; }
.msg .who { font-weight: 700; } .msg .when { color: var(--muted); font-size: .875rem; }
`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title><link rel="stylesheet" href="/report/report.css"></head>
<body><main>${body}</main></body></html>`;
}

export type FormValues = Partial<Record<'what' | 'product' | 'versions' | 'reproduction' | 'impact' | 'contact', string>> & { anonymous?: boolean };

function fieldError(problems: readonly FieldProblem[], name: string): string {
  const problem = problems.find((p) => p.path === name);
  return problem ? `<p class="error" id="${name}-error">${escapeHtml(problem.message)}</p>` : '';
}

function describedBy(problems: readonly FieldProblem[], name: string): string {
  return problems.some((p) => p.path === name) ? ` aria-invalid="true" aria-describedby="${name}-error"` : '';
}

export function reportFormPage(options: { values?: FormValues; problems?: readonly FieldProblem[]; message?: string; policyUrl?: string | null } = {}): string {
  const v = options.values ?? {};
  const problems = options.problems ?? [];
  const text = (name: keyof FormValues, label: string, hint: string, required = false) =>
    `<label for="${name}">${label}${required ? '' : ' <span class="hint">(optional)</span>'}${hint ? ` <span class="hint">${hint}</span>` : ''}</label>
<input type="text" id="${name}" name="${name}" value="${escapeHtml(String(v[name] ?? ''))}"${required ? ' required' : ''}${describedBy(problems, name)}>${fieldError(problems, name)}`;
  const area = (name: keyof FormValues, label: string, hint: string, required = false) =>
    `<label for="${name}">${label}${required ? '' : ' <span class="hint">(optional)</span>'}${hint ? ` <span class="hint">${hint}</span>` : ''}</label>
<textarea id="${name}" name="${name}"${required ? ' required' : ''}${describedBy(problems, name)}>${escapeHtml(String(v[name] ?? ''))}</textarea>${fieldError(problems, name)}`;
  const summary =
    options.message || problems.length
      ? `<div class="errors" role="alert"><p>${escapeHtml(options.message ?? 'Please correct the fields marked below.')}</p></div>`
      : '';
  return page(
    'Report a security vulnerability',
    `<h1>Report a security vulnerability</h1>
<p class="lede">Tell the security team what you found. No account is needed. After you submit, you get a private link where you can follow your report and talk with the team.${options.policyUrl ? ` Please read our <a href="${escapeHtml(options.policyUrl)}">disclosure policy</a> first.` : ''}</p>
${summary}
<form method="post" action="/report" novalidate>
${area('what', 'What did you find?', '', true)}
${text('product', 'Affected product or component', '', true)}
${text('versions', 'Affected versions', 'e.g. 2.3.0 – 2.4.1')}
${area('reproduction', 'Steps to reproduce', '')}
${area('impact', 'Impact', 'what could an attacker do?')}
${text('contact', 'How can we reach you?', 'e-mail or handle, used to credit and contact you')}
<label class="check" for="anonymous"><input type="checkbox" id="anonymous" name="anonymous" value="on"${v.anonymous ? ' checked' : ''}> <span>Keep me anonymous. The team will not see any contact details (anything typed above is discarded); you reach each other only through your private link.</span></label>
<div class="hp" aria-hidden="true"><label for="website">Leave this field empty</label><input type="text" id="website" name="website" tabindex="-1" autocomplete="off"></div>
<button type="submit">Send report</button>
</form>`,
  );
}

export function reportSubmittedPage(options: { reference: string; statusUrl: string; anonymous: boolean }): string {
  return page(
    'Report received',
    `<h1>Thank you: your report is in</h1>
<p>Reference: <strong>${escapeHtml(options.reference)}</strong>. The team's acknowledgement clock started when you pressed send.</p>
<h2>Save your private link</h2>
<p>This is the only way to follow your report and read the team's replies${options.anonymous ? ', because you chose to stay anonymous' : ''}. It is shown only this once and cannot be recovered. Anyone who has it can read the thread, so keep it private.</p>
<p class="link"><a id="status-link" href="${escapeHtml(options.statusUrl)}">${escapeHtml(options.statusUrl)}</a></p>`,
  );
}

const STEPS: readonly ReporterStage[] = ['received', 'acknowledged', 'confirmed', 'fixed', 'disclosed'];
const STEP_NAMES: Readonly<Record<ReporterStage, string>> = { received: 'Received', acknowledged: 'Acknowledged', confirmed: 'Confirmed', fixed: 'Fixed', disclosed: 'Disclosed', declined: 'Closed' };

export function reportStatusPage(view: ReporterView, token: string, problems: readonly FieldProblem[] = []): string {
  const reached = new Map(view.history.map((h) => [h.stage, h.at]));
  const steps = (view.stage === 'declined' ? [...STEPS.filter((s) => reached.has(s)), 'declined' as const] : STEPS)
    .map((s) => `<li class="${reached.has(s) ? 'reached' : 'pending'}">${STEP_NAMES[s]}${reached.has(s) ? ` <span class="muted">${escapeHtml(reached.get(s)!.replace('T', ' ').slice(0, 16))} UTC</span>` : ''}</li>`)
    .join('');
  const messages = view.messages.length
    ? view.messages
        .map((m) => `<div class="msg ${m.from}"><span class="who">${m.from === 'team' ? 'Security team' : 'You'}</span> <span class="when">${escapeHtml(m.at.replace('T', ' ').slice(0, 16))} UTC</span>\n${escapeHtml(m.text)}</div>`)
        .join('')
    : '<p class="muted">No messages yet.</p>';
  return page(
    `Report ${view.reference}`,
    `<h1>Your report ${escapeHtml(view.reference)}</h1>
<p class="stage" id="stage">${escapeHtml(STEP_NAMES[view.stage])}</p>
<p>${escapeHtml(REPORTER_STAGE_TEXT[view.stage])}</p>
<ol class="steps">${steps}</ol>
<h2>Messages</h2>
<div id="thread">${messages}</div>
<form method="post" action="/report/status/${escapeHtml(token)}/messages">
<label for="text">Write to the team</label>
<textarea id="text" name="text" required${describedBy(problems, 'text')}></textarea>${fieldError(problems, 'text')}
<button type="submit">Send message</button>
</form>`,
  );
}

export function reportErrorPage(status: number, message: string): string {
  return page('Report', `<h1>${status === 404 ? 'Not found' : status === 429 ? 'Slow down' : 'Something is wrong'}</h1><p>${escapeHtml(message)}</p><p><a href="/report">Back to the report form</a></p>`);
}

export { STEPS as REPORTER_STEPS };
