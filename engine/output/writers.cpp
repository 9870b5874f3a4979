#include "output/writers.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <fmt/format.h>

namespace memspice::engine {

int Plot::find(const std::string& n) const {
  for (std::size_t i = 0; i < vars.size(); ++i)
    if (vars[i].name == n) return static_cast<int>(i);
  return -1;
}

namespace {

std::string dateLine() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char buffer[64];
  // ngspice writes e.g. "Mon Nov 23 11:17:25  2026" (two blanks before the year).
  std::strftime(buffer, sizeof buffer, "%a %b %e %H:%M:%S  %Y", &tm);
  return buffer;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

void writeRawPlot(std::ostream& out, const Plot& p, bool ascii, const std::string& name) {
  out << "Title: " << lower(p.title) << "\n";
  out << "Date: " << dateLine() << "\n";
  out << "Plotname: " << (name.empty() ? p.name : name) << "\n";
  out << "Flags: real\n";
  out << "No. Variables: " << p.vars.size() << "\n";
  out << fmt::format("No. Points: {:<8}\n", p.points());
  out << "Variables:\n";
  for (std::size_t i = 0; i < p.vars.size(); ++i) out << fmt::format("\t{}\t{}\t{}\n", i, p.vars[i].name, p.vars[i].type);
  if (ascii) {
    out << "Values:\n";
    for (std::size_t k = 0; k < p.points(); ++k) {
      out << fmt::format("{}\t\t{:.15e}\n", k, p.at(k, 0));
      for (std::size_t v = 1; v < p.vars.size(); ++v) out << fmt::format("\t{:.15e}\n", p.at(k, v));
    }
  } else {
    out << "Binary:\n";
    out.write(reinterpret_cast<const char*>(p.data.data()), static_cast<std::streamsize>(p.data.size() * sizeof(double)));
  }
}

void writeRaw(std::ostream& out, const std::vector<Plot>& plots, bool ascii) {
  for (const Plot& p : plots) writeRawPlot(out, p, ascii);
}

void writeCsv(std::ostream& out, const Plot& p, const std::vector<std::pair<std::string, double>>& step, bool header) {
  if (header) {
    for (const auto& s : step) out << s.first << ",";
    for (std::size_t v = 0; v < p.vars.size(); ++v) out << (v ? "," : "") << p.vars[v].name;
    out << "\n";
  }
  std::string prefix;
  for (const auto& s : step) prefix += fmt::format("{},", s.second);
  for (std::size_t k = 0; k < p.points(); ++k) {
    out << prefix;
    for (std::size_t v = 0; v < p.vars.size(); ++v) out << (v ? "," : "") << fmt::format("{}", p.at(k, v));
    out << "\n";
  }
}

void printTable(std::ostream& out, const Plot& p, const std::vector<std::size_t>& columns) {
  out << fmt::format("{:<8}", "Index");
  for (std::size_t c : columns) out << fmt::format("{:<18}", p.vars[c].name);
  out << "\n";
  for (std::size_t k = 0; k < p.points(); ++k) {
    out << fmt::format("{:<8}", k);
    for (std::size_t c : columns) out << fmt::format("{:<18.9e}", p.at(k, c));
    out << "\n";
  }
}

}  // namespace memspice::engine
