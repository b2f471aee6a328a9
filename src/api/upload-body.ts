/**
 * The upload's multipart body read as a stream: text fields are collected (they are small), the binary `file`
 * part goes through a FileSpool as it arrives, so a 50 MiB upload holds two 8 MiB parts, not the body and a
 * copy of it as `request.formData()` would. Reading the next chunk waits until the spool has taken the last,
 * which is the backpressure a slow R2 needs.
 */
import * as Multipart from 'multipasta';
import { HttpError } from '../http/errors';
import { FileSpool, type SpooledFile, SpoolTooLarge } from '../library/file-spool';

export interface UploadBody {
  /** The text fields, `file` included when it is a URL or base64 text. */
  fields: FormData;
  /** The binary `file` part, streamed in; the caller stores or discards it. */
  file?: SpooledFile;
}

export interface UploadBodyLimits {
  /** The most bytes the binary file may have. */
  maxFileBytes: number;
  /** The most bytes one text field may have (a base64 file is a text field). */
  maxFieldBytes: number;
  /** The most bytes of the whole body. */
  maxBodyBytes: number;
}

/** ImageKit's form has about twenty fields; this leaves room and still stops a flood of tiny parts. */
const MAX_PARTS = 100;

/** `stagingFor` gives the bucket the file's parts wait in, from the fields read before the file (api/upload-staging.ts). */
export async function readUploadBody(request: Request, stagingFor: (fields: FormData) => R2Bucket, limits: UploadBodyLimits): Promise<UploadBody> {
  if (!/^multipart\/form-data\b/i.test(request.headers.get('Content-Type') ?? '') || !request.body) {
    throw new HttpError(400, 'The upload must be sent as multipart/form-data.', 'Send the file and its fields as a multipart form.');
  }
  const fields = new FormData();
  let spool: FileSpool | undefined;
  let fileChunks: Uint8Array[] = [];
  let fileEnded = false;
  let failure: HttpError | undefined;
  let done = false;

  const parser = Multipart.make({
    headers: Object.fromEntries(request.headers),
    // Only the `file` field may be binary; a filename or octet-stream elsewhere is still read as text.
    isFile: (info) => info.name === 'file' && Multipart.defaultIsFile(info),
    maxParts: MAX_PARTS,
    maxTotalSize: limits.maxBodyBytes,
    maxFieldSize: limits.maxFieldBytes,
    onField: (info, value) => fields.append(info.name, Multipart.decodeField(info, value)),
    onFile: () => {
      if (spool) {
        failure ??= new HttpError(400, 'The form has more than one "file" part.', 'Send one file per upload.');
        return () => undefined;
      }
      spool = new FileSpool(stagingFor(fields), limits.maxFileBytes);
      return (chunk) => {
        if (chunk === null) fileEnded = true;
        else fileChunks.push(chunk);
      };
    },
    onError: (error) => {
      failure ??= multipartError(error, limits);
    },
    onDone: () => {
      done = true;
    },
  });

  const reader = request.body.getReader();
  try {
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      parser.write(value);
      if (failure) throw failure;
      // The parser hands out the file's bytes synchronously; the spool takes them before the next read.
      for (const chunk of fileChunks) await spool!.write(chunk);
      fileChunks = [];
      if (done) break;
    }
    if (!done) parser.end();
    if (failure) throw failure;
    if (!done) throw malformed('it ends before its closing boundary');
    await reader.cancel().catch(() => undefined);
    if (!spool) return { fields };
    if (!fileEnded) throw malformed('the file part never ends');
    return { fields, file: await spool.finish() };
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    await spool?.abandon();
    if (error instanceof SpoolTooLarge) throw fileTooLarge(error.maxBytes);
    if (error instanceof HttpError) throw error;
    throw malformed('the body could not be read');
  }
}

export const fileTooLarge = (maxBytes: number) =>
  new HttpError(413, `File size exceeds the upload limit of ${maxBytes} bytes.`, 'Upload a smaller file, or raise limits.maxUploadBytes in the account settings.');

const malformed = (why: string) =>
  new HttpError(400, `The multipart body could not be parsed: ${why}.`, 'Send a well-formed multipart/form-data body.');

function multipartError(error: Multipart.MultipartError, limits: UploadBodyLimits): HttpError {
  switch (error._tag) {
    case 'ReachedLimit':
      if (error.limit === 'MaxParts') return new HttpError(400, `The form has more than ${MAX_PARTS} parts.`, 'Send only the upload API\'s fields.');
      if (error.limit === 'MaxFieldSize') return fileTooLarge(Math.floor((limits.maxFieldBytes * 3) / 4));
      return fileTooLarge(limits.maxFileBytes);
    case 'InvalidBoundary':
      return malformed('the Content-Type has no boundary');
    case 'BadHeaders':
      return malformed('a part has malformed headers');
    case 'InvalidDisposition':
      return malformed('a part has no form-data Content-Disposition with a name');
    case 'EndNotReached':
      return malformed('it ends before its closing boundary');
  }
}
