#include "detection_responder.h"

#include <Arduino.h>

#include "model_settings.h"
#include "tensorflow/lite/micro/micro_log.h"

// The Nano 33 BLE Sense's RGB LED is active low: LOW lights a colour.
void SetUpResponder() {
  pinMode(LEDR, OUTPUT);
  pinMode(LEDG, OUTPUT);
  pinMode(LEDB, OUTPUT);
  digitalWrite(LEDR, HIGH);
  digitalWrite(LEDG, HIGH);
  digitalWrite(LEDB, HIGH);
}

void RespondToDetection(int8_t person_score, int8_t no_person_score) {
  digitalWrite(LEDB, LOW);  // blue flashes once per inference
  delay(20);
  digitalWrite(LEDB, HIGH);
  const bool person = person_score > no_person_score;
  digitalWrite(LEDG, person ? LOW : HIGH);
  digitalWrite(LEDR, person ? HIGH : LOW);
  const float probability = (person_score - kOutputZeroPoint) * kOutputScale;
  MicroPrintf("person score %d, no person score %d: %s (%d%%)", person_score, no_person_score,
              person ? "PERSON" : "no person", static_cast<int>(probability * 100.0f + 0.5f));
}
