// Reading decks into cards: title, continuation, comments, .include, .lib, .control, .end.
#include <gtest/gtest.h>

#include "spice/deck_reader.hpp"
#include "support/deck_helpers.hpp"

namespace {

using namespace memspice;

struct Read {
  SourceManager sources;
  Diagnostics diags;
  DeckText deck;
  std::vector<std::string> cards() const {
    std::vector<std::string> out;
    for (const auto& c : deck.cards) out.push_back(c.text());
    return out;
  }
};

std::unique_ptr<Read> read(const std::string& text, const MemoryFileProvider& files = {}) {
  auto r = std::make_unique<Read>();
  DeckReader reader(files, r->sources, r->diags);
  r->deck = reader.readText("dir/deck.cir", text);
  return r;
}

using Cards = std::vector<std::string>;

TEST(DeckReader, FirstLineIsAlwaysTheTitle) {
  auto r = read("R1 a b 1k\nR2 a b 2k\n");
  EXPECT_EQ(r->deck.title, "R1 a b 1k");
  EXPECT_EQ(r->cards(), Cards{"R2 a b 2k"});
}

TEST(DeckReader, ContinuationLinesJoinWithLocations) {
  auto r = read("title\nR1 a\n+ b\n* comment between\n+   1k\n");
  ASSERT_EQ(r->cards(), Cards{"R1 a b 1k"});
  SourceLoc loc = r->deck.cards[0].loc(7);  // "1k"
  EXPECT_EQ(loc.line, 5u);
  EXPECT_EQ(loc.col, 5u);
}

TEST(DeckReader, CommentsOfEveryKind) {
  auto r = read("t\n* full line\n  * indented\nR1 a b 1k ; semicolon\nR2 a b 2k $ dollar\nR3 a b 3k // slashes\n"
                "R4 a$b c 1k\n\n");
  EXPECT_EQ(r->cards(), (Cards{"R1 a b 1k", "R2 a b 2k", "R3 a b 3k", "R4 a$b c 1k"}));
}

TEST(DeckReader, CrLfLineEndings) {
  auto r = read("t\r\nR1 a b 1k\r\n+ m=2\r\n");
  EXPECT_EQ(r->cards(), Cards{"R1 a b 1k m=2"});
}

TEST(DeckReader, EndStopsReading) {
  auto r = read("t\nR1 a b 1k\n.END\nR2 junk\n");
  EXPECT_EQ(r->cards(), Cards{"R1 a b 1k"});
}

TEST(DeckReader, ControlBlocksAreSkippedWithAWarning) {
  auto r = read("t\nR1 a b 1k\n.control\nrun\nplot v(a)\n.endc\nR2 a b 1k\n");
  EXPECT_EQ(r->cards(), (Cards{"R1 a b 1k", "R2 a b 1k"}));
  ASSERT_EQ(r->diags.all().size(), 1u);
  EXPECT_EQ(r->diags.all()[0].severity, Severity::Warning);
}

TEST(DeckReader, IncludeRelativeToTheIncludingFile) {
  MemoryFileProvider files;
  files.add("dir/sub/parts.inc", "R9 x y 9k\n.include ../more.inc\n");
  files.add("dir/more.inc", "R8 x y 8k\n.end\nR7 ignored\n");
  auto r = read("t\nR1 a b 1k\n.include sub/parts.inc\n.INC \"sub/parts.inc\"\nR2 a b 2k\n", files);
  EXPECT_TRUE(r->diags.all().empty());
  EXPECT_EQ(r->cards(), (Cards{"R1 a b 1k", "R9 x y 9k", "R8 x y 8k", "R9 x y 9k", "R8 x y 8k", "R2 a b 2k"}));
  EXPECT_EQ(r->sources.path(r->deck.cards[1].loc().file).generic_string(), "dir/sub/parts.inc");
}

TEST(DeckReader, LibSections) {
  MemoryFileProvider files;
  files.add("dir/models.lib", ".lib fast\n.model d1 d is=1e-12\n.endl fast\n.lib slow\n.model d1 d is=1e-15\n"
                              ".lib models.lib common\n.endl\n.lib common\nR0 c 0 1\n.endl\n");
  auto r = read("t\n.lib models.lib slow\n", files);
  EXPECT_TRUE(r->diags.all().empty()) << r->diags.all()[0].message;
  EXPECT_EQ(r->cards(), (Cards{".model d1 d is=1e-15", "R0 c 0 1"}));
}

TEST(DeckReader, SectionDefinitionsInTheMainDeckAreSkipped) {
  auto r = read("t\n.lib unused\nR1 a b 1\n.endl\nR2 a b 2\n");
  EXPECT_EQ(r->cards(), Cards{"R2 a b 2"});
}

TEST(DeckReader, Errors) {
  MemoryFileProvider files;
  files.add("dir/self.inc", ".include self.inc\n");
  files.add("dir/m.lib", ".lib a\n.endl\n");
  auto r = read("t\n+ orphan\n.include nothere.inc\n.include self.inc\n.lib m.lib b\n.endl\n.endc\n.include\n",
                files);
  auto msgs = [&] {
    std::vector<std::string> out;
    for (const auto& d : r->diags.all()) out.push_back(formatHeadline(r->sources, d));
    return out;
  }();
  EXPECT_EQ(msgs, (std::vector<std::string>{
                      "dir/deck.cir:2:1: error: continuation line '+' with no card before it",
                      "dir/deck.cir:3:10: error: cannot open include file 'nothere.inc'",
                      "dir/self.inc:1:10: error: include cycle: 'self.inc' is already being read",
                      "dir/deck.cir:5:6: error: library 'm.lib' has no section 'b'",
                      "dir/deck.cir:6:1: error: '.endl' without '.lib'",
                      "dir/deck.cir:7:1: error: '.endc' without '.control'",
                      "dir/deck.cir:8:9: error: expected a file name after '.include'"}));
}

}  // namespace
