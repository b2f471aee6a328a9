/** The decode budget's estimate for WebP covers what a 2400×1600 lossless WebP really takes at full scale (own isolate). */
import { it } from 'vitest';
import { fixtures } from '../../fixtures/registry';
import { expectEstimateCovers } from './memory-budget';

it('covers a lossless WebP decode at full scale, without overstating it by half', async () => {
  await expectEstimateCovers(fixtures.budgetWebpLossless.path, 'edgepixWebp', 'w-2400');
});
