/**
 * A list of entries with ids in the tenant config (origins, URL endpoints, named transformations, blocking rules)
 * and its routes:
 *
 *   GET          <path>        200 [entry]
 *   POST         <path>        201 entry | 400 when the tenant has its maximum
 *   GET          <path>/:id    200 entry | 404
 *   PUT | PATCH  <path>/:id    200 entry | 404
 *   DELETE       <path>/:id    204 | 404
 *
 * Reads need `settings: read`, changes `settings: read_write`. A change is made on the fresh config under the
 * tenant's lock (changeTenant), answered with the entry's API shape and audited as `<kind>.create`, `.update` or
 * `.delete` on `<kind>:<id>`. How a body becomes an entry stays with each route.
 */
import type { IRequest, RouterType } from 'itty-router';
import type { Env } from '../env';
import type { HttpError } from '../http/errors';
import type { TenantConfig } from '../tenants/config';
import type { ApiContext } from './context';
import { json, noContent } from './respond';
import { changeTenant, settingsRoute, type TenantHandler } from './tenant-route';

type ListKey = 'origins' | 'urlEndpoints' | 'namedTransformations' | 'blockingRules';
export type EntryOf<K extends ListKey> = TenantConfig[K][number];

export interface CollectionSpec<K extends ListKey> {
  /** Where the entries are stored in the config. */
  key: K;
  /** The routes' path; one entry is `<path>/:id`. */
  path: string;
  /** The name in the audit log: actions `<kind>.create`, targets `<kind>:<id>`. */
  kind: string;
  /** The entries as the API shows them, built-in ones included; the stored list when left out. */
  listed?: (config: Pick<TenantConfig, K>) => EntryOf<K>[];
  /** Entries every tenant has without storing them: they do not count towards `max`. */
  builtIn?: (entry: EntryOf<K>) => boolean;
  /** The API shape of an entry. */
  describe: (entry: EntryOf<K>) => unknown;
  /** What the audit entry digests of an entry; its API shape when left out. */
  audited?: (entry: EntryOf<K>) => unknown;
  notFound: (id: string) => HttpError;
  /** How many entries a tenant may store, and the answer to one more. */
  max: number;
  full: () => HttpError;
}

/** The routes whose body each collection reads in its own way. */
export interface CollectionWrites {
  create: TenantHandler;
  update: { method: 'put' | 'patch'; handler: TenantHandler };
  remove: TenantHandler;
}

export class ConfigCollection<K extends ListKey> {
  constructor(private readonly spec: CollectionSpec<K>) {}

  register(router: RouterType<IRequest, [Env, ExecutionContext]>, writes: CollectionWrites): void {
    const { path, describe } = this.spec;
    router.get(path, settingsRoute('read', (ctx) => json(this.listed(ctx.tenant).map(describe))));
    router.post(path, settingsRoute('read_write', writes.create));
    router.get(`${path}/:id`, settingsRoute('read', (ctx, params) => json(describe(this.find(ctx.tenant, params.id)))));
    router[writes.update.method](`${path}/:id`, settingsRoute('read_write', writes.update.handler));
    router.delete(`${path}/:id`, settingsRoute('read_write', writes.remove));
  }

  /** The entry with this id, or the collection's 404. */
  find(config: Pick<TenantConfig, K>, id: string | undefined): EntryOf<K> {
    const entry = this.listed(config).find((e) => e.id === id);
    if (!entry) throw this.spec.notFound(id ?? '');
    return entry;
  }

  /**
   * Adds what `build` makes of the fresh config, after checking there is room (before `build`'s own checks);
   * answers 201 with its API shape.
   */
  async create(ctx: ApiContext, id: string, build: (config: TenantConfig) => EntryOf<K>): Promise<Response> {
    const entry = await this.change(ctx, 'create', id, (config) => {
      const stored = this.stored(config);
      if (stored.filter((e) => !this.spec.builtIn?.(e)).length >= this.spec.max) throw this.spec.full();
      const added = build(config);
      this.store(config, [...stored, added]);
      return { result: added, after: this.audited(added) };
    });
    return json(this.spec.describe(entry), 201);
  }

  /**
   * Replaces the entry with what `next` makes of it and the fresh config (an entry that was only listed, such as
   * the default URL endpoint, is stored from then on); answers 200 with its API shape.
   */
  async update(ctx: ApiContext, id: string, next: (config: TenantConfig, current: EntryOf<K>) => EntryOf<K>): Promise<Response> {
    const entry = await this.change(ctx, 'update', id, (config) => {
      const current = this.find(config, id);
      const replaced = next(config, current);
      const stored = this.stored(config);
      const known = stored.some((e) => e.id === id);
      this.store(config, known ? stored.map((e) => (e.id === id ? replaced : e)) : [...stored, replaced]);
      return { result: replaced, before: this.audited(current), after: this.audited(replaced) };
    });
    return json(this.spec.describe(entry));
  }

  /** Deletes the entry once `check` (given the fresh config) lets it go; answers 204. */
  async remove(ctx: ApiContext, id: string, check?: (config: TenantConfig, entry: EntryOf<K>) => void): Promise<Response> {
    await this.change(ctx, 'delete', id, (config) => {
      const entry = this.find(config, id);
      check?.(config, entry);
      this.store(config, this.stored(config).filter((e) => e.id !== id));
      return { result: undefined, before: this.audited(entry) };
    });
    return noContent();
  }

  private change<T>(ctx: ApiContext, verb: string, id: string, apply: (config: TenantConfig) => { result: T; before?: unknown; after?: unknown }) {
    return changeTenant(ctx, { action: `${this.spec.kind}.${verb}`, target: `${this.spec.kind}:${id}`, apply });
  }

  private listed(config: Pick<TenantConfig, K>): EntryOf<K>[] {
    return this.spec.listed ? this.spec.listed(config) : this.stored(config);
  }

  private stored(config: Pick<TenantConfig, K>): EntryOf<K>[] {
    return (config[this.spec.key] ?? []) as EntryOf<K>[];
  }

  private store(config: TenantConfig, entries: EntryOf<K>[]): void {
    (config as Pick<TenantConfig, K>)[this.spec.key] = entries as TenantConfig[K];
  }

  private audited(entry: EntryOf<K>): unknown {
    return (this.spec.audited ?? this.spec.describe)(entry);
  }
}
