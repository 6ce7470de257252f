#pragma once
#include <cstddef>
#include <cstdint>
struct WindowConfig { size_t size_ms; size_t step_size_ms; };
struct FilterbankConfig { int num_channels; float upper_band_limit; float lower_band_limit; int output_scale_shift; };
struct NoiseReductionConfig { int smoothing_bits; float even_smoothing; float odd_smoothing; float min_signal_remaining; };
struct PcanGainControlConfig { int enable_pcan; float strength; float offset; int gain_bits; };
struct LogScaleConfig { int enable_log; int scale_shift; };
struct FrontendConfig {
  WindowConfig window;
  FilterbankConfig filterbank;
  NoiseReductionConfig noise_reduction;
  PcanGainControlConfig pcan_gain_control;
  LogScaleConfig log_scale;
};
struct NoiseReductionState { int smoothing_bits; uint32_t* estimate; int num_channels; };
struct FrontendState { NoiseReductionState noise_reduction; };
struct FrontendOutput { const uint16_t* values; size_t size; };
FrontendOutput FrontendProcessSamples(FrontendState* state, const int16_t* samples, size_t num_samples,
                                      size_t* num_samples_read);
void FrontendReset(FrontendState* state);
