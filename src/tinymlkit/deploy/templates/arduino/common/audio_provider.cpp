#include "audio_provider.h"

#include <PDM.h>

#include "model_settings.h"

namespace {

constexpr int kRingSamples = 16384;  // just over one second at 16 kHz
int16_t ring[kRingSamples];
volatile int64_t samples_written = 0;
int16_t chunk[512];

void OnPdmData() {
  int bytes = PDM.available();
  if (bytes > static_cast<int>(sizeof(chunk))) bytes = sizeof(chunk);
  PDM.read(chunk, bytes);
  const int n = bytes / 2;
  int64_t at = samples_written;
  for (int i = 0; i < n; ++i) {
    ring[(at + i) % kRingSamples] = chunk[i];
  }
  samples_written = at + n;
}

}  // namespace

bool StartAudio() {
  PDM.onReceive(OnPdmData);
  return PDM.begin(1, kAudioSampleRate) == 1;
}

int32_t AudioTimeMs() {
  return static_cast<int32_t>(samples_written / (kAudioSampleRate / 1000));
}

bool ReadAudio(int32_t start_ms, int count, int16_t* out) {
  const int64_t first = static_cast<int64_t>(start_ms) * (kAudioSampleRate / 1000);
  const int64_t written = samples_written;
  if (first < written - kRingSamples + 512 || first + count > written) return false;
  for (int i = 0; i < count; ++i) {
    out[i] = ring[(first + i) % kRingSamples];
  }
  return true;
}
