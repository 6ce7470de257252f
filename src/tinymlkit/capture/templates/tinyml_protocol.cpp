#include "tinyml_protocol.h"

namespace tinyml {

uint16_t Crc16(const char* data, size_t length) {
  uint16_t crc = 0xFFFF;
  for (size_t i = 0; i < length; ++i) {
    crc ^= static_cast<uint16_t>(static_cast<uint8_t>(data[i])) << 8;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021) : static_cast<uint16_t>(crc << 1);
    }
  }
  return crc;
}

LineBuilder& LineBuilder::Reset() {
  length_ = 0;
  overflowed_ = false;
  return *this;
}

LineBuilder& LineBuilder::Char(char c) {
  if (length_ < kMaxLine) {
    buffer_[length_++] = c;
  } else {
    overflowed_ = true;
  }
  return *this;
}

LineBuilder& LineBuilder::Text(const char* text) {
  while (*text != '\0') Char(*text++);
  return *this;
}

LineBuilder& LineBuilder::Uint(uint32_t value) {
  char digits[10];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0) Char(digits[--n]);
  return *this;
}

LineBuilder& LineBuilder::Fixed(float value, int decimals) {
  if (value != value || value > 4.0e9f || value < -4.0e9f) return Text("nan");
  if (decimals < 0) decimals = 0;
  if (decimals > 6) decimals = 6;
  uint64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const bool negative = value < 0;
  const double magnitude = negative ? -static_cast<double>(value) : static_cast<double>(value);
  const uint64_t scaled = static_cast<uint64_t>(magnitude * static_cast<double>(scale) + 0.5);
  if (negative && scaled != 0) Char('-');
  Uint(static_cast<uint32_t>(scaled / scale));
  if (decimals > 0) {
    Char('.');
    uint64_t fraction = scaled % scale;
    for (uint64_t digit = scale / 10; digit > 0; digit /= 10) {
      Char(static_cast<char>('0' + fraction / digit));
      fraction %= digit;
    }
  }
  return *this;
}

LineBuilder& LineBuilder::Base64(const uint8_t* data, size_t length) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < length; i += 3) {
    const uint32_t a = data[i];
    const uint32_t b = i + 1 < length ? data[i + 1] : 0;
    const uint32_t c = i + 2 < length ? data[i + 2] : 0;
    const uint32_t triple = (a << 16) | (b << 8) | c;
    Char(kAlphabet[(triple >> 18) & 63]);
    Char(kAlphabet[(triple >> 12) & 63]);
    Char(i + 1 < length ? kAlphabet[(triple >> 6) & 63] : '=');
    Char(i + 2 < length ? kAlphabet[triple & 63] : '=');
  }
  return *this;
}

const char* LineBuilder::Finish(size_t* length) {
  static const char kHex[] = "0123456789ABCDEF";
  const uint16_t crc = Crc16(buffer_, length_);
  // The checksum always fits: buffer_ has 8 bytes beyond kMaxLine.
  buffer_[length_++] = '*';
  for (int shift = 12; shift >= 0; shift -= 4) buffer_[length_++] = kHex[(crc >> shift) & 0xF];
  buffer_[length_++] = '\n';
  buffer_[length_] = '\0';
  *length = length_;
  return buffer_;
}

bool CommandReader::Feed(char c, Command* out) {
  if (c == '\n' || c == '\r') {
    const bool ok = length_ > 0 && !overflowed_ && Parse(out);
    length_ = 0;
    overflowed_ = false;
    return ok;
  }
  if (length_ < sizeof(buffer_) - 1) {
    buffer_[length_++] = c;
  } else {
    overflowed_ = true;
  }
  return false;
}

bool CommandReader::Parse(Command* out) const {
  Command command;
  if (length_ == 1 && buffer_[0] == '?') {
    command.kind = Command::kHeader;
    *out = command;
    return true;
  }
  if (length_ < 3 || buffer_[0] != 'r' || buffer_[1] != ' ') return false;
  size_t i = 2;
  uint32_t ms = 0;
  size_t digits = 0;
  for (; i < length_ && buffer_[i] >= '0' && buffer_[i] <= '9'; ++i, ++digits) {
    if (digits >= 7) return false;  // more than 9,999,999 ms is not a recording
    ms = ms * 10 + static_cast<uint32_t>(buffer_[i] - '0');
  }
  if (digits == 0) return false;
  size_t label_length = 0;
  if (i < length_) {
    if (buffer_[i++] != ' ') return false;
    for (; i < length_; ++i) {
      const char c = buffer_[i];
      const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                           c == '-' || c == '_';
      if (!allowed || label_length >= kMaxLabel) return false;
      command.label[label_length++] = c;
    }
  }
  command.label[label_length] = '\0';
  command.kind = Command::kRecord;
  command.ms = ms;
  *out = command;
  return true;
}

}  // namespace tinyml
