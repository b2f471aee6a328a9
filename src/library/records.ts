/**
 * The library's records as the Durable Object returns them (plain objects, JSON-parsed), and their
 * ImageKit API shapes. URLs are made here from the deployment's URL endpoint, which only the Worker knows.
 */

export interface AiTag {
  name: string;
  confidence: number;
  source: string;
}

/** The media properties of one version's bytes. */
export interface MediaInfo {
  size: number;
  mime: string;
  format: string;
  fileType: 'image' | 'non-image';
  width: number | null;
  height: number | null;
  hasAlpha: boolean | null;
  embeddedMetadata: Record<string, unknown>;
  /** A video's properties, read on upload by the video Worker; absent for other files and unprobed videos. */
  video?: VideoProperties;
}

/** What the File object reports of a video (ImageKit's `duration`, `videoCodec`, `audioCodec`, `bitRate`). */
export interface VideoProperties {
  /** Seconds. */
  duration: number;
  videoCodec: string;
  audioCodec?: string;
  /** Bits per second. */
  bitRate: number;
}

/** What a user can change about a file (and what each version remembers of it). */
export interface FileAttributes {
  tags: string[];
  customCoordinates: string | null;
  customMetadata: Record<string, unknown>;
  description: string | null;
  isPrivate: boolean;
  isPublished: boolean;
}

export interface VersionRecord extends FileAttributes {
  id: string;
  fileId: string;
  number: number;
  blob: string;
  name: string;
  path: string;
  media: MediaInfo;
  createdAt: number;
  updatedAt: number;
}

export interface FileRecord extends FileAttributes {
  id: string;
  path: string;
  folder: string;
  name: string;
  aiTags: AiTag[] | null;
  createdAt: number;
  updatedAt: number;
  /** The current version. */
  version: VersionRecord;
}

export interface FolderRecord {
  id: string;
  path: string;
  parent: string;
  name: string;
  createdAt: number;
  updatedAt: number;
}

/** Where the deployment serves a tenant's files: `https://host/<tenant>`. */
export type UrlEndpoint = string;

const iso = (ms: number) => new Date(ms).toISOString();

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export const fileUrl = (endpoint: UrlEndpoint, path: string) => `${endpoint}${encodePath(path)}`;

/** ImageKit's built-in thumbnail transformation, delivered like any other named transformation. */
export const thumbnailUrl = (endpoint: UrlEndpoint, path: string) => `${endpoint}/tr:n-ik_ml_thumbnail${encodePath(path)}`;

/** The current version is the plain URL; older ones pin themselves with ik-obj-version. */
const pinned = (url: string, version: VersionRecord, current: boolean) => (current ? url : `${url}?ik-obj-version=${version.id}`);

/** The File object of the management API (`type: "file"`), or of a version (`type: "file-version"`). */
export function apiFile(endpoint: UrlEndpoint, file: FileRecord, version: VersionRecord = file.version) {
  const current = version.id === file.version.id;
  const source = current ? file : version;
  const media = version.media;
  return {
    type: current ? 'file' : 'file-version',
    fileId: file.id,
    name: source.name,
    filePath: current ? file.path : version.path,
    tags: source.tags.length > 0 ? source.tags : null,
    AITags: current ? file.aiTags : null,
    versionInfo: { id: version.id, name: `Version ${version.number}` },
    isPrivateFile: source.isPrivate,
    isPublished: source.isPublished,
    customCoordinates: source.customCoordinates,
    customMetadata: source.customMetadata,
    embeddedMetadata: media.embeddedMetadata,
    description: source.description ?? undefined,
    url: pinned(fileUrl(endpoint, version.path), version, current),
    thumbnail: media.fileType === 'image' ? pinned(thumbnailUrl(endpoint, version.path), version, current) : undefined,
    fileType: media.fileType,
    mime: media.mime,
    width: media.width ?? undefined,
    height: media.height ?? undefined,
    size: media.size,
    hasAlpha: media.hasAlpha ?? false,
    ...(media.video ? videoFields(media.video) : {}),
    createdAt: iso(source.createdAt),
    updatedAt: iso(source.updatedAt),
  };
}

/** ImageKit's names; a video without sound has no audioCodec. */
const videoFields = (video: VideoProperties) => ({
  duration: video.duration,
  videoCodec: video.videoCodec,
  ...(video.audioCodec ? { audioCodec: video.audioCodec } : {}),
  bitRate: video.bitRate,
});

/** The upload API's answer: the File object's fields under the names the upload endpoint uses. */
export function apiUploadResult(endpoint: UrlEndpoint, file: FileRecord) {
  const { type: _type, thumbnail, mime: _mime, hasAlpha: _alpha, createdAt: _c, updatedAt: _u, ...rest } = apiFile(endpoint, file);
  return { ...rest, thumbnailUrl: thumbnail ?? '' };
}

export function apiFolder(folder: FolderRecord) {
  return {
    type: 'folder' as const,
    folderId: folder.id,
    name: folder.name,
    folderPath: folder.path.length > 1 ? folder.path.slice(0, -1) : folder.path,
    customMetadata: {},
    createdAt: iso(folder.createdAt),
    updatedAt: iso(folder.updatedAt),
  };
}
