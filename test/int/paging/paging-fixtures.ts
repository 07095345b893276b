/**
 * Shared steps for the paging tests: a plan that escalates by a policy (a copy of
 * nist-800-61r3 naming `clocks.escalation.policy`), people with contact points on the
 * loopback receivers, and reading the acknowledge link out of a delivered e-mail.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpHarness } from '../../support/http-harness.js';

export const POLICY_PLAN = 'paging-e2e';

/** A plan directory holding nist-800-61r3 as `paging-e2e`, escalating by `policy`. */
export function policyPlanDir(policy: string): { dir: string; remove: () => void } {
  const base = readFileSync(new URL('../../../plans/nist-800-61r3.yaml', import.meta.url), 'utf8');
  const text = base.replace(/^id: nist-800-61r3$/m, `id: ${POLICY_PLAN}`).replace('    path: [ic, tech-lead]\n', `    path: [ic, tech-lead]\n    policy: ${policy}\n`);
  if (!text.includes(`policy: ${policy}`) || !text.includes(`id: ${POLICY_PLAN}`)) throw new Error('the nist-800-61r3 plan changed shape; update policyPlanDir');
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-paging-plans-'));
  writeFileSync(join(dir, `${POLICY_PLAN}.yaml`), text);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function addPerson(h: HttpHarness, handle: string, timeZone?: string): Promise<void> {
  await h.server.firebreak.auth.users.create({ email: `${handle}@example.org`, name: `${handle[0]!.toUpperCase()}${handle.slice(1)} Person`, handle, role: 'responder', password: `${handle}-password-123` });
  if (timeZone) await h.app.store.db.updateTable('users').set({ time_zone: timeZone }).where('handle', '=', handle).execute();
}

/** The acknowledge link in a raw e-mail (quoted-printable soft breaks undone). */
export function ackLinkIn(raw: string): string {
  const text = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const match = /https?:\/\/\S+?\/ack\/fback_[A-Za-z0-9_-]+/.exec(text);
  if (!match) throw new Error(`no acknowledge link in the e-mail:\n${text}`);
  return match[0];
}
