// The tinyml serial line protocol, version 1 (docs/capture.md in tinymlkit): building checked lines and
// reading the host's commands. Plain C++ without Arduino dependencies, so it is also tested on a computer.
//
// Every line the board sends is "<body>*<CRC>\n": CRC is the CRC-16/CCITT-FALSE of the body's bytes
// (polynomial 0x1021, initial value 0xFFFF) as four upper-case hex digits. The host drops any line whose
// checksum or shape is wrong, so a glitch costs one sample instead of a wrong one.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tinyml {

constexpr int kProtocolVersion = 1;
constexpr size_t kMaxLine = 1024;  // the host accepts up to 4096 bytes per line
constexpr size_t kMaxLabel = 40;

// CRC-16/CCITT-FALSE of `length` bytes.
uint16_t Crc16(const char* data, size_t length);

// One line under construction: append text and numbers, then Finish() appends "*CRC\n".
// Appending past kMaxLine is ignored and marks the line as overflowed (the host will drop it).
class LineBuilder {
 public:
  LineBuilder& Reset();
  LineBuilder& Text(const char* text);
  LineBuilder& Char(char c);
  LineBuilder& Uint(uint32_t value);
  // `value` with exactly `decimals` digits after the point (0-6), rounded; "nan" for NaN or infinity.
  LineBuilder& Fixed(float value, int decimals);
  // Standard base64 (with '=' padding) of `length` bytes.
  LineBuilder& Base64(const uint8_t* data, size_t length);
  // Appends the checksum and the newline; returns the finished line, its length in *length.
  const char* Finish(size_t* length);
  size_t size() const { return length_; }
  bool overflowed() const { return overflowed_; }

 private:
  char buffer_[kMaxLine + 8];
  size_t length_ = 0;
  bool overflowed_ = false;
};

// A command from the host: "?" (send the header) or "r <ms> [label]" (record for <ms> milliseconds).
struct Command {
  enum Kind { kNone, kHeader, kRecord };
  Kind kind = kNone;
  uint32_t ms = 0;
  char label[kMaxLabel + 1] = {0};  // letters, digits, '-' and '_' only; empty if none was given
};

// Collects the host's characters into lines and parses them; unknown or malformed lines are ignored.
class CommandReader {
 public:
  // Feeds one received character; returns true when it completed a valid command, stored in *out.
  bool Feed(char c, Command* out);

 private:
  bool Parse(Command* out) const;
  char buffer_[64];
  size_t length_ = 0;
  bool overflowed_ = false;
};

}  // namespace tinyml
