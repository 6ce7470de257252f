// What the sketch does around each model: where its input comes from and whether the next model runs.
// Edit hooks.cpp; the rest of the sketch is generated.

#ifndef HOOKS_H_
#define HOOKS_H_

#include "tensorflow/lite/micro/micro_interpreter.h"  // TfLiteTensor

// Fill model `index`'s int8 input tensor (quantize real values with kModels[index].input_scale / zero point).
void FillInput(int index, TfLiteTensor* input);

// Called with model `index`'s output after it ran; return true to run the next model in this round.
bool RunNext(int index, const TfLiteTensor* output);

#endif  // HOOKS_H_
