// Decks on disk, one test each.
//  bad_decks/*.cir   must fail; their "* expect: LINE:COL: error: MESSAGE" lines list every
//                    error, in order (paths of other files relative to bad_decks/).
//  good_decks/*.cir  must read and elaborate without errors; "* expect-device: LINE" lines
//                    must appear in the listing, "* expect-devices: N" counts the devices.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "elab/listing.hpp"
#include "frontend.hpp"

namespace {

namespace fs = std::filesystem;
using namespace memspice;

std::vector<std::string> decksIn(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(fs::path(MEMSPICE_TEST_DECKS) / dir))
    if (e.path().extension() == ".cir") out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> directives(const fs::path& file, const std::string& key) {
  std::ifstream in(file);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    std::string prefix = "* " + key + ": ";
    if (line.rfind(prefix, 0) == 0) out.push_back(line.substr(prefix.size()));
  }
  return out;
}

std::string testName(const testing::TestParamInfo<std::string>& info) {
  std::string name = info.param.substr(0, info.param.size() - 4);
  std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return name;
}

class BadDeck : public testing::TestWithParam<std::string> {};

TEST_P(BadDeck, ReportsExactlyTheExpectedErrors) {
  fs::path dir = fs::path(MEMSPICE_TEST_DECKS) / "bad_decks";
  fs::path deck = dir / GetParam();
  auto expected = directives(deck, "expect");
  ASSERT_FALSE(expected.empty()) << "deck has no '* expect:' line";
  DiskFileProvider files;
  FrontEndResult r = loadDeck(deck, files);
  EXPECT_FALSE(r.circuit);
  std::vector<std::string> actual;
  std::string deckPrefix = deck.generic_string() + ":";
  std::string dirPrefix = dir.generic_string() + "/";
  for (const Diagnostic& d : r.diags.all()) {
    if (d.severity != Severity::Error) continue;
    std::string h = formatHeadline(r.sources, d);
    if (h.rfind(deckPrefix, 0) == 0) h = h.substr(deckPrefix.size());
    else if (h.rfind(dirPrefix, 0) == 0) h = h.substr(dirPrefix.size());
    actual.push_back(h);
  }
  EXPECT_EQ(actual, expected) << r.report();
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadDeck, testing::ValuesIn(decksIn("bad_decks")), testName);

class GoodDeck : public testing::TestWithParam<std::string> {};

TEST_P(GoodDeck, ReadsAndElaborates) {
  fs::path deck = fs::path(MEMSPICE_TEST_DECKS) / "good_decks" / GetParam();
  DiskFileProvider files;
  FrontEndResult r = loadDeck(deck, files);
  ASSERT_TRUE(r.circuit) << r.report();
  EXPECT_EQ(r.diags.errorCount(), 0u);
  std::string text = elab::listing(*r.circuit);
  for (const std::string& line : directives(deck, "expect-device"))
    EXPECT_NE(text.find("\n" + line + "\n"), std::string::npos) << "missing: " << line << "\n" << text;
  for (const std::string& n : directives(deck, "expect-devices"))
    EXPECT_EQ(r.circuit->instances.size(), std::stoul(n)) << text;
}

INSTANTIATE_TEST_SUITE_P(Corpus, GoodDeck, testing::ValuesIn(decksIn("good_decks")), testName);

// The bundled examples are decks users copy: they must stay valid.
class ExampleDeck : public testing::TestWithParam<std::string> {};

TEST_P(ExampleDeck, ReadsAndElaborates) {
  DiskFileProvider files;
  FrontEndResult r = loadDeck(fs::path(MEMSPICE_SOURCE_DIR) / "examples" / GetParam(), files);
  EXPECT_TRUE(r.circuit) << r.report();
}

std::vector<std::string> examples() {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(MEMSPICE_SOURCE_DIR) / "examples"))
    if (e.path().extension() == ".cir")
      out.push_back(fs::relative(e.path(), fs::path(MEMSPICE_SOURCE_DIR) / "examples").generic_string());
  std::sort(out.begin(), out.end());
  return out;
}

INSTANTIATE_TEST_SUITE_P(Examples, ExampleDeck, testing::ValuesIn(examples()), testName);

}  // namespace
