/**
 * The acknowledge link's pages, readable on a phone: the confirm page a GET shows (who you
 * acknowledge as, the incident, one button — a plain form, no script, so a link scanner
 * that fetches the link acknowledges nothing), the done page, and the refusal pages.
 */
import type { AckLinkView } from '../../app/paging/paging-service.js';
import { escapeHtml, page } from '../intake/report-pages.js';

export function ackConfirmPage(view: AckLinkView, token: string, incidentUrl: string): string {
  const who = view.userName ? `${view.userName} (${view.user})` : view.user;
  const already = view.acknowledgedBy ? `<p class="errors">Already acknowledged by ${escapeHtml(view.acknowledgedBy)}; there is nothing left to do.</p>` : '';
  return page(
    `Acknowledge ${view.incidentId}`,
    `<h1>Acknowledge ${escapeHtml(view.incidentId)}?</h1>
<p class="stage">${escapeHtml(view.title)}</p>
<p>Severity: <strong>${escapeHtml(view.severityName ?? 'not yet rated')}</strong></p>
<p>You acknowledge as <strong>${escapeHtml(who)}</strong>. This stops the escalation: nobody else is paged.</p>
${already}<form method="post" action="/ack">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<button type="submit">Acknowledge as ${escapeHtml(view.user)}</button>
</form>
<p><a href="${escapeHtml(incidentUrl)}">Open the incident</a></p>`,
  );
}

export function ackDonePage(incidentId: string, user: string, incidentUrl: string): string {
  return page(
    `${incidentId} acknowledged`,
    `<h1>${escapeHtml(incidentId)} acknowledged</h1><p>Acknowledged as <strong>${escapeHtml(user)}</strong>. The escalation has stopped; the timeline records it.</p><p><a href="${escapeHtml(incidentUrl)}">Open the incident</a></p>`,
  );
}

export function ackRefusedPage(status: number, message: string): string {
  const title = status === 404 ? 'Not an acknowledge link' : status === 429 ? 'Slow down' : status === 410 ? 'This link no longer works' : 'Not acknowledged';
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p>Nothing was changed.</p>`);
}
