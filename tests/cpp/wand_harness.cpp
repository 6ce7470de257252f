// Runs the magic-wand sketch's stroke code (resampler, tracker, points, rasterizer) on a recording read from
// stdin (lines "t_ms ax ay az gx gy gz") and prints, for every stroke, its length, points and image, so a test
// can compare them with the Python feature code bit for bit.

#include <cstdio>

#include "imu_resampler.h"
#include "model_settings.h"
#include "stroke_raster.h"
#include "stroke_tracker.h"

namespace {

StrokeTracker tracker;
int8_t points[kMaxPoints * 2];
int8_t image[kRasterBytes];

void Emit() {
  const int count = StrokePoints(tracker.points(), tracker.length(), points);
  RasterizeStroke(points, count, image);
  std::printf("stroke %d %d\n", tracker.length(), count);
  for (int i = 0; i < count * 2; ++i) std::printf("%d ", points[i]);
  std::printf("\n");
  for (int i = 0; i < kRasterBytes; ++i) std::printf("%d ", image[i] + 128);
  std::printf("\n");
}

}  // namespace

int main() {
  ImuResampler resampler;
  double t, v[kImuValues], out[8][kImuValues];
  while (std::scanf("%lf %lf %lf %lf %lf %lf %lf", &t, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) == 7) {
    const int n = resampler.Push(t, v, out, 8);
    for (int i = 0; i < n; ++i) {
      if (tracker.Update(&out[i][0], &out[i][3])) Emit();
    }
  }
  if (tracker.Finish()) Emit();
  return 0;
}
