/**
 * Drills over HTTP: start one from a scenario (YAML text), deliver the injects whose time
 * has come, and read the score against the plan's clocks and the expected actions.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize, visibleIncident } from '../access.js';
import type { HttpContext } from '../http-context.js';
import { policy } from '../policy.js';
import { loose, problemResponses, TAGS } from '../route-docs.js';

const incidentParams = z.object({ id: z.string().min(1).max(64) });
const startBody = z.object({ scenario: z.string().min(1).max(200_000).describe('The scenario file (YAML): title, plan, severity, injects, expectedActions') });
const startSchema = z.object({ incidentId: z.string(), startedAt: z.string(), delivered: z.number().int() });
const reportSchema = z.looseObject({ incidentId: z.string(), score: z.number().nullable(), onTime: z.number().int(), scored: z.number().int() }).meta({ id: 'DrillReport' });

export async function drillRoutes(server: FastifyInstance, context: HttpContext): Promise<void> {
  const r = server.withTypeProvider<ZodTypeProvider>();
  const { app } = context;

  async function allowed(request: FastifyRequest, id: string, write: boolean) {
    const { principal, state } = await visibleIncident(context, request, id);
    const ok = write ? policy.canWorkAfter(principal.user, state) : policy.canReadAfter(principal.user, state);
    if (!ok) await authorize(context, request, () => false, write ? 'run a drill' : 'read a drill report');
    return state;
  }

  r.post('/drills', {
    schema: { tags: [TAGS.drills], summary: 'Start a drill (an incident marked as an exercise) from a scenario', body: startBody, response: { 201: startSchema, ...problemResponses } },
  }, async (request, reply) => {
    const principal = await authorize(context, request, (p) => policy.canRunExercises(p.user), 'start drills');
    const started = await app.drills.start(request.body.scenario, principal.user.handle);
    reply.code(201).header('location', `/api/v1/incidents/${started.incidentId}`);
    return started;
  });

  r.post('/incidents/:id/drill/tick', {
    schema: { tags: [TAGS.drills], summary: 'Deliver the injects whose time has come (as timeline notes)', params: incidentParams, response: { 200: z.object({ delivered: z.number().int() }), ...problemResponses } },
  }, async (request) => {
    const state = await allowed(request, request.params.id, true);
    return { delivered: await app.drills.deliverDue(state.id) };
  });

  r.get('/incidents/:id/drill/report', {
    schema: { tags: [TAGS.drills], summary: "Score the drill against the plan's clocks and the scenario's expected actions", params: incidentParams, response: { 200: reportSchema, ...problemResponses } },
  }, async (request) => {
    const state = await allowed(request, request.params.id, false);
    return loose(await app.drills.report(state.id));
  });
}
