#include <cstring>

#include "normalize/normalize.h"

namespace kobun::normalize {
namespace {

void PutInt(std::string* out, int32_t v) {
  char bytes[4];
  std::memcpy(bytes, &v, 4);  // the machines kobun runs on are little-endian
  out->append(bytes, 4);
}

int32_t GetInt(std::string_view in, size_t at) {
  int32_t v;
  std::memcpy(&v, in.data() + at, 4);
  return v;
}

}  // namespace

std::string EncodeOffsetMap(const Text& text) {
  std::string out;
  for (size_t i = 0; i < text.text.size(); ++i) {
    const bool continues = i > 0 && text.raw_begin[i] == text.raw_begin[i - 1] + 1 &&
                           text.raw_end[i] == text.raw_end[i - 1] + 1;
    if (continues) continue;
    PutInt(&out, static_cast<int32_t>(i));
    PutInt(&out, text.raw_begin[i]);
    PutInt(&out, text.raw_end[i]);
  }
  return out;
}

bool DecodeOffsetMap(std::string_view bytes, size_t length, Text* text) {
  if (bytes.size() % 12 != 0) return false;
  text->raw_begin.assign(length, 0);
  text->raw_end.assign(length, 0);
  const size_t entries = bytes.size() / 12;
  if (length > 0 && (entries == 0 || GetInt(bytes, 0) != 0)) return false;
  for (size_t e = 0; e < entries; ++e) {
    const int32_t at = GetInt(bytes, e * 12);
    const int32_t until = e + 1 < entries ? GetInt(bytes, (e + 1) * 12) : static_cast<int32_t>(length);
    if (at < 0 || until <= at || static_cast<size_t>(until) > length) return false;
    const int32_t begin = GetInt(bytes, e * 12 + 4), end = GetInt(bytes, e * 12 + 8);
    for (int32_t i = at; i < until; ++i) {
      text->raw_begin[i] = begin + (i - at);
      text->raw_end[i] = end + (i - at);
    }
  }
  return true;
}

}  // namespace kobun::normalize
