#pragma once
#include "tensorflow/lite/experimental/microfrontend/lib/frontend.h"
void FrontendFillConfigWithDefaults(FrontendConfig* config);
int FrontendPopulateState(const FrontendConfig* config, FrontendState* state, int sample_rate);
void FrontendFreeStateContents(FrontendState* state);
