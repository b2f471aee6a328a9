/**
 * What the status page reports on, and what each component's probe may take before it counts as degraded.
 * The order here is the order of the page.
 */
export const COMPONENTS = [
  { id: 'delivery', name: 'Delivery', degradedAfterMs: 1_000, describes: 'Serving images and files from their URLs' },
  { id: 'transformations', name: 'Transformations', degradedAfterMs: 3_000, describes: 'Making new variants (resize, crop, formats)' },
  { id: 'api', name: 'API', degradedAfterMs: 1_500, describes: 'The media library and account APIs' },
  { id: 'uploads', name: 'Uploads', degradedAfterMs: 3_000, describes: 'The upload API' },
  { id: 'video', name: 'Video jobs', degradedAfterMs: 1_500, describes: 'Transcoding jobs and their API' },
] as const;

export type ComponentId = (typeof COMPONENTS)[number]['id'];

export const COMPONENT_IDS: readonly ComponentId[] = COMPONENTS.map((c) => c.id);

export const isComponentId = (value: string): value is ComponentId => (COMPONENT_IDS as readonly string[]).includes(value);
