/**
 * The video Worker: ffmpeg in WASM behind a service binding (`VIDEO`), beside the image Worker so that one keeps
 * its small bundle and fast cold start. It answers RPC calls with bytes handed to it (it reads no storage and
 * fetches nothing): probe, one frame as PNG, a stream-copy cut. Every call checks the tenant's caps before
 * ffmpeg runs; a refusal comes back as data, which the image Worker turns into its JSON error.
 */
import { WorkerEntrypoint } from 'cloudflare:workers';
import { HttpError } from '../http/errors';
import { cutVideo, type CutRange } from './cut';
import { wasmMemoryBytes } from './ffmpeg';
import { extractFrame } from './frame';
import { assertFrameDecodable, assertInputSize, assertWithinLimits } from './limits';
import { probeVideo } from './probe';
import type { VideoCut, VideoFrame, VideoInfo, VideoLimits, VideoRefusal, VideoService } from './types';

export default class VideoWorker extends WorkerEntrypoint implements VideoService {
  probe(bytes: Uint8Array, limits: VideoLimits): Promise<VideoInfo | VideoRefusal> {
    return answer(() => checkedProbe(bytes, limits));
  }

  frame(bytes: Uint8Array, offset: number, limits: VideoLimits): Promise<VideoFrame | VideoRefusal> {
    return answer(async () => {
      const info = await checkedProbe(bytes, limits);
      assertFrameDecodable(info);
      return extractFrame(bytes, info, offset);
    });
  }

  cut(bytes: Uint8Array, range: CutRange, limits: VideoLimits): Promise<VideoCut | VideoRefusal> {
    return answer(async () => cutVideo(bytes, await checkedProbe(bytes, limits), range));
  }

  async wasmMemoryBytes(): Promise<number> {
    return wasmMemoryBytes();
  }

  override async fetch(): Promise<Response> {
    return Response.json({ message: 'The video Worker answers its service binding only' }, { status: 404 });
  }
}

/** Size first, then the header's duration and dimensions: nothing that decodes runs before both are in bounds. */
async function checkedProbe(bytes: Uint8Array, limits: VideoLimits): Promise<VideoInfo> {
  assertInputSize(bytes, limits);
  const info = await probeVideo(bytes);
  assertWithinLimits(info, limits);
  return info;
}

async function answer<T>(work: () => Promise<T>): Promise<T | VideoRefusal> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HttpError) return { refused: { status: error.status, message: error.message, help: error.help } };
    throw error;
  }
}
