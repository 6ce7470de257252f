// Where camera frames come from. Fill in GetImage() for your camera; the rest of the sketch stays as it is.

#ifndef IMAGE_PROVIDER_H_
#define IMAGE_PROVIDER_H_

#include <cstdint>

// Sets up the camera; false if it does not answer.
bool SetUpCamera();

// Fills `frame` (kFrameBytes bytes) with one kFrameWidth x kFrameHeight grayscale frame; false on failure.
bool GetImage(uint8_t* frame);

#endif  // IMAGE_PROVIDER_H_
