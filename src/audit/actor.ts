/** Who made a change and from where: what every audit entry records besides the change itself. */

/**
 * Who is calling: an API key of a tenant, a signed-in user of the dashboard, the platform operator, or nobody
 * known yet (a failed sign-in with an email no user has), or the platform itself (a regional fallback).
 */
export type Actor = { kind: 'key'; keyId: string } | { kind: 'user'; userId: string } | { kind: 'operator' } | { kind: 'anonymous' } | { kind: 'platform' };

export function actorName(actor: Actor): string {
  switch (actor.kind) {
    case 'key':
      return `key:${actor.keyId}`;
    case 'user':
      return `user:${actor.userId}`;
    default:
      return actor.kind;
  }
}

export interface ClientInfo {
  ip: string;
  country: string;
}

export function clientInfo(request: Request): ClientInfo {
  const cf = (request as Request & { cf?: { country?: string } }).cf;
  return { ip: request.headers.get('CF-Connecting-IP') ?? '', country: cf?.country ?? '' };
}
