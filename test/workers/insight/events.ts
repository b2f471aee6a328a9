/** Synthetic delivery events for the Analytics object's tests and the bench. */
import type { DeliveryEvent } from '../../../src/insight/event';

export function event(overrides: Partial<DeliveryEvent> = {}): DeliveryEvent {
  return {
    at: Date.now(),
    path: 'photo.jpg',
    status: 200,
    cache: 'edge',
    format: 'jpeg',
    bytes: 1000,
    referrer: 'example.com',
    ip: '203.0.113.0/24',
    country: 'DE',
    userAgent: 'Mozilla/5.0',
    browser: 'Firefox',
    os: 'Linux',
    device: 'desktop',
    cpuMs: 0,
    transformed: false,
    refusal: '',
    ...overrides,
  };
}
