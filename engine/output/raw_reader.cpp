#include "output/raw_reader.hpp"

#include <fmt/format.h>
#include <sstream>

namespace memspice::engine {

namespace {

bool startsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

std::string after(const std::string& line) {
  auto c = line.find(':');
  std::string v = c == std::string::npos ? "" : line.substr(c + 1);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.erase(v.begin());
  while (!v.empty() && (v.back() == ' ' || v.back() == '\r')) v.pop_back();
  return v;
}

}  // namespace

RawFile readRaw(std::istream& in) {
  RawFile result;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (!startsWith(line, "Title:")) {
      result.error = fmt::format("expected 'Title:', found '{}'", line);
      return result;
    }
    Plot p;
    p.title = after(line);
    std::size_t nvars = 0, npoints = 0;
    bool complex = false;
    while (std::getline(in, line)) {
      if (startsWith(line, "Plotname:")) p.name = after(line);
      else if (startsWith(line, "Flags:")) complex = after(line).find("complex") != std::string::npos;
      else if (startsWith(line, "No. Variables:")) nvars = std::stoul(after(line));
      else if (startsWith(line, "No. Points:")) npoints = std::stoul(after(line));
      else if (startsWith(line, "Variables:")) {
        for (std::size_t i = 0; i < nvars && std::getline(in, line); ++i) {
          std::istringstream fields(line);
          std::string index, name, type;
          fields >> index >> name >> type;
          p.vars.push_back({name, type});
        }
      } else if (startsWith(line, "Values:") || startsWith(line, "Binary:")) {
        break;
      }
    }
    if (complex) {
      result.error = "complex plots are not read";
      return result;
    }
    if (p.vars.size() != nvars || nvars == 0) {
      result.error = "bad or missing Variables section";
      return result;
    }
    p.data.resize(nvars * npoints);
    if (startsWith(line, "Binary:")) {
      in.read(reinterpret_cast<char*>(p.data.data()), static_cast<std::streamsize>(p.data.size() * sizeof(double)));
      if (!in) {
        result.error = "binary data ends early";
        return result;
      }
    } else {
      for (std::size_t k = 0; k < npoints; ++k) {
        std::size_t index;
        if (!(in >> index)) {
          result.error = fmt::format("point {} missing", k);
          return result;
        }
        for (std::size_t v = 0; v < nvars; ++v)
          if (!(in >> p.data[k * nvars + v])) {
            result.error = fmt::format("value {} of point {} missing", v, k);
            return result;
          }
      }
      std::getline(in, line);
    }
    result.plots.push_back(std::move(p));
  }
  return result;
}

}  // namespace memspice::engine
