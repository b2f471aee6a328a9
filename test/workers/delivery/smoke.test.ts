import { describe, expect, it } from 'vitest';
import { decodeResponse, fixtureBytes, get, newTenant, putOriginal } from '../helpers';

describe('smoke', () => {
  it('GET /healthz', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('resizes a JPEG', async () => {
    const tenant = await newTenant();
    await putOriginal(tenant, 'photos/landscape.jpg', await fixtureBytes('images/exif/Landscape_1.jpg'));
    const res = await get(`/${tenant}/tr:w-400,h-300/photos/landscape.jpg`);
    expect(res.status).toBe(200);
    const frame = await decodeResponse(res);
    expect([frame.width, frame.height]).toEqual([400, 300]);
  });
});
