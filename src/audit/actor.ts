/** Who made a change and from where: what every audit entry records besides the change itself. */

/** Who is calling: an API key of a tenant, or the platform operator. */
export type Actor = { kind: 'key'; keyId: string } | { kind: 'operator' };

export function actorName(actor: Actor): string {
  return actor.kind === 'operator' ? 'operator' : `key:${actor.keyId}`;
}

export interface ClientInfo {
  ip: string;
  country: string;
}

export function clientInfo(request: Request): ClientInfo {
  const cf = (request as Request & { cf?: { country?: string } }).cf;
  return { ip: request.headers.get('CF-Connecting-IP') ?? '', country: cf?.country ?? '' };
}
