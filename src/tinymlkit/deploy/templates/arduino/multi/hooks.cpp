// Your part of the sketch: feed each model and decide whether the next one runs. These defaults give every model
// an input of real value 0 (its zero point) and run every model in every round, which shows that all of them
// allocate and run in the shared arena. Replace them with your sensors and your trigger, e.g. for a keyword
// spotter (model 0) that wakes a person detector (model 1):
//
//   bool RunNext(int index, const TfLiteTensor* output) {
//     if (index != 0) return true;
//     return output->data.int8[2] > 50;   // the score of the wake word, as int8
//   }

#include "hooks.h"

#include "models.h"

void FillInput(int index, TfLiteTensor* input) {
  const int8_t zero = static_cast<int8_t>(kModels[index].input_zero_point);
  for (size_t i = 0; i < input->bytes; ++i) input->data.int8[i] = zero;
}

bool RunNext(int index, const TfLiteTensor* output) {
  (void)index;
  (void)output;
  return true;
}
