#include "source/source_manager.hpp"

#include <fstream>
#include <sstream>

namespace memspice {

std::optional<std::string> DiskFileProvider::read(const std::filesystem::path& path) const {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return std::move(buffer).str();
}

void MemoryFileProvider::add(const std::filesystem::path& path, std::string text) {
  files_[path.lexically_normal().generic_string()] = std::move(text);
}

std::optional<std::string> MemoryFileProvider::read(const std::filesystem::path& path) const {
  auto it = files_.find(path.lexically_normal().generic_string());
  if (it == files_.end()) return std::nullopt;
  return it->second;
}

std::uint32_t SourceManager::add(std::filesystem::path path, std::string text) {
  File file{std::move(path), std::move(text), {0}};
  for (std::size_t i = 0; i < file.text.size(); ++i)
    if (file.text[i] == '\n') file.lineStarts.push_back(i + 1);
  files_.push_back(std::move(file));
  return static_cast<std::uint32_t>(files_.size() - 1);
}

std::string_view SourceManager::line(std::uint32_t file, std::uint32_t line) const {
  if (file >= files_.size() || line == 0) return {};
  const File& f = files_[file];
  if (line > f.lineStarts.size()) return {};
  std::size_t begin = f.lineStarts[line - 1];
  std::size_t end = line < f.lineStarts.size() ? f.lineStarts[line] - 1 : f.text.size();
  std::string_view text(f.text);
  std::string_view result = text.substr(begin, end - begin);
  if (!result.empty() && result.back() == '\r') result.remove_suffix(1);
  return result;
}

}  // namespace memspice
