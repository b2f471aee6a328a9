/**
 * Incidents on the status page, posted by the operator (Bearer PLATFORM_ADMIN_TOKEN); each write is audited in
 * the platform's audit log.
 *
 *   POST /admin/v1/incidents               {title, message, impact?, components?, status?} → 201 the incident
 *   POST /admin/v1/incidents/:id/updates   {status, message, impact?} → 201 the incident; `resolved` closes it
 *                                          (404 unknown id, 409 already resolved)
 */
import type { IRequest, RouterType } from 'itty-router';
import { type Actor, clientInfo } from '../audit/actor';
import { recordAudit } from '../audit/record';
import type { Env } from '../env';
import { HttpError, notFound } from '../http/errors';
import { statusBoard } from '../status/board';
import { COMPONENT_IDS, isComponentId } from '../status/components';
import { forgetReport } from '../status/current';
import { IMPACTS, type Incident, INCIDENT_STATUSES, type IncidentStatus } from '../status/types';
import { checkField, listOf, oneOf, optional, text } from '../validate/fields';
import { requireOperator } from './auth';
import { readJsonObject } from './body';
import { PLATFORM_LOG } from './operator';
import { json } from './respond';

const OPERATOR: Actor = { kind: 'operator' };
const OPEN_STATUSES = INCIDENT_STATUSES.filter((s): s is Exclude<IncidentStatus, 'resolved'> => s !== 'resolved');

const title = text('a title of 1 to 200 characters', { min: 1, max: 200, nonBlank: true });
const message = text('a message of 1 to 5000 characters', { min: 1, max: 5000, nonBlank: true });
const components = listOf(COMPONENT_IDS.length, isComponentId, `component ids (${COMPONENT_IDS.join(', ')})`);

export function registerIncidentRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.post('/admin/v1/incidents', createIncident);
  router.post('/admin/v1/incidents/:id/updates', addUpdate);
}

async function createIncident(request: IRequest, env: Env): Promise<Response> {
  requireOperator(request, env);
  const body = await readJsonObject(request);
  const incident = await statusBoard(env).createIncident({
    title: checkField(body, 'title', title),
    message: checkField(body, 'message', message),
    impact: checkField(body, 'impact', optional(oneOf(IMPACTS), 'minor')),
    components: [...new Set(checkField(body, 'components', optional(components, [])))].filter(isComponentId),
    status: checkField(body, 'status', optional(oneOf(OPEN_STATUSES), 'investigating')),
  });
  await audit(request, env, 'incident.create', incident);
  return json(incident, 201);
}

async function addUpdate(request: IRequest, env: Env): Promise<Response> {
  requireOperator(request, env);
  const body = await readJsonObject(request);
  const outcome = await statusBoard(env).addUpdate(request.params.id ?? '', {
    status: checkField(body, 'status', oneOf(INCIDENT_STATUSES)),
    message: checkField(body, 'message', message),
    impact: checkField(body, 'impact', optional(oneOf(IMPACTS))),
  });
  if ('refused' in outcome) {
    if (outcome.refused === 'not_found') throw notFound('Incident');
    throw new HttpError(409, 'The incident is resolved', 'Open a new incident with POST /admin/v1/incidents.');
  }
  await audit(request, env, outcome.incident.status === 'resolved' ? 'incident.resolve' : 'incident.update', outcome.incident);
  return json(outcome.incident, 201);
}

async function audit(request: Request, env: Env, action: string, incident: Incident): Promise<void> {
  forgetReport();
  const { updates, ...after } = incident;
  await recordAudit(env, PLATFORM_LOG, { actor: OPERATOR, client: clientInfo(request), action, target: `incident:${incident.id}`, after: { ...after, update: updates[0] } });
}
