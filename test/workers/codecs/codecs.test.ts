import { avifDecoder, avifEncoder } from '../../../src/codecs/avif';
import { dav1dDecoder } from '../../../src/codecs/dav1d';
import { jpegDecoder, jpegEncoder } from '../../../src/codecs/jpeg';
import { libspngDecoder } from '../../../src/codecs/libspng';
import { libspngEncoder } from '../../../src/codecs/libspng-encoder';
import { libwebpDecoder, libwebpEncoder } from '../../../src/codecs/libwebp';
import { pngDecoder, pngEncoder } from '../../../src/codecs/png';
import { turboJpegDecoder } from '../../../src/codecs/turbo-jpeg';
import { turboJpegEncoder } from '../../../src/codecs/turbo-jpeg-encoder';
import { webpDecoder, webpEncoder } from '../../../src/codecs/webp';
import '../stock-codecs';
import '../../../src/codecs/wasm/image-data';
import { describeCodecConformance } from '../conformance/codec-suite';

// The registry's codecs: our own modules under wasm/.
describeCodecConformance({
  name: 'jpeg (libjpeg-turbo)',
  decoder: turboJpegDecoder,
  encoder: turboJpegEncoder,
  alpha: false,
  lossless: false,
  samples: ['jpegBaseline', 'jpegIntDct', 'jpegProgressive', 'jpegGrey', 'jpegArithmetic', 'jpegCmyk', 'landscape1'],
  oriented: { file: 'landscape6', reference: 'landscape1', referenceOrientation: 1 },
});

describeCodecConformance({
  name: 'webp (libwebp 1.5.0, SIMD)',
  decoder: libwebpDecoder,
  encoder: libwebpEncoder,
  alpha: true,
  lossless: true,
  samples: ['webpLossy', 'webpLossless', 'webpAlpha', 'webpLosslessAlpha'],
  oriented: { file: 'webpExifOrientation6', reference: 'webpLossy', referenceOrientation: 6 },
});

describeCodecConformance({
  name: 'png (libspng)',
  decoder: libspngDecoder,
  encoder: libspngEncoder,
  alpha: true,
  lossless: true,
  samples: ['basn2c08', 'basn6a08', 'basn0g16', 'basn3p08', 'basi4a08', 'basi6a16', 'tbbn2c16', 'pngAlphaGradient'],
});

describeCodecConformance({
  name: 'avif (dav1d decoder, jsquash libavif encoder)',
  decoder: dav1dDecoder,
  encoder: avifEncoder,
  alpha: true,
  lossless: false,
  samples: ['avifOpaque', 'avifAlpha', 'avif420', 'avifPhoto12bit', 'avifMono', 'avifGrid', 'avifPremultiplied'],
});

// The jsquash adapters, kept as the alternative.
describeCodecConformance({
  name: 'jpeg (mozjpeg)',
  decoder: jpegDecoder,
  encoder: jpegEncoder,
  alpha: false,
  lossless: false,
  samples: ['jpegBaseline', 'jpegIntDct', 'jpegProgressive', 'jpegGrey', 'landscape1'],
  oriented: { file: 'landscape6', reference: 'landscape1', referenceOrientation: 1 },
});

describeCodecConformance({
  name: 'png (squoosh png)',
  decoder: pngDecoder,
  encoder: pngEncoder,
  alpha: true,
  lossless: true,
  samples: ['basn2c08', 'basn6a08', 'basn0g16', 'basn3p08', 'basi4a08', 'pngAlphaGradient'],
});

describeCodecConformance({
  name: 'webp (jsquash libwebp)',
  decoder: webpDecoder,
  encoder: webpEncoder,
  alpha: true,
  lossless: true,
  samples: ['webpLossy', 'webpLossless', 'webpAlpha', 'webpLosslessAlpha'],
  oriented: { file: 'webpExifOrientation6', reference: 'webpLossy', referenceOrientation: 6 },
});

describeCodecConformance({
  name: 'avif (jsquash libavif)',
  decoder: avifDecoder,
  encoder: avifEncoder,
  alpha: true,
  lossless: false,
  samples: ['avifOpaque', 'avifAlpha'],
});
