/**
 * The copy-URL builder: a few common ImageKit parameters as a `tr` chain, and the delivery URL with it. The
 * server checks the chain against its parameter table; this only writes it.
 */
export interface TransformOptions {
  width?: number | null;
  height?: number | null;
  crop?: '' | 'maintain_ratio' | 'force' | 'at_max' | 'at_least' | 'pad_resize' | 'extract';
  quality?: number | null;
  format?: '' | 'auto' | 'webp' | 'avif' | 'jpg' | 'png';
  blur?: number | null;
  grayscale?: boolean;
  radius?: number | 'max' | null;
  named?: string;
}

export function transformation(options: TransformOptions): string {
  if (options.named) return `n-${options.named}`;
  const steps: string[] = [];
  const positive = (n: number | null | undefined) => typeof n === 'number' && Number.isFinite(n) && n > 0;
  if (positive(options.width)) steps.push(`w-${options.width}`);
  if (positive(options.height)) steps.push(`h-${options.height}`);
  if (options.crop === 'pad_resize' || options.crop === 'extract') steps.push(`cm-${options.crop}`);
  else if (options.crop) steps.push(`c-${options.crop}`);
  if (positive(options.quality)) steps.push(`q-${Math.min(100, options.quality as number)}`);
  if (options.format) steps.push(`f-${options.format}`);
  if (positive(options.blur)) steps.push(`bl-${Math.min(100, options.blur as number)}`);
  if (options.grayscale) steps.push('e-grayscale');
  if (options.radius === 'max' || positive(options.radius as number)) steps.push(`r-${options.radius}`);
  return steps.join(',');
}

/** `url` with `tr` as a query parameter (ImageKit accepts both forms; the query keeps the path readable). */
export function withTransformation(url: string, tr: string): string {
  if (!tr) return url;
  const parsed = new URL(url);
  parsed.searchParams.set('tr', tr);
  return parsed.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
}
