/**
 * Durable Objects of a jurisdiction. In production `namespace.jurisdiction("eu")` gives objects that run and
 * store only there; the object reads its jurisdiction back from `ctx.id.jurisdiction`. workerd (wrangler dev,
 * the tests) has no jurisdictions and throws on that call: there the objects of a jurisdiction are addressed as
 * `<name>@<jurisdiction>` in the one namespace, so they are still objects of their own, apart from the default
 * ones, and the name tells them where they belong.
 */
import type { Jurisdiction } from '../tenants/residency';

type Namespace<T extends Rpc.DurableObjectBranded | undefined> = DurableObjectNamespace<T>;

/** workerd says so once per isolate; from then on the local form is used without trying. */
let localOnly = false;

/** The stub of the object `name` of `namespace` in `jurisdiction`. */
export function objectIn<T extends Rpc.DurableObjectBranded | undefined>(
  namespace: Namespace<T>,
  jurisdiction: Jurisdiction,
  name: string,
): DurableObjectStub<T> {
  if (jurisdiction === 'default') return namespace.get(namespace.idFromName(name));
  if (!localOnly) {
    try {
      const pinned = namespace.jurisdiction(jurisdiction);
      return pinned.get(pinned.idFromName(name));
    } catch (error) {
      // workerd's own refusal ("Jurisdiction restrictions are not implemented in workerd"); anything else is real.
      if (!/jurisdiction restrictions are not implemented/i.test(String(error))) throw error;
      localOnly = true;
    }
  }
  return namespace.get(namespace.idFromName(localName(name, jurisdiction)));
}

const localName = (name: string, jurisdiction: Jurisdiction) => `${name}@${jurisdiction}`;

/**
 * What an object was addressed as: its name without the local jurisdiction suffix, and its jurisdiction
 * (`ctx.id.jurisdiction` in production, the suffix locally, else the default).
 */
export function objectHome(id: DurableObjectId, addressedAs: string): { name: string; jurisdiction: Jurisdiction } {
  const at = addressedAs.lastIndexOf('@');
  const name = at > 0 ? addressedAs.slice(0, at) : addressedAs;
  const suffix = at > 0 ? addressedAs.slice(at + 1) : undefined;
  return { name, jurisdiction: ((id.jurisdiction ?? suffix) as Jurisdiction | undefined) ?? 'default' };
}
