/**
 * Registers the default face the Worker bundles (fonts/README.md); the other platform fonts are read from R2.
 * Tests and benchmarks under Node register the same file from fonts/.
 */
import openSans from '../../fonts/OpenSans-Regular.ttf';
import { registerBundledFont } from './fonts';

registerBundledFont(new Uint8Array(openSans));
