/** The benchmark's bytes-at-equal-SSIM measure reads rate-distortion curves the way it says it does. */
import { describe, expect, it } from 'vitest';
import { bytesRatioAtEqualSsim } from '../../../bench/quality';

/** [bytes, SSIM] points of a plausible WebP curve: SSIM rising with log bytes, with rate-control jitter. */
const curve = Array.from({ length: 11 }, (_, i) => [40000 * Math.exp(0.06 * i), 0.95 + 0.002 * i + 0.0003 * Math.sin(3 * i)]);

describe('bytesRatioAtEqualSsim', () => {
  it('is 1 for the same curve', () => {
    expect(bytesRatioAtEqualSsim(curve, curve, 1)).toBeCloseTo(1, 10);
  });

  it('is the byte ratio of a curve that needs k times the bytes for every quality', () => {
    const bigger = curve.map(([bytes, ssim]) => [bytes! * 1.1, ssim!]);
    expect(bytesRatioAtEqualSsim(bigger, curve, 1)).toBeCloseTo(1.1, 6);
    expect(bytesRatioAtEqualSsim(curve, bigger, 1)).toBeCloseTo(1 / 1.1, 6);
  });

  it('is below 1 for a curve one quality step better everywhere (about one step of bytes fewer)', () => {
    const better = curve.map(([bytes, ssim]) => [bytes!, ssim! + 0.002]);
    const ratio = bytesRatioAtEqualSsim(better, curve, 1);
    expect(ratio).toBeGreaterThan(Math.exp(-0.07));
    expect(ratio).toBeLessThan(Math.exp(-0.05));
  });

  it('refuses curves that share no SSIM range', () => {
    const apart = curve.map(([bytes, ssim]) => [bytes!, ssim! + 0.1]);
    expect(() => bytesRatioAtEqualSsim(apart, curve, 1)).toThrow(/no common SSIM range/);
  });
});
