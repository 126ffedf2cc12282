#include <cstdint>
#include <cstring>

#include "ingest/ingest.h"

namespace kobun::ingest {
namespace {

constexpr size_t kFixedSize = 5 * 4 + 1 + 2;

template <typename T>
void Put(std::string* out, T v) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));
  out->append(bytes, sizeof(T));
}

template <typename T>
T Get(std::string_view in, size_t at) {
  T v;
  std::memcpy(&v, in.data() + at, sizeof(T));
  return v;
}

}  // namespace

std::string EncodeBoxes(const std::vector<TextBox>& boxes) {
  std::string out;
  for (const TextBox& b : boxes) {
    for (double v : {b.x0, b.y0, b.x1, b.y1, b.font_size}) Put<float>(&out, static_cast<float>(v));
    Put<uint8_t>(&out, static_cast<uint8_t>((b.vertical ? 1 : 0) | (b.space_after ? 2 : 0)));
    const size_t length = std::min<size_t>(b.text.size(), UINT16_MAX);
    Put<uint16_t>(&out, static_cast<uint16_t>(length));
    out.append(b.text, 0, length);
  }
  return out;
}

bool DecodeBoxes(std::string_view bytes, std::vector<TextBox>* boxes) {
  boxes->clear();
  for (size_t at = 0; at < bytes.size();) {
    if (bytes.size() - at < kFixedSize) return false;
    TextBox b;
    b.x0 = Get<float>(bytes, at);
    b.y0 = Get<float>(bytes, at + 4);
    b.x1 = Get<float>(bytes, at + 8);
    b.y1 = Get<float>(bytes, at + 12);
    b.font_size = Get<float>(bytes, at + 16);
    const auto flags = Get<uint8_t>(bytes, at + 20);
    b.vertical = flags & 1;
    b.space_after = flags & 2;
    const auto length = Get<uint16_t>(bytes, at + 21);
    at += kFixedSize;
    if (bytes.size() - at < length) return false;
    b.text = std::string(bytes.substr(at, length));
    at += length;
    boxes->push_back(std::move(b));
  }
  return true;
}

std::string EncodeRules(const std::vector<Rule>& rules) {
  std::string out;
  for (const Rule& r : rules) {
    for (double v : {r.x0, r.y0, r.x1, r.y1}) Put<float>(&out, static_cast<float>(v));
  }
  return out;
}

bool DecodeRules(std::string_view bytes, std::vector<Rule>* rules) {
  rules->clear();
  if (bytes.size() % 16 != 0) return false;
  for (size_t at = 0; at < bytes.size(); at += 16) {
    rules->push_back(Rule{Get<float>(bytes, at), Get<float>(bytes, at + 4), Get<float>(bytes, at + 8),
                          Get<float>(bytes, at + 12)});
  }
  return true;
}

}  // namespace kobun::ingest
