/** A codec could not read or write an image: the input is corrupt or unsupported, never a server fault. */
export class CodecError extends Error {
  constructor(
    readonly codec: string,
    readonly reason: string,
  ) {
    super(`${codec}: ${reason}`);
    this.name = 'CodecError';
  }
}

/** Runs a codec call and turns whatever it throws (traps, glue errors, null results) into a CodecError. */
export async function codecCall<T>(codec: string, call: () => Promise<T | null | undefined>): Promise<T> {
  let result: T | null | undefined;
  try {
    result = await call();
  } catch (error) {
    // Another codec's error raised inside this call (a streaming consumer's) keeps its own name.
    if (error instanceof CodecError) throw error;
    // Emscripten glue throws bare numbers or objects for C++ exceptions; they carry nothing readable.
    throw new CodecError(codec, error instanceof Error ? error.message : 'the data is corrupt or unsupported');
  }
  if (result == null) throw new CodecError(codec, 'the codec returned no image');
  return result;
}
