/**
 * Public vulnerability reports: anyone may submit one without an account. It becomes an
 * event in the triage queue (so the plan's acknowledgement clock starts at submission)
 * and the reporter gets a private status link, whose token is stored only as its
 * SHA-256. Through that link the reporter sees the stage of their report and talks with
 * the team. A reporter who asks to stay anonymous has their contact details discarded
 * before anything is stored: the team can reach them only through the thread.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { randomSecret, sha256 } from './auth/secret-token.js';
import { FirebreakError, fieldError } from '../domain/errors.js';
import { REPORTER_STAGE_TEXT, type ReporterStage, reporterStatus } from '../domain/intake/reporter-status.js';
import { loadEvents, loadIncidentState } from '../store/incident-store.js';
import type { Store } from '../store/store.js';
import type { IncidentService } from './incident-service.js';
import type { TimeSource } from './time-source.js';

const Optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .optional()
    .transform((v) => (v === '' ? undefined : v));

/** What the form and `POST /api/v1/public/reports` accept. */
export const ReportSubmissionSchema = z.object({
  what: z.string().trim().min(10, 'describe what you found in at least 10 characters').max(20_000, 'must be at most 20,000 characters').describe('What was found'),
  product: z.string().trim().min(1, 'name the affected product').max(200, 'must be at most 200 characters').describe('Affected product or component'),
  versions: Optional(500).describe('Affected versions'),
  reproduction: Optional(20_000).describe('Steps to reproduce'),
  impact: Optional(5_000).describe('What an attacker could do'),
  contact: Optional(320).describe('How to reach you (e-mail or handle); discarded when anonymous'),
  anonymous: z.boolean().default(false).describe('Keep me anonymous: the team never sees your contact details'),
});
export type ReportSubmission = z.input<typeof ReportSubmissionSchema>;

export const MessageSchema = z.object({ text: z.string().trim().min(1, 'write a message').max(10_000, 'must be at most 10,000 characters') });

export interface SubmittedReport {
  readonly incidentId: string;
  /** The private token; shown once, stored only hashed. */
  readonly token: string;
  readonly statusPath: string;
}

export interface ThreadMessage {
  readonly from: 'reporter' | 'team';
  /** The team member's handle, for team-facing reads only. */
  readonly by: string | null;
  readonly text: string;
  readonly at: string;
}

export interface ReporterView {
  readonly reference: string;
  readonly submittedAt: string;
  readonly anonymous: boolean;
  readonly stage: ReporterStage;
  readonly stageText: string;
  readonly history: readonly { readonly stage: ReporterStage; readonly at: string }[];
  readonly messages: readonly Omit<ThreadMessage, 'by'>[];
}

const REPORT_ACTOR = 'public-report';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function parseSubmission(input: unknown): z.output<typeof ReportSubmissionSchema> {
  const result = ReportSubmissionSchema.safeParse(input);
  if (!result.success) {
    const fields = result.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
    throw new FirebreakError('FB_ERR_INPUT_INVALID', `the report is incomplete: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, fields);
  }
  return result.data;
}

function firstLine(text: string, max: number): string {
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? text.trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export class PublicReportService {
  constructor(
    private readonly store: Store,
    private readonly incidents: IncidentService,
    private readonly time: TimeSource,
  ) {}

  async submit(planId: string, input: unknown): Promise<SubmittedReport> {
    const report = parseSubmission(input);
    // Anonymous: what was typed as contact is dropped here, before anything is stored.
    const contact = report.anonymous ? undefined : report.contact;
    const token = randomSecret();
    const summary = [
      `**Reporter**: ${contact ?? 'Anonymous'}`,
      `**Affected product**: ${report.product}`,
      `**Affected versions**: ${report.versions ?? 'not stated'}`,
      '',
      '### Description',
      report.what,
      ...(report.reproduction ? ['', '### Reproduction steps', report.reproduction] : []),
      ...(report.impact ? ['', '### Potential impact', report.impact] : []),
      '',
      '_Submitted through the public report form. Reply to the reporter with `firebreak reporter-reply` or POST /api/v1/incidents/<id>/reporter-thread/messages; they read it through their private status link._',
    ].join('\n');
    const now = this.time.now().toISOString();
    const incidentId = await this.incidents.withinTransaction(async (writer) => {
      const result = await writer.report(
        planId,
        {
          type: 'report',
          title: `${report.product}: ${firstLine(report.what, 140)}`,
          summary,
          reporter: contact ? { anonymous: false, name: contact } : { anonymous: true },
          source: REPORT_ACTOR,
        },
        { actor: REPORT_ACTOR },
      );
      await writer.trx
        .insertInto('public_reports')
        .values({ id: randomUUID(), incident_id: result.state.id, token_hash: sha256(token), anonymous: report.anonymous ? 1 : 0, contact: contact ?? null, created_at: now })
        .execute();
      return result.state.id;
    });
    return { incidentId, token, statusPath: `/report/status/${token}` };
  }

  private async byToken(token: string) {
    if (!TOKEN_SHAPE.test(token)) throw new FirebreakError('FB_ERR_REPORT_NOT_FOUND', 'no report behind this link; check that you copied all of it');
    const row = await this.store.db.selectFrom('public_reports').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
    if (!row) throw new FirebreakError('FB_ERR_REPORT_NOT_FOUND', 'no report behind this link; check that you copied all of it');
    return row;
  }

  private async byIncident(incidentId: string) {
    const row = await this.store.db.selectFrom('public_reports').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
    if (!row) throw new FirebreakError('FB_ERR_REPORT_NOT_FOUND', `${incidentId} did not come from the public report form, so there is no reporter to reply to`, [{ path: 'incident', message: 'not a public report' }]);
    return row;
  }

  private async messages(reportId: string): Promise<ThreadMessage[]> {
    const rows = await this.store.db.selectFrom('report_messages').selectAll().where('report_id', '=', reportId).orderBy('id').execute();
    return rows.map((r) => ({ from: r.author === 'team' ? 'team' : 'reporter', by: r.actor, text: r.text, at: r.created_at }));
  }

  /** What the reporter sees through their private link. */
  async statusFor(token: string): Promise<ReporterView> {
    const row = await this.byToken(token);
    const state = await loadIncidentState(this.store.db, row.incident_id);
    if (!state) throw new FirebreakError('FB_ERR_REPORT_NOT_FOUND', 'no report behind this link');
    const status = reporterStatus(state, await loadEvents(this.store.db, row.incident_id));
    return {
      reference: row.incident_id,
      submittedAt: row.created_at,
      anonymous: row.anonymous === 1,
      stage: status.stage,
      stageText: REPORTER_STAGE_TEXT[status.stage],
      history: status.history,
      messages: (await this.messages(row.id)).map(({ from, text, at }) => ({ from, text, at })),
    };
  }

  private async post(reportId: string, incidentId: string, from: 'reporter' | 'team', actor: string, text: string, note: string): Promise<void> {
    const now = this.time.now().toISOString();
    await this.incidents.withinTransaction(async (writer) => {
      await writer.trx.insertInto('report_messages').values({ report_id: reportId, author: from, actor: from === 'team' ? actor : null, text, created_at: now }).execute();
      await writer.execute(incidentId, { type: 'add_note', text: note }, { actor });
    });
  }

  /** The reporter writes to the team through their link; the team sees it as a note. */
  async reporterMessage(token: string, input: unknown): Promise<void> {
    const { text } = parse(MessageSchema, input);
    const row = await this.byToken(token);
    await this.post(row.id, row.incident_id, 'reporter', 'reporter', text, `Message from the reporter (through their private status link):\n\n${text}`);
  }

  /** A team member replies to the reporter; recorded as a note on the incident too. */
  async teamReply(incidentId: string, input: unknown, actor: string): Promise<void> {
    const { text } = parse(MessageSchema, input);
    const row = await this.byIncident(incidentId.toUpperCase());
    await this.post(row.id, row.incident_id, 'team', actor, text, `Reply sent to the reporter:\n\n${text}`);
  }

  /** The thread as the team sees it: no contact details, only the messages. */
  async thread(incidentId: string): Promise<{ readonly incidentId: string; readonly anonymous: boolean; readonly messages: readonly ThreadMessage[] }> {
    const row = await this.byIncident(incidentId.toUpperCase());
    return { incidentId: row.incident_id, anonymous: row.anonymous === 1, messages: await this.messages(row.id) };
  }
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw fieldError('FB_ERR_INPUT_INVALID', issue.path.join('.') || 'text', issue.message);
  }
  return result.data;
}
