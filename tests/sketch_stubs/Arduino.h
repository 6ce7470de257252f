// Minimal stand-ins for the Arduino core, only to check that generated sketches compile (g++ -fsyntax-only).
#pragma once
#include <cstdint>
constexpr int LED_BUILTIN = 13, HIGH = 1, LOW = 0, OUTPUT = 1;
void pinMode(int pin, int mode);
void digitalWrite(int pin, int value);
void analogWrite(int pin, int value);
unsigned long millis();
void delay(unsigned long ms);
struct SerialPort {
  void begin(long baud);
  void print(float value, int digits);
  void print(char c);
  void println(float value, int digits);
};
extern SerialPort Serial;
