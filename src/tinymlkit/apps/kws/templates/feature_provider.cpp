#include "feature_provider.h"

#include <math.h>
#include <string.h>

#include "audio_provider.h"
#include "tensorflow/lite/experimental/microfrontend/lib/frontend.h"
#include "tensorflow/lite/experimental/microfrontend/lib/frontend_util.h"

namespace {

FrontendState frontend;
int16_t window[kWindowSamples];

int8_t Quantize(uint16_t frontend_value) {
  // Feature value as in training, then the model's input quantization.
  const float feature = frontend_value / kFeatureDivisor;
  long q = lroundf(feature / kInputScale) + kInputZeroPoint;
  if (q < -128) q = -128;
  if (q > 127) q = 127;
  return static_cast<int8_t>(q);
}

}  // namespace

bool FeatureProvider::Begin() {
  FrontendConfig config;
  FrontendFillConfigWithDefaults(&config);
  config.window.size_ms = kWindowMs;
  config.window.step_size_ms = kStrideMs;
  config.filterbank.num_channels = kChannels;
  config.filterbank.lower_band_limit = kLowerBandHz;
  config.filterbank.upper_band_limit = kUpperBandHz;
  config.noise_reduction.smoothing_bits = kSmoothingBits;
  config.noise_reduction.even_smoothing = kEvenSmoothing;
  config.noise_reduction.odd_smoothing = kOddSmoothing;
  config.noise_reduction.min_signal_remaining = kMinSignalRemaining;
  config.pcan_gain_control.enable_pcan = 1;
  config.pcan_gain_control.strength = kPcanStrength;
  config.pcan_gain_control.offset = kPcanOffset;
  config.pcan_gain_control.gain_bits = kGainBits;
  config.log_scale.enable_log = 1;
  config.log_scale.scale_shift = kScaleShift;
  return FrontendPopulateState(&config, &frontend, kAudioSampleRate) == 1;
}

bool FeatureProvider::ComputeSlice(int32_t start_ms, int8_t* out) {
  if (!ReadAudio(start_ms, kWindowSamples, window)) return false;
  // The frontend keeps the last (window - stride) samples of the previous slice, so it reads only the new ones.
  size_t read = 0;
  FrontendOutput output = FrontendProcessSamples(&frontend, window, kWindowSamples, &read);
  if (output.size != static_cast<size_t>(kChannels)) {
    // First call after a gap: feed the rest so the frontend has one full window.
    output = FrontendProcessSamples(&frontend, window + read, kWindowSamples - read, &read);
    if (output.size != static_cast<size_t>(kChannels)) return false;
  }
  for (int i = 0; i < kChannels; ++i) out[i] = Quantize(output.values[i]);
  return true;
}

int FeatureProvider::Update(int32_t now_ms) {
  const int32_t last_ready = (now_ms - kWindowMs) / kStrideMs;  // newest slice with all its audio
  if (last_ready < next_slice_) return 0;
  if (last_ready - next_slice_ >= kFrames) {
    next_slice_ = last_ready - kFrames + 1;  // fell behind by more than a window: skip to the newest audio
  }
  int added = 0;
  while (next_slice_ <= last_ready) {
    memmove(features_, features_ + kChannels, (kFrames - 1) * kChannels);
    if (!ComputeSlice(next_slice_ * kStrideMs, features_ + (kFrames - 1) * kChannels)) {
      memset(features_ + (kFrames - 1) * kChannels, kInputZeroPoint, kChannels);
    }
    ++next_slice_;
    ++added;
  }
  return added;
}
