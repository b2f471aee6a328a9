// `tsx transcoder/src/main.ts`: the transcoder service on PORT (8790), settings from the environment (README).
import { optionsFromEnv, startTranscoder } from './server';

const { url } = await startTranscoder(optionsFromEnv());
console.log(`transcoder listening on ${url}`);
