// libFuzzer target for the whole front end: read -> parse -> elaborate -> listing.
// The input is the main deck; two include files exist so .include/.lib paths get exercised.
// Any crash, hang, leak or sanitizer report is a bug; error diagnostics are fine.
#include <cstddef>
#include <cstdint>
#include <string>

#include "elab/listing.hpp"
#include "frontend.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const memspice::MemoryFileProvider files = [] {
    memspice::MemoryFileProvider f;
    f.add("parts.inc", ".subckt cell a b params: r=1k\nR1 a b {r}\n.ends\n.param k=2\n");
    f.add("models.lib", ".lib typ\n.model dm d is=1e-14\n.endl typ\n.lib fast\n.model dm d is=1e-12\n.endl\n");
    return f;
  }();
  memspice::elab::ElabOptions options;
  options.maxInstances = 5000;  // keep exponential subcircuit nests fast and memory small
  std::string text(reinterpret_cast<const char*>(data), size);
  memspice::FrontEndResult r = memspice::loadDeckText("fuzz.cir", std::move(text), files, options);
  std::string report = r.report();
  if (r.circuit) {
    std::string listing = memspice::elab::listing(*r.circuit);
    (void)listing;
  }
  return 0;
}
