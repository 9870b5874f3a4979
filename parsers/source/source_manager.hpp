#pragma once
// SourceManager owns the text of every file read for one deck, so diagnostics can quote the
// offending line. FileProvider abstracts the file system: decks come from disk in the program
// and from memory in tests and the fuzzer.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "source/source_loc.hpp"

namespace memspice {

class FileProvider {
 public:
  virtual ~FileProvider() = default;
  // The file's bytes, or nullopt if it cannot be read.
  virtual std::optional<std::string> read(const std::filesystem::path& path) const = 0;
};

class DiskFileProvider final : public FileProvider {
 public:
  std::optional<std::string> read(const std::filesystem::path& path) const override;
};

// Files held in memory, keyed by their path as written (after lexical normalisation).
class MemoryFileProvider final : public FileProvider {
 public:
  void add(const std::filesystem::path& path, std::string text);
  std::optional<std::string> read(const std::filesystem::path& path) const override;

 private:
  std::map<std::string, std::string> files_;
};

class SourceManager {
 public:
  // Registers a file's text and returns its id for SourceLoc::file.
  std::uint32_t add(std::filesystem::path path, std::string text);

  const std::filesystem::path& path(std::uint32_t file) const { return files_.at(file).path; }
  const std::string& text(std::uint32_t file) const { return files_.at(file).text; }
  std::size_t fileCount() const { return files_.size(); }
  // The physical line (without its newline), or empty if out of range.
  std::string_view line(std::uint32_t file, std::uint32_t line) const;

 private:
  struct File {
    std::filesystem::path path;
    std::string text;
    std::vector<std::size_t> lineStarts;
  };
  std::vector<File> files_;
};

}  // namespace memspice
