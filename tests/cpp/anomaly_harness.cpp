// Runs the anomaly sketch's log_mel.cpp on 16-bit samples from stdin (a count, then the samples) and prints one
// line of kMelCount dB values per frame, for comparison with tinymlkit.features.log_mel.
#include <cstdio>
#include <vector>

#include "log_mel.h"
#include "model_settings.h"

int main() {
  int n = 0;
  if (std::scanf("%d", &n) != 1) return 1;
  std::vector<int16_t> samples(n);
  for (int i = 0; i < n; ++i) {
    int v = 0;
    if (std::scanf("%d", &v) != 1) return 1;
    samples[i] = static_cast<int16_t>(v);
  }
  LogMelInit();
  float mels[kMelCount];
  for (int start = 0; start + kFftSize <= n; start += kHopSamples) {
    LogMelFrame(samples.data() + start, mels);
    for (int m = 0; m < kMelCount; ++m) std::printf("%.6f%c", mels[m], m + 1 == kMelCount ? '\n' : ' ');
  }
  return 0;
}
