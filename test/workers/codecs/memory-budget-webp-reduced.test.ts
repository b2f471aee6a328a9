/**
 * The decode budget's estimate for a lossless WebP shown small covers what it really takes (own isolate): libwebp
 * decodes every pixel of a lossless file before it scales, so the reduced output does not make it cheap.
 */
import { it } from 'vitest';
import { fixtures } from '../../fixtures/registry';
import { expectEstimateCovers } from './memory-budget';

it('covers a lossless WebP decoded at a reduced scale, without overstating it by half', async () => {
  await expectEstimateCovers(fixtures.budgetWebpLossless.path, 'edgepixWebp', 'w-300');
});
