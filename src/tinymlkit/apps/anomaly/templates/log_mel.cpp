#include "log_mel.h"

#include <cmath>

#include "model_settings.h"

namespace {

constexpr float kPi = 3.14159265358979f;
float window[kFftSize];
float cos_table[kFftSize / 2];
float sin_table[kFftSize / 2];
float re[kFftSize];
float im[kFftSize];

int ReverseBits(int i) {
  int r = 0;
  for (int bit = 1; bit < kFftSize; bit <<= 1) {
    r = (r << 1) | (i & 1);
    i >>= 1;
  }
  return r;
}

// In-place iterative radix-2 FFT of re/im.
void Fft() {
  for (int i = 0; i < kFftSize; ++i) {
    const int j = ReverseBits(i);
    if (j > i) {
      float t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  for (int size = 2; size <= kFftSize; size <<= 1) {
    const int half = size / 2;
    const int step = kFftSize / size;
    for (int start = 0; start < kFftSize; start += size) {
      for (int k = 0; k < half; ++k) {
        const float wr = cos_table[k * step];
        const float wi = -sin_table[k * step];
        const int a = start + k;
        const int b = a + half;
        const float tr = re[b] * wr - im[b] * wi;
        const float ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}

}  // namespace

void LogMelInit() {
  for (int i = 0; i < kFftSize; ++i) {
    window[i] = 0.5f - 0.5f * static_cast<float>(std::cos(2.0 * kPi * i / kFftSize));
  }
  for (int k = 0; k < kFftSize / 2; ++k) {
    cos_table[k] = static_cast<float>(std::cos(2.0 * kPi * k / kFftSize));
    sin_table[k] = static_cast<float>(std::sin(2.0 * kPi * k / kFftSize));
  }
}

void LogMelFrame(const int16_t* samples, float* out) {
  for (int i = 0; i < kFftSize; ++i) {
    re[i] = (static_cast<float>(samples[i]) / 32768.0f) * window[i];
    im[i] = 0.0f;
  }
  Fft();
  int w = 0;
  for (int m = 0; m < kMelCount; ++m) {
    float energy = 0.0f;
    for (int j = 0; j < kMelBins[m]; ++j) {
      const int bin = kMelStart[m] + j;
      energy += (re[bin] * re[bin] + im[bin] * im[bin]) * kMelWeights[w++];
    }
    out[m] = 10.0f * std::log10(energy + kLogFloor);
  }
}
