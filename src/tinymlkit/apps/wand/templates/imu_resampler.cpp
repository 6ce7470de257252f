#include "imu_resampler.h"

#include "model_settings.h"

int ImuResampler::Push(double t_ms, const double sample[kImuValues], double out[][kImuValues], int max_out) {
  int written = 0;
  if (!started_) {
    started_ = true;
    t0_ = t_ms;
    next_index_ = 1.0;
    for (int i = 0; i < kImuValues; ++i) out[0][i] = sample[i];
    written = 1;
  } else {
    const double step = 1000.0 / kRateHz;
    while (written < max_out) {
      const double tk = t0_ + next_index_ * step;
      if (tk > t_ms) break;
      const double frac = (tk - prev_t_) / (t_ms - prev_t_);
      for (int i = 0; i < kImuValues; ++i) out[written][i] = prev_[i] + (sample[i] - prev_[i]) * frac;
      ++written;
      next_index_ += 1.0;
    }
  }
  prev_t_ = t_ms;
  for (int i = 0; i < kImuValues; ++i) prev_[i] = sample[i];
  return written;
}
