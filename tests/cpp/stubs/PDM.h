#pragma once
#include <Arduino.h>
class PDMClass {
 public:
  int begin(int channels, int sample_rate);
  void end();
  int available();
  int read(void* buffer, size_t size);
  void onReceive(void (*function)(void));
  void setGain(int gain);
  void setBufferSize(int size);
};
extern PDMClass PDM;
