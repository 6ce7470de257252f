// Draws stroke points into the model's input image, coloured by time (red -> green -> blue): the same integer
// arithmetic as training's tinymlkit.features.stroke_raster.rasterize.

#ifndef STROKE_RASTER_H_
#define STROKE_RASTER_H_

#include <cstdint>

#include "model_settings.h"

// Fills image (kRasterBytes, row-major, RGB) with pixel - 128 for the count int8 (x, y) points; background -128.
void RasterizeStroke(const int8_t* points, int count, int8_t* image);

#endif  // STROKE_RASTER_H_
