// Private to ingest/: one reader per media type.
#ifndef KOBUN_INGEST_READERS_H_
#define KOBUN_INGEST_READERS_H_

#include <string>
#include <string_view>

#include "ingest/ingest.h"

namespace kobun::ingest {

bool LoadPdf(std::string_view bytes, const Limits& limits, Document* out, std::string* error);

// ingest/pdf_reader.cc, built as the module kobun_pdf.so, which LoadPdf opens
// (ingest/pdf_module.cc) and calls through this one unmangled name.
extern "C" bool kobun_load_pdf(std::string_view bytes, const Limits& limits, Document* out, std::string* error);

}  // namespace kobun::ingest

#endif  // KOBUN_INGEST_READERS_H_
