// Log-mel frames as TinyML Kit computes them in training (tinymlkit.features.log_mel): periodic Hann window,
// radix-2 FFT, power spectrum, sparse mel filterbank from model_settings.h, 10 * log10(energy + kLogFloor).

#ifndef LOG_MEL_H_
#define LOG_MEL_H_

#include <cstdint>

// Prepares the window and FFT tables; call once before LogMelFrame().
void LogMelInit();

// The kMelCount log-mel values (dB) of kFftSize 16-bit samples.
void LogMelFrame(const int16_t* samples, float* out);

#endif  // LOG_MEL_H_
