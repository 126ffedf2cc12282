// libFuzzer: any bytes as a text report. Decoding either fails with a message or gives
// valid UTF-8, which is split into pages that together hold every character.
#include <cstdlib>
#include <string>

#include "common/utf8.h"
#include "ingest/ingest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string utf8, encoding, error;
  if (!kobun::ingest::DecodeText(bytes, &utf8, &encoding, &error)) {
    if (error.empty()) std::abort();
    return 0;
  }
  if (!kobun::IsValidUtf8(utf8) || encoding.empty()) std::abort();
  kobun::ingest::Document doc;
  if (!kobun::ingest::LoadDocument(bytes, kobun::ingest::MediaType::kText, &doc, &error)) return 0;
  for (const kobun::ingest::Page& page : doc.pages)
    if (!kobun::IsValidUtf8(page.text)) std::abort();
  return 0;
}
