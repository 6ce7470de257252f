#include "stroke_raster.h"

namespace {

constexpr int32_t kOne = 256;  // fixed point: 8 fractional bits

// A coordinate in [-127, 127] to a fixed-point pixel position in [margin, size - 1 - margin].
int32_t PixelFp(int32_t v) {
  const int32_t span = (kRasterSize - 1 - 2 * kRasterMargin) * kOne;
  return kRasterMargin * kOne + ((v + 127) * span + 127) / 254;
}

void SetPixel(int8_t* image, int32_t row, int32_t col, const int32_t colour[3]) {
  int8_t* pixel = &image[(row * kRasterSize + col) * 3];
  for (int c = 0; c < 3; ++c) pixel[c] = static_cast<int8_t>(colour[c] - 128);
}

// Segment k of segments: red -> green over the first half of the stroke, green -> blue over the second.
void SegmentColour(int32_t k, int32_t segments, int32_t colour[3]) {
  const int32_t q = k * 510 / (segments - 1 > 1 ? segments - 1 : 1);
  if (q <= 255) {
    colour[0] = 255 - q;
    colour[1] = q;
    colour[2] = 0;
  } else {
    colour[0] = 0;
    colour[1] = 510 - q;
    colour[2] = q - 255;
  }
}

int32_t Abs(int32_t v) { return v < 0 ? -v : v; }

}  // namespace

void RasterizeStroke(const int8_t* points, int count, int8_t* image) {
  for (int i = 0; i < kRasterBytes; ++i) image[i] = -128;
  if (count < 1) return;
  int32_t colour[3];
  if (count == 1) {
    SegmentColour(0, 1, colour);
    SetPixel(image, (PixelFp(-points[1]) + kOne / 2) / kOne, (PixelFp(points[0]) + kOne / 2) / kOne, colour);
    return;
  }
  const int32_t segments = count - 1;
  for (int32_t k = 0; k < segments; ++k) {
    SegmentColour(k, segments, colour);
    const int32_t x0 = PixelFp(points[k * 2]), y0 = PixelFp(-points[k * 2 + 1]);
    const int32_t x1 = PixelFp(points[k * 2 + 2]), y1 = PixelFp(-points[k * 2 + 3]);
    const int32_t dx = Abs(x1 - x0), dy = Abs(y1 - y0);
    const int32_t steps = ((dx > dy ? dx : dy) + kOne / 2) / kOne;
    if (steps == 0) {
      SetPixel(image, (y0 + kOne / 2) / kOne, (x0 + kOne / 2) / kOne, colour);
      continue;
    }
    for (int32_t i = 0; i <= steps; ++i) {
      const int32_t col = (x0 * (steps - i) + x1 * i + steps * (kOne / 2)) / (steps * kOne);
      const int32_t row = (y0 * (steps - i) + y1 * i + steps * (kOne / 2)) / (steps * kOne);
      SetPixel(image, row, col, colour);
    }
  }
}
