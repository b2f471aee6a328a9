/**
 * A Durable Object's own record of who it is. `ctx.id.name` exists only when the caller addressed the object
 * with `idFromName`: an object started by its alarm, or reached through `idFromString`, has none. So the name is
 * written to the object's storage whenever it is seen, and read back from there when it is missing.
 */
const NAME_KEY = 'identity:name';

/** The name this object was addressed by, now or at any earlier time; null when it never was. */
export function rememberedName(ctx: DurableObjectState): string | null {
  const stored = ctx.storage.kv.get<string>(NAME_KEY) ?? null;
  const name = ctx.id.name ?? null;
  if (name !== null && stored !== name) ctx.storage.kv.put(NAME_KEY, name);
  return name ?? stored;
}

/**
 * Finds the name among `candidates` whose `idFromName` is this object's id, and remembers it: for objects
 * created before they stored their name, woken without one.
 */
export async function recoverName(
  ctx: DurableObjectState,
  namespace: Pick<DurableObjectNamespace, 'idFromName'>,
  candidates: AsyncIterable<string>,
): Promise<string | null> {
  for await (const candidate of candidates) {
    if (!namespace.idFromName(candidate).equals(ctx.id)) continue;
    ctx.storage.kv.put(NAME_KEY, candidate);
    return candidate;
  }
  return null;
}
