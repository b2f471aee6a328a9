/**
 * The upload API's `transformation` field: `post` transformations queue the same jobs a delivery URL would
 * (so the URL is ready when first asked for) and report through the `video.transformation.*` webhooks.
 * `{type:'transformation', value}` re-encodes the video, `{type:'gif-to-video'}` makes a GIF's MP4 and
 * `{type:'abs', value:'240_360', protocol:'hls'|'dash'}` its stream. `pre` and `thumbnail` are refused by name:
 * thumbnails are made on request (`ik-thumbnail.jpg`), pre-transformations not at all.
 */
import type { Env } from '../../env';
import { HttpError } from '../../http/errors';
import type { FileRecord } from '../../library/records';
import { blobKey } from '../../library/store/blobs';
import type { TenantConfig } from '../../tenants/config';
import { parseTransformation } from '../../transform/parse';
import { badField } from '../../validate/fields';
import { MAX_VIDEO_SIDE, planVideoJob } from '../ffmpeg-args';
import { checkMedia } from '../rules';
import { isVideoFileName, type MediaKind, type VideoSuffix } from '../suffix';
import { requestVideoJob } from './create';
import { videoJobKey } from './storage';
import type { JobRecord } from './types';
import { mediaOf } from '../../storage/media';

export interface PostTransformation {
  type: 'transformation' | 'gif-to-video' | 'abs';
  /** The transformation text, as in a URL's `tr`. */
  value: string;
  kind: MediaKind;
  suffix?: VideoSuffix;
}

const MAX_POST = 10;
const FIELD = 'transformation';

/** The form's `transformation` JSON; an empty or absent field is no transformation. */
export function parseUploadTransformation(text: string | undefined): PostTransformation[] {
  if (text === undefined || text.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badField(FIELD, 'a JSON object {"post":[…]}');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw badField(FIELD, 'a JSON object {"post":[…]}');
  const { pre, post, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length) throw badField(`${FIELD}.${Object.keys(rest)[0]}`, 'pre or post only');
  if (pre !== undefined && pre !== '') {
    throw new HttpError(400, 'Invalid value for "transformation": pre-upload transformations (pre) are not supported by this server.', 'Transform before uploading, or use post.');
  }
  if (post === undefined) return [];
  if (!Array.isArray(post) || post.length > MAX_POST) throw badField(`${FIELD}.post`, `an array of at most ${MAX_POST} transformations`);
  return post.map((item, i) => parsePost(item, `${FIELD}.post[${i}]`));
}

function parsePost(item: unknown, field: string): PostTransformation {
  if (!item || typeof item !== 'object') throw badField(field, 'an object with a type');
  const { type, value, protocol } = item as Record<string, unknown>;
  const text = typeof value === 'string' ? value : undefined;
  switch (type) {
    case 'transformation':
      if (!text) throw badField(`${field}.value`, 'a transformation such as w-300,vc-h264');
      return { type, value: text, kind: 'video' };
    case 'gif-to-video':
      return { type, value: text ?? '', kind: 'video', suffix: 'ik-gif-video.mp4' };
    case 'abs':
      if (!text) throw badField(`${field}.value`, 'renditions such as 240_360_720');
      if (protocol !== 'hls' && protocol !== 'dash') throw badField(`${field}.protocol`, 'hls or dash');
      return { type, value: `sr-${text}`, kind: protocol, suffix: protocol === 'hls' ? 'ik-master.m3u8' : 'ik-master.mpd' };
    case 'thumbnail':
      throw new HttpError(400, `Invalid value for "${field}": thumbnail post-transformations are not supported; thumbnails are made on request.`, 'Ask for <video>/ik-thumbnail.jpg when it is needed.');
    default:
      throw badField(`${field}.type`, 'transformation, gif-to-video or abs');
  }
}

/** Checks the post-transformations against the stored file before anything is queued (400 naming the problem). */
export function checkPostTransformations(posts: PostTransformation[], fileName: string): void {
  for (const post of posts) {
    const gif = fileName.toLowerCase().endsWith('.gif');
    if (post.type === 'gif-to-video' ? !gif : !isVideoFileName(fileName)) {
      throw badField(FIELD, post.type === 'gif-to-video' ? 'gif-to-video on a GIF' : `${post.type} on a video file`);
    }
    const t = parseTransformation(post.value);
    checkMedia(t, post.kind, fileName);
    planVideoJob(t, post.kind);
  }
}

/** Queues each post-transformation of the file just stored; answers the jobs (their ids are their URLs' variant keys). */
export async function queuePostTransformations(
  env: Env,
  tenant: TenantConfig,
  file: FileRecord,
  posts: PostTransformation[],
  endpoint: string,
  callbackBase: string,
): Promise<JobRecord[]> {
  const jobs: JobRecord[] = [];
  const path = file.path.replace(/^\//, '');
  const limits = tenant.settings.limits;
  const source = await mediaOf(env, tenant.id).head(blobKey(tenant.id, file.version.blob));
  for (const post of posts) {
    const plan = planVideoJob(parseTransformation(post.value), post.kind);
    const id = await videoJobKey(tenant.id, path, file.version.id, plan, post.suffix);
    const fileUrl = `${endpoint}/${path.split('/').map(encodeURIComponent).join('/')}`;
    const url = `${fileUrl}${post.suffix ? `/${post.suffix}` : ''}${plan.transformation ? `?tr=${plan.transformation}` : ''}`;
    const job = await requestVideoJob(
      env,
      {
        id,
        tenantId: tenant.id,
        path,
        etag: file.version.id,
        plan,
        trigger: 'upload',
        postType: post.type,
        url,
        originalUrl: fileUrl,
        callbackBase,
        limits: { maxInputBytes: limits.maxVideoInputBytes, maxSeconds: limits.maxVideoSeconds, maxSide: Math.min(MAX_VIDEO_SIDE, limits.maxOutputDimension) },
      },
      {
        size: source?.size ?? file.version.media.size,
        contentType: file.version.media.mime,
        stream: async () => {
          const object = await mediaOf(env, tenant.id).get(blobKey(tenant.id, file.version.blob));
          if (!object) throw new Error('the uploaded bytes are gone');
          return object.body;
        },
      },
    );
    jobs.push(job);
  }
  return jobs;
}
