// LoadPdf through the module kobun_pdf.so (see CMakeLists.txt for why it is not linked).
#include <dlfcn.h>

#include "ingest/readers.h"

namespace kobun::ingest {
namespace {

struct PdfModule {
  decltype(&kobun_load_pdf) load = nullptr;
  std::string error;  // why `load` is null
};

const PdfModule& OpenPdfModule() {
  static const PdfModule module = [] {
    PdfModule m;
    void* handle = dlopen(KOBUN_PDF_MODULE, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      m.error = dlerror();
      return m;
    }
    m.load = reinterpret_cast<decltype(m.load)>(dlsym(handle, "kobun_load_pdf"));
    if (!m.load) m.error = std::string(KOBUN_PDF_MODULE) + " has no kobun_load_pdf";
    return m;
  }();
  return module;
}

}  // namespace

bool LoadPdf(std::string_view bytes, const Limits& limits, Document* out, std::string* error) {
  const PdfModule& module = OpenPdfModule();
  if (!module.load) {
    *error = "kobun cannot read PDFs without its PDF module: " + module.error;
    return false;
  }
  return module.load(bytes, limits, out, error);
}

}  // namespace kobun::ingest
