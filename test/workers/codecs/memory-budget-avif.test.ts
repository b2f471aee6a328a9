/** The decode budget's estimate for AVIF covers what a 1600×1200 10-bit AVIF really takes (own isolate). */
import { it } from 'vitest';
import { fixtures } from '../../fixtures/registry';
import { expectEstimateCovers } from './memory-budget';

it('covers a 10-bit AVIF decode, without overstating it by half', async () => {
  await expectEstimateCovers(fixtures.budgetAvif10.path, 'avifDec', 'w-800');
});
