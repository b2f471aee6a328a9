/**
 * Focus and padding over HTTP: fo-auto keeps an off-centre subject (a hand-marked box) in the frame where a
 * centre crop cuts it; fo-custom follows the file's stored customCoordinates, also after they change;
 * bg-dominant and bg-gradient_dominant pad with the image's own colours; the _no_enlarge / _no_shrink modes; and
 * error messages that say what is wrong.
 *
 * Every crop here is at scale 1 with lossless output, so an output is a window of the decoded original and its
 * place is found exactly by matching pixels.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { encoderFor } from '../../../src/codecs/registry';
import type { Frame } from '../../../src/image/frame';
import { fixtures } from '../../fixtures/registry';
import { overlap, SUBJECT_CASES, type SubjectBox } from '../../fixtures/subjects';
import { decodeImage, decodeResponse, fixtureBytes, get, json, newTenant, putOriginal } from '../helpers';
import { newLibraryTenant } from '../library-helpers';

let tenant: string;
beforeAll(async () => {
  tenant = await newTenant();
});

const render = async (tr: string, file: string) => {
  const response = await get(`/${tenant}/tr:${tr}/${file}`);
  expect(response.status, await response.clone().text()).toBe(200);
  return decodeResponse(response);
};

const pixel = (f: Frame, x: number, y: number) => [...f.data.subarray((y * f.width + x) * 4, (y * f.width + x) * 4 + 4)];

/** Where `window` lies in `image`: the one offset at which every pixel matches (sampled first, then checked whole). */
function locate(image: Frame, window: Frame): SubjectBox {
  const samples = Array.from({ length: 24 }, (_, i) => [(i * 7919) % window.width, (i * 104729) % window.height] as const);
  const matches = (ox: number, oy: number, points: Iterable<readonly [number, number]>) => {
    for (const [x, y] of points) {
      const a = ((oy + y) * image.width + ox + x) * 4;
      const b = (y * window.width + x) * 4;
      for (let c = 0; c < 4; c++) if (image.data[a + c] !== window.data[b + c]) return false;
    }
    return true;
  };
  const all = function* () {
    for (let y = 0; y < window.height; y++) for (let x = 0; x < window.width; x++) yield [x, y] as const;
  };
  const found: SubjectBox[] = [];
  for (let oy = 0; oy <= image.height - window.height; oy++) {
    for (let ox = 0; ox <= image.width - window.width; ox++) {
      if (matches(ox, oy, samples) && matches(ox, oy, all())) found.push({ x: ox, y: oy, width: window.width, height: window.height });
    }
  }
  expect(found, 'the output is not a window of the original').toHaveLength(1);
  return found[0]!;
}

describe('fo-auto', () => {
  // The scale-1 cases of the bench's table (the 12 MP one is scaled, so it is measured there only).
  const cases = Object.entries(SUBJECT_CASES).filter(([name]) => name !== 'waterfall-12mp');

  it.each(cases)('keeps the subject of %s in the frame, where a centre crop cuts it', async (name, c) => {
    const fixture = fixtures[c.fixture];
    const bytes = await fixtureBytes(fixture.path);
    await putOriginal(tenant, `${name}.jpg`, bytes);
    const original = await decodeImage(bytes);

    const auto = await render(`${c.transformation},fo-auto,f-png`, `${name}.jpg`);
    const centre = await render(`${c.transformation},f-png`, `${name}.jpg`);
    expect([auto.width, auto.height]).toEqual([centre.width, centre.height]);
    const autoWindow = locate(original, auto);
    const centreWindow = locate(original, centre);
    expect(overlap(c.box, centreWindow)).toBeLessThan(0.5);
    expect(overlap(c.box, autoWindow)).toBeGreaterThanOrEqual(0.8);
  });

  it("is what Cloudflare's gravity=auto asks for: the same variant, the subject kept", async () => {
    const c = SUBJECT_CASES['rose-left']!;
    const bytes = await fixtureBytes(fixtures[c.fixture].path);
    await putOriginal(tenant, 'gravity.jpg', bytes);
    const imagekit = await get(`/${tenant}/tr:w-600,h-600,fo-auto,f-png/gravity.jpg`);
    const cloudflare = await get(`/cdn-cgi/image/width=600,height=600,fit=cover,gravity=auto,format=png/${tenant}/gravity.jpg`);
    expect(cloudflare.status, await cloudflare.clone().text()).toBe(200);
    expect(cloudflare.headers.get('ETag')).toBe(imagekit.headers.get('ETag'));
    expect(overlap(c.box, locate(await decodeImage(bytes), await decodeResponse(cloudflare)))).toBeGreaterThanOrEqual(0.8);
  });

  it('cuts a plain image in the middle, the same variant pixels as without it', async () => {
    const plain = await encodePng(solidFrame(300, 100, [40, 90, 200]));
    await putOriginal(tenant, 'plain.png', plain, 'image/png');
    const auto = await render('w-100,h-100,fo-auto,f-png', 'plain.png');
    const centre = await render('w-100,h-100,f-png', 'plain.png');
    expect(auto.data).toEqual(centre.data);
  });
});

describe('fo-custom', () => {
  it('cuts and centres on the stored customCoordinates, and follows them when they change', async () => {
    const t = await newLibraryTenant();
    const bytes = await fixtureBytes(fixtures.subjectLeft.path);
    const original = await decodeImage(bytes);
    const file = await t.client.files.upload({
      file: new File([bytes], 'rose.jpg'),
      fileName: 'rose.jpg',
      useUniqueFileName: false,
      customCoordinates: '60,300,360,236',
    });
    const url = (tr: string) => `/${t.tenantId}/tr:${tr}/rose.jpg`;

    const area = await decodeResponse(await get(url('cm-extract,fo-custom,f-png')));
    expect(locate(original, area)).toEqual({ x: 60, y: 300, width: 360, height: 236 });
    // A square cover crop (600×600 of 1200×600) centred on the area's centre (240), as near as the image allows.
    const cover = await decodeResponse(await get(url('w-600,h-600,fo-custom,f-png')));
    expect(locate(original, cover)).toEqual({ x: 0, y: 0, width: 600, height: 600 });

    await t.client.files.update(file.fileId!, { customCoordinates: '900,100,200,100' });
    const moved = await decodeResponse(await get(url('cm-extract,fo-custom,f-png')));
    expect(locate(original, moved)).toEqual({ x: 900, y: 100, width: 200, height: 100 });
    expect(locate(original, await decodeResponse(await get(url('w-600,h-600,fo-custom,f-png'))))).toMatchObject({ x: 600 });

    // Without stored coordinates: the centre.
    await t.client.files.update(file.fileId!, { customCoordinates: null });
    expect(locate(original, await decodeResponse(await get(url('w-600,h-600,fo-custom,f-png'))))).toMatchObject({ x: 300 });
  });
});

function solidFrame(width: number, height: number, rgb: [number, number, number], split?: { x: number; rgb: [number, number, number] }): Frame {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data.set([...(split && x >= split.x ? split.rgb : rgb), 255], (y * width + x) * 4);
  return { width, height, data, hasAlpha: false };
}

const encodePng = async (frame: Frame) => encoderFor('png').encode(frame, { quality: 100, lossless: true, progressive: false });

describe('dominant backgrounds', () => {
  const ORANGE = [240, 120, 20, 255];
  const BLUE = [20, 40, 200, 255];

  beforeAll(async () => {
    // 69 % orange, 31 % blue, 256×128: padded to 256×256, the padding lies above and below. The colours meet on
    // a cell edge of the 64-pixel preview (x 176 = 44 × 4), so no preview cell mixes them.
    await putOriginal(tenant, 'two.png', await encodePng(solidFrame(256, 128, [240, 120, 20], { x: 176, rgb: [20, 40, 200] })), 'image/png');
  });

  it('bg-dominant pads with the colour that covers most of the image', async () => {
    const out = await render('w-256,h-256,cm-pad_resize,bg-dominant,f-png', 'two.png');
    expect([out.width, out.height]).toEqual([256, 256]);
    for (const [x, y] of [[0, 0], [255, 0], [200, 63], [0, 255], [255, 192]] as const) expect(pixel(out, x, y)).toEqual(ORANGE);
    expect(pixel(out, 255, 128)).toEqual(BLUE); // the image itself
  });

  it('bg-gradient_dominant runs from the first colour to the second across the padding; _4 from the corners', async () => {
    const two = await render('w-256,h-256,cm-pad_resize,bg-gradient_dominant,f-png', 'two.png');
    expect(pixel(two, 0, 0)).toEqual(ORANGE);
    expect(pixel(two, 0, 255)).toEqual(BLUE);
    const middle = pixel(two, 0, 40);
    expect(middle[0]).toBeLessThan(240);
    expect(middle[0]).toBeGreaterThan(20);
    const four = await render('w-256,h-256,cm-pad_resize,bg-gradient_dominant_4,f-png', 'two.png');
    expect(pixel(four, 0, 0)).toEqual(ORANGE);
    expect(pixel(four, 255, 0)).toEqual(BLUE);
    // Only two colours exist, so the other corners repeat the second.
    expect(pixel(four, 0, 255)).toEqual(BLUE);
    expect(pixel(four, 255, 255)).toEqual(BLUE);
  });
});

describe('_no_enlarge and _no_shrink', () => {
  beforeAll(async () => {
    await putOriginal(tenant, 'photo.jpg', await fixtureBytes(fixtures.photo1000x800.path));
  });

  it('c-maintain_ratio_no_enlarge keeps the ratio without scaling up', async () => {
    const out = await render('w-2000,h-1000,c-maintain_ratio_no_enlarge', 'photo.jpg');
    expect([out.width, out.height]).toEqual([1000, 500]);
    const small = await render('w-200,h-100,c-maintain_ratio_no_enlarge', 'photo.jpg');
    expect([small.width, small.height]).toEqual([200, 100]);
  });

  it('cm-pad_resize_no_enlarge pads a small image to the box at its own size', async () => {
    const out = await render('w-2000,h-1000,cm-pad_resize_no_enlarge,f-png', 'photo.jpg');
    expect([out.width, out.height]).toEqual([2000, 1000]);
    expect(pixel(out, 0, 0)).toEqual([0, 0, 0, 255]);
    expect(pixel(out, 499, 500)).toEqual([0, 0, 0, 255]);
    expect(pixel(out, 500, 100)).not.toEqual([0, 0, 0, 255]);
  });

  it('cm-pad_extract_no_shrink pads to at least the box and never cuts', async () => {
    const out = await render('w-500,h-1000,cm-pad_extract_no_shrink', 'photo.jpg');
    expect([out.width, out.height]).toEqual([1000, 1000]);
  });
});

describe('messages that say what is wrong', () => {
  it('too many chained steps is not an unknown parameter', async () => {
    const steps = Array.from({ length: 21 }, () => 'rt-90').join(':');
    const response = await get(`/${tenant}/tr:${steps}/photo.jpg`);
    expect(response.status).toBe(400);
    expect((await json(response)).message).toBe('The transformation has 21 chained steps; the limit is 20 steps.');
  });

  it('dpr names auto; fo names auto and custom, and says face needs what edgepix does not run', async () => {
    const dpr = await get(`/${tenant}/tr:w-100,dpr-9/photo.jpg`);
    expect(dpr.status).toBe(400);
    expect((await json(dpr)).message).toMatch(/"dpr": "9".*or auto/);
    const fo = await get(`/${tenant}/tr:w-100,h-100,fo-face/photo.jpg`);
    expect(fo.status).toBe(400);
    expect((await json(fo)).message).toMatch(/"fo": "face".*auto, custom.*detection model/);
  });
});
