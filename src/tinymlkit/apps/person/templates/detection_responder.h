// What the board does with each result: LEDs and a line on the serial port.

#ifndef DETECTION_RESPONDER_H_
#define DETECTION_RESPONDER_H_

#include <cstdint>

void SetUpResponder();

// person_score and no_person_score are the model's int8 outputs (-128..127).
void RespondToDetection(int8_t person_score, int8_t no_person_score);

#endif  // DETECTION_RESPONDER_H_
