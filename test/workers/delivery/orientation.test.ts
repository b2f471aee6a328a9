/** All eight EXIF orientations come out upright, for landscape and portrait photos. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from '../../../src/image/frame';
import { fixtures, type FixtureName } from '../../fixtures/registry';
import { meanAbsoluteDifference } from '../../shared/similarity';
import { decodeResponse, fixtureBytes, get, newTenant, putOriginal } from '../helpers';

let tenant: string;
const references: Record<string, Frame> = {};

beforeAll(async () => {
  tenant = await newTenant();
  for (const shape of ['landscape', 'portrait'] as const) {
    await putOriginal(tenant, `${shape}/1.jpg`, await fixtureBytes(fixtures[`${shape}1`].path));
    references[shape] = await decodeResponse(await get(`/${tenant}/tr:w-240,f-png/${shape}/1.jpg`));
  }
});

describe.each(['landscape', 'portrait'] as const)('%s', (shape) => {
  it.each([0, 2, 3, 4, 5, 6, 7, 8])(`orientation %i is upright`, async (n) => {
    const name = `${shape}${n}` as FixtureName;
    await putOriginal(tenant, `${shape}/${n}.jpg`, await fixtureBytes(fixtures[name].path));
    const frame = await decodeResponse(await get(`/${tenant}/tr:w-240,f-png/${shape}/${n}.jpg`));
    const reference = references[shape]!;
    expect([frame.width, frame.height]).toEqual([reference.width, reference.height]);
    // Same picture, same way up: small differences come from each file's own JPEG compression.
    expect(meanAbsoluteDifference(reference, frame)).toBeLessThan(6);
  });
});

it('a wrong orientation would be caught: a mirrored image is far from the reference', async () => {
  const mirrored = await decodeResponse(await get(`/${tenant}/tr:w-240,fl-h,f-png/landscape/1.jpg`));
  expect(meanAbsoluteDifference(references.landscape!, mirrored)).toBeGreaterThan(20);
});
