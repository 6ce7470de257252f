#include "image_provider.h"

#include <Arduino.h>

#include "model_settings.h"

// 1: the OV7675 camera of the Arduino Tiny Machine Learning Kit (library Arduino_OV767X), QCIF grayscale.
// 0: no camera; a flat grey test frame (replace GetImage() below with your camera's code).
#ifndef USE_OV767X_CAMERA
#define USE_OV767X_CAMERA 0
#endif

#if USE_OV767X_CAMERA
#include <Arduino_OV767X.h>

bool SetUpCamera() { return Camera.begin(QCIF, GRAYSCALE, 5, OV7675) != 0; }

bool GetImage(uint8_t* frame) {
  Camera.readFrame(frame);  // QCIF grayscale: kFrameWidth x kFrameHeight bytes
  return true;
}

#else

bool SetUpCamera() { return true; }

bool GetImage(uint8_t* frame) {
  // A test frame: mid grey with a darker band, so the pipeline runs end to end before a camera is connected.
  for (int y = 0; y < kFrameHeight; ++y) {
    for (int x = 0; x < kFrameWidth; ++x) {
      frame[y * kFrameWidth + x] = (y > kFrameHeight / 2) ? 96 : 160;
    }
  }
  return true;
}

#endif
