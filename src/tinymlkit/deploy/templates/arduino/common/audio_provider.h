// Microphone capture: the board's PDM microphone fills a ring buffer of 16-bit samples in the background.

#ifndef AUDIO_PROVIDER_H_
#define AUDIO_PROVIDER_H_

#include <cstdint>

// Starts the microphone at kAudioSampleRate, mono. Returns false if it could not start.
bool StartAudio();

// Milliseconds of audio captured since StartAudio().
int32_t AudioTimeMs();

// Copies `count` samples starting at `start_ms` into `out`. False if they are not (or no longer) in the buffer.
bool ReadAudio(int32_t start_ms, int count, int16_t* out);

#endif  // AUDIO_PROVIDER_H_
