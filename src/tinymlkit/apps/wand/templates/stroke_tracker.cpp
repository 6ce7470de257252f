#include "stroke_tracker.h"

#include <cmath>

namespace {

constexpr double kDt = 1.0 / kRateHz;

// The gravity direction in the board's y-z plane, normalized: the board's roll about the wand (x) axis.
void RollAxes(double gy, double gz, double* ny, double* nz) {
  const double mag = std::sqrt(gy * gy + gz * gz);
  if (mag < 1e-6) {  // wand pointing straight up or down: assume the board faces up
    *ny = 0.0;
    *nz = 1.0;
    return;
  }
  *ny = gy / mag;
  *nz = gz / mag;
}

}  // namespace

void StrokeTracker::AddPoint(double wx, double wy, double wz) {
  orientation_[0] = orientation_[0] + wx * kDt;
  orientation_[1] = orientation_[1] + wy * kDt;
  orientation_[2] = orientation_[2] + wz * kDt;
  const double oy = orientation_[1];
  const double oz = orientation_[2];
  points_[count_ * 2] = -(oy * ny_ + oz * nz_);  // turn about the vertical: right is positive
  points_[count_ * 2 + 1] = oz * ny_ - oy * nz_;  // turn about the horizontal: up is positive
  ++count_;
}

bool StrokeTracker::Update(const double accel[3], const double gyro[3]) {
  if (!seeded_) {
    for (int i = 0; i < 3; ++i) {
      drift_[i] = gyro[i];
      gravity_[i] = accel[i];
    }
    seeded_ = true;
  }
  const double wx = gyro[0] - drift_[0];
  const double wy = gyro[1] - drift_[1];
  const double wz = gyro[2] - drift_[2];
  const double speed = std::sqrt(wx * wx + wy * wy + wz * wz);
  energy_ = energy_ + kEnergyAlpha * (speed - energy_);

  if (!drawing_) {
    if (energy_ < kRestDps) {  // at rest: follow the gyroscope drift and the gravity direction
      for (int i = 0; i < 3; ++i) {
        drift_[i] = drift_[i] + kDriftAlpha * (gyro[i] - drift_[i]);
        gravity_[i] = gravity_[i] + kGravityAlpha * (accel[i] - gravity_[i]);
      }
    }
    preroll_[preroll_next_][0] = wx;
    preroll_[preroll_next_][1] = wy;
    preroll_[preroll_next_][2] = wz;
    preroll_next_ = (preroll_next_ + 1) % kPrerollSamples;
    if (preroll_count_ < kPrerollSamples) ++preroll_count_;
    if (energy_ > kStartDps) {  // a stroke starts, with the samples just before
      drawing_ = true;
      still_ = 0;
      count_ = 0;
      for (int i = 0; i < 3; ++i) orientation_[i] = 0.0;
      RollAxes(gravity_[1], gravity_[2], &ny_, &nz_);
      const int oldest = (preroll_next_ - preroll_count_ + kPrerollSamples) % kPrerollSamples;
      for (int k = 0; k < preroll_count_; ++k) {
        const double* w = preroll_[(oldest + k) % kPrerollSamples];
        AddPoint(w[0], w[1], w[2]);
      }
      preroll_count_ = 0;
    }
    return false;
  }

  AddPoint(wx, wy, wz);
  still_ = energy_ < kStopDps ? still_ + 1 : 0;
  if (still_ >= kStopSamples || count_ >= kMaxSamples) {
    drawing_ = false;
    const int kept = count_ - still_;  // the still samples at the end are not part of the gesture
    if (kept >= kMinSamples) {
      length_ = kept;
      return true;
    }
  }
  return false;
}

bool StrokeTracker::Finish() {
  if (!drawing_) return false;
  drawing_ = false;
  const int kept = count_ - still_;
  if (kept < kMinSamples) return false;
  length_ = kept;
  return true;
}

int StrokePoints(const double* xy, int count, int8_t* out) {
  const int stride = (count + kMaxPoints - 1) / kMaxPoints;
  double lo_x = xy[0], hi_x = xy[0], lo_y = xy[1], hi_y = xy[1];
  for (int i = 0; i < count; i += stride) {
    const double x = xy[i * 2], y = xy[i * 2 + 1];
    if (x < lo_x) lo_x = x;
    if (x > hi_x) hi_x = x;
    if (y < lo_y) lo_y = y;
    if (y > hi_y) hi_y = y;
  }
  const double cx = (lo_x + hi_x) * 0.5;
  const double cy = (lo_y + hi_y) * 0.5;
  double extent = hi_x - lo_x;
  if (hi_y - lo_y > extent) extent = hi_y - lo_y;
  if (kMinExtentDeg > extent) extent = kMinExtentDeg;
  const double scale = 254.0 / extent;
  int n = 0;
  for (int i = 0; i < count; i += stride) {
    for (int axis = 0; axis < 2; ++axis) {
      const double centre = axis == 0 ? cx : cy;
      double q = std::floor((xy[i * 2 + axis] - centre) * scale + 0.5);
      if (q < -127.0) q = -127.0;
      if (q > 127.0) q = 127.0;
      out[n * 2 + axis] = static_cast<int8_t>(q);
    }
    ++n;
  }
  return n;
}
