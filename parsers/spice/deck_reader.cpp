#include "spice/deck_reader.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace memspice {

namespace {

constexpr int kMaxIncludeDepth = 64;

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// Cuts an inline comment: ';' anywhere, '$' or '//' at the start or after white space.
// Quoted text and {expressions} are left alone.
std::string_view stripInlineComment(std::string_view line) {
  char quote = 0;
  int braces = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') { quote = c; continue; }
    if (c == '{') ++braces;
    if (c == '}' && braces > 0) --braces;
    if (braces) continue;
    bool afterBlank = i == 0 || isBlank(line[i - 1]);
    if (c == ';' || (afterBlank && c == '$') ||
        (afterBlank && c == '/' && i + 1 < line.size() && line[i + 1] == '/'))
      return line.substr(0, i);
  }
  return line;
}

std::string_view trimRight(std::string_view s) {
  while (!s.empty() && isBlank(s.back())) s.remove_suffix(1);
  return s;
}

// The card's words split on white space (quotes kept together); enough for the reader's needs.
std::vector<std::pair<std::string, std::size_t>> words(std::string_view text) {
  std::vector<std::pair<std::string, std::size_t>> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && isBlank(text[i])) ++i;
    if (i >= text.size()) break;
    std::size_t start = i;
    if (text[i] == '"') {
      std::size_t end = text.find('"', i + 1);
      std::size_t stop = end == std::string_view::npos ? text.size() : end + 1;
      out.emplace_back(std::string(text.substr(i + 1, (end == std::string_view::npos ? text.size() : end) - i - 1)), start);
      i = stop;
      continue;
    }
    while (i < text.size() && !isBlank(text[i])) ++i;
    out.emplace_back(std::string(text.substr(start, i - start)), start);
  }
  return out;
}

}  // namespace

std::string toLower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// State of one file being read: which .lib section (if any) we are inside or skipping.
struct DeckReader::Context {
  std::uint32_t file;
  bool top;
  const std::string* wantedSection;  // reading a library for this section only
  bool inWanted = false;             // inside the wanted section
  bool sectionFound = false;
  int skipDepth = 0;                 // > 0 while skipping an unwanted .lib section
  SourceLoc skipLoc;
  bool inControl = false;
  SourceLoc controlLoc;
  bool ended = false;
};

DeckText DeckReader::readFile(const std::filesystem::path& path) {
  auto text = files_.read(path);
  if (!text) {
    diags_.error({}, fmt::format("cannot open netlist '{}'", path.generic_string()));
    return {};
  }
  return readText(path, std::move(*text));
}

DeckText DeckReader::readText(const std::filesystem::path& name, std::string text) {
  DeckText out;
  std::uint32_t file = sources_.add(name, std::move(text));
  includeStack_ = {name.lexically_normal()};
  readLines(file, true, nullptr, {}, out, 0, name.generic_string());
  return out;
}

void DeckReader::readLines(std::uint32_t file, bool top, const std::string* section,
                           SourceLoc sectionLoc, DeckText& out, int depth, std::string_view shownName) {
  Context ctx{file, top, section};
  std::string_view text = sources_.text(file);
  std::optional<LogicalLine> pending;
  std::uint32_t lineNo = 0;
  std::size_t pos = 0;
  bool first = true;
  while (pos <= text.size() && !ctx.ended) {
    std::size_t nl = text.find('\n', pos);
    std::string_view raw = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    ++lineNo;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    if (top && first) {
      first = false;
      out.title = std::string(trimRight(raw));
      out.titleLoc = {file, lineNo, 1};
      continue;
    }
    std::size_t lead = 0;
    while (lead < raw.size() && isBlank(raw[lead])) ++lead;
    std::string_view body = raw.substr(lead);
    if (body.empty() || body.front() == '*') continue;
    if (body.front() == '+') {
      std::size_t skip = 1;
      while (skip < body.size() && isBlank(body[skip])) ++skip;
      std::string_view rest = trimRight(stripInlineComment(body.substr(skip)));
      SourceLoc at{file, lineNo, static_cast<std::uint32_t>(lead + skip + 1)};
      if (pending) {
        if (!rest.empty()) pending->append(rest, at);
      } else if (!ctx.inControl && ctx.skipDepth == 0) {
        diags_.error({file, lineNo, static_cast<std::uint32_t>(lead + 1)},
                     "continuation line '+' with no card before it");
      }
      continue;
    }
    if (pending) {
      ctx.ended = !handleCard(std::move(*pending), ctx, out, depth);
      pending.reset();
      if (ctx.ended) break;
    }
    std::string_view card = trimRight(stripInlineComment(body));
    if (card.empty()) continue;
    pending.emplace();
    pending->append(card, {file, lineNo, static_cast<std::uint32_t>(lead + 1)});
  }
  if (pending && !ctx.ended) handleCard(std::move(*pending), ctx, out, depth);
  if (ctx.inControl)
    diags_.error(ctx.controlLoc, "'.control' block has no matching '.endc'");
  if (ctx.skipDepth > 0 || ctx.inWanted)
    diags_.error(ctx.skipDepth > 0 ? ctx.skipLoc : sectionLoc, "'.lib' section has no matching '.endl'");
  if (section && !ctx.sectionFound)
    diags_.error(sectionLoc, fmt::format("library '{}' has no section '{}'", shownName, *section));
}

// Returns false when the card ends the file (.end).
bool DeckReader::handleCard(LogicalLine card, Context& ctx, DeckText& out, int depth) {
  auto w = words(card.text());
  std::string head = toLower(w.front().first);
  auto argLoc = [&](std::size_t i) { return card.loc(w[i].second); };

  if (ctx.inControl) {
    if (head == ".endc") ctx.inControl = false;
    return true;
  }
  if (ctx.skipDepth > 0) {
    if (head == ".lib" && w.size() == 2) ++ctx.skipDepth;
    if (head == ".endl") --ctx.skipDepth;
    return true;
  }
  if (head == ".control") {
    ctx.inControl = true;
    ctx.controlLoc = card.loc();
    diags_.warning(card.loc(), "ngspice '.control' block ignored: memspice runs the analyses in the deck");
    return true;
  }
  if (head == ".endc") {
    diags_.error(card.loc(), "'.endc' without '.control'");
    return true;
  }
  if (head == ".lib" || head == ".library") {
    if (w.size() == 2) {  // a section definition: .lib name ... .endl
      std::string name = toLower(w[1].first);
      if (ctx.wantedSection && !ctx.inWanted && name == *ctx.wantedSection) {
        ctx.inWanted = true;
        ctx.sectionFound = true;
      } else {
        ctx.skipDepth = 1;
        ctx.skipLoc = card.loc();
      }
      return true;
    }
    if (w.size() == 3) {
      if (ctx.wantedSection && !ctx.inWanted) return true;
      std::string section = toLower(w[2].first);
      include(w[1].first, argLoc(1), ctx.file, &section, out, depth);
      return true;
    }
    diags_.error(card.loc(w.size() > 3 ? w[3].second : card.text().size()),
                 w.size() > 3 ? "unexpected text after '.lib file section'"
                              : "expected '.lib file section' or '.lib section'");
    return true;
  }
  if (head == ".endl") {
    if (ctx.inWanted) {
      ctx.inWanted = false;
    } else {
      diags_.error(card.loc(), "'.endl' without '.lib'");
    }
    return true;
  }
  // A library read for one section contributes only that section's cards.
  if (ctx.wantedSection && !ctx.inWanted) return true;
  if (head == ".include" || head == ".inc") {
    if (w.size() < 2) {
      diags_.error(card.loc(card.text().size()), "expected a file name after '.include'");
    } else {
      if (w.size() > 2) diags_.error(argLoc(2), "unexpected text after the '.include' file name");
      include(w[1].first, argLoc(1), ctx.file, nullptr, out, depth);
    }
    return true;
  }
  if (head == ".end") return false;  // ends this file; in the main deck, the whole deck
  out.cards.push_back(std::move(card));
  return true;
}

void DeckReader::include(const std::string& target, SourceLoc loc, std::uint32_t fromFile,
                         const std::string* section, DeckText& out, int depth) {
  std::filesystem::path path(target);
  if (path.is_relative()) path = sources_.path(fromFile).parent_path() / path;
  path = path.lexically_normal();
  if (depth + 1 > kMaxIncludeDepth) {
    diags_.error(loc, fmt::format("includes nested deeper than {} files", kMaxIncludeDepth));
    return;
  }
  // A section of a library may include another section of the same file; whole-file
  // re-inclusion is a cycle.
  if (!section && std::find(includeStack_.begin(), includeStack_.end(), path) != includeStack_.end()) {
    diags_.error(loc, fmt::format("include cycle: '{}' is already being read", target));
    return;
  }
  auto text = files_.read(path);
  if (!text) {
    diags_.error(loc, fmt::format("cannot open {} file '{}'", section ? "library" : "include", target));
    return;
  }
  std::uint32_t file = sources_.add(path, std::move(*text));
  includeStack_.push_back(path);
  readLines(file, false, section, loc, out, depth + 1, target);
  includeStack_.pop_back();
}

}  // namespace memspice
