#include "npy.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <cstdint>
#include <cmath>
#include <cstring>
#include <fstream>
#include <regex>

#include "read_file.hpp"
#include "xbar_error.hpp"

namespace memspice::xbar {
namespace {

std::uint64_t little(const std::string& b, std::size_t at, int bytes) {
  std::uint64_t v = 0;
  for (int k = bytes - 1; k >= 0; --k) v = (v << 8) | static_cast<unsigned char>(b[at + static_cast<std::size_t>(k)]);
  return v;
}

void putLittle(std::string& out, std::uint64_t v, int bytes) {
  for (int k = 0; k < bytes; ++k) out.push_back(static_cast<char>((v >> (8 * k)) & 0xff));
}

template <class T>
double element(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return static_cast<double>(v);
}

}  // namespace

Array parseNpy(const std::string& b, const std::string& where) {
  if (b.size() < 10 || b.compare(0, 6, "\x93NUMPY") != 0)
    throw XbarError(fmt::format("{}: byte 0: expected a .npy file (magic \\x93NUMPY)", where));
  int major = static_cast<unsigned char>(b[6]);
  if (major < 1 || major > 3) throw XbarError(fmt::format("{}: byte 6: unknown .npy version {}", where, major));
  std::size_t lenBytes = major == 1 ? 2 : 4;
  std::size_t headerLen = little(b, 8, static_cast<int>(lenBytes));
  std::size_t start = 8 + lenBytes;
  if (b.size() < start + headerLen) throw XbarError(fmt::format("{}: byte 8: header runs past the end of the file", where));
  std::string header = b.substr(start, headerLen);
  std::smatch m;
  if (!std::regex_search(header, m, std::regex(R"('descr'\s*:\s*'([^']*)')")))
    throw XbarError(fmt::format("{}: byte {}: header has no 'descr'", where, start));
  std::string descr = m[1];
  bool fortran = std::regex_search(header, std::regex(R"('fortran_order'\s*:\s*True)"));
  if (!std::regex_search(header, m, std::regex(R"('shape'\s*:\s*\(([^)]*)\))")))
    throw XbarError(fmt::format("{}: byte {}: header has no 'shape'", where, start));
  Array a;
  std::string dims = m[1];
  static const std::regex digits(R"(\d+)");
  for (std::sregex_iterator it(dims.begin(), dims.end(), digits), end; it != end; ++it)
    a.shape.push_back(std::stoul(it->str()));
  if (a.shape.size() > 2)
    throw XbarError(fmt::format("{}: an array of rank {}; expected a vector or a matrix", where, a.shape.size()));
  std::size_t count = 1;
  for (std::size_t d : a.shape) {
    if (d != 0 && count > b.size() / d)  // more elements than the file has bytes
      throw XbarError(fmt::format("{}: byte {}: shape ({}) is larger than the file", where, start, fmt::join(a.shape, ", ")));
    count *= d;
  }

  std::size_t size = 0;
  double (*convert)(const char*) = nullptr;
  if (descr == "<f8") size = 8, convert = element<double>;
  else if (descr == "<f4") size = 4, convert = element<float>;
  else if (descr == "<i8") size = 8, convert = element<std::int64_t>;
  else if (descr == "<i4") size = 4, convert = element<std::int32_t>;
  else if (descr == "|u1") size = 1, convert = element<std::uint8_t>;
  else
    throw XbarError(fmt::format("{}: dtype '{}' is not supported; expected float64, float32, int64, int32 or uint8 "
                                "(little-endian)", where, descr));
  std::size_t data = start + headerLen;
  if (b.size() != data + count * size)
    throw XbarError(fmt::format("{}: byte {}: expected {} bytes of data for shape ({}), found {}", where, data,
                                count * size, fmt::join(a.shape, ", "), b.size() - data));
  a.data.resize(count);
  for (std::size_t i = 0; i < count; ++i) a.data[i] = convert(b.data() + data + i * size);
  if (fortran && a.shape.size() == 2) {  // column-major on disk: transpose to C order
    std::vector<double> c(count);
    for (std::size_t r = 0; r < a.shape[0]; ++r)
      for (std::size_t k = 0; k < a.shape[1]; ++k) c[r * a.shape[1] + k] = a.data[k * a.shape[0] + r];
    a.data = std::move(c);
  }
  for (std::size_t i = 0; i < count; ++i)
    if (!std::isfinite(a.data[i])) throw XbarError(fmt::format("{}: element {} is not a finite number", where, i));
  return a;
}

Array readNpy(const std::filesystem::path& path) { return parseNpy(readWholeFile(path), path.string()); }

std::map<std::string, Array> readNpz(const std::filesystem::path& path) {
  const std::string b = readWholeFile(path);
  const std::string file = path.string();
  // End of central directory: 22 bytes plus a comment of up to 64 KiB, at the end.
  std::size_t eocd = std::string::npos;
  for (std::size_t i = b.size() >= 22 ? b.size() - 22 : 0; b.size() >= 22; --i) {
    if (little(b, i, 4) == 0x06054b50) {
      eocd = i;
      break;
    }
    if (i == 0 || b.size() - i > 22 + 65535) break;
  }
  if (eocd == std::string::npos) throw XbarError(fmt::format("{}: not a zip archive (.npz): no end-of-directory record", file));
  std::size_t entries = little(b, eocd + 10, 2);
  std::size_t at = little(b, eocd + 16, 4);
  std::map<std::string, Array> out;
  for (std::size_t e = 0; e < entries; ++e) {
    if (at + 46 > b.size() || little(b, at, 4) != 0x02014b50)
      throw XbarError(fmt::format("{}: byte {}: expected a zip central-directory entry", file, at));
    unsigned method = static_cast<unsigned>(little(b, at + 10, 2));
    std::size_t csize = little(b, at + 20, 4), usize = little(b, at + 24, 4);
    std::size_t nameLen = little(b, at + 28, 2), extraLen = little(b, at + 30, 2), commentLen = little(b, at + 32, 2);
    std::size_t local = little(b, at + 42, 4);
    std::string name = b.substr(at + 46, nameLen);
    if (csize == 0xffffffff || usize == 0xffffffff || local == 0xffffffff)
      throw XbarError(fmt::format("{}: entry '{}' is a zip64 entry (over 4 GiB), which is not supported", file, name));
    at += 46 + nameLen + extraLen + commentLen;
    if (local + 30 > b.size() || little(b, local, 4) != 0x04034b50)
      throw XbarError(fmt::format("{}: byte {}: expected the local header of '{}'", file, local, name));
    std::size_t data = local + 30 + little(b, local + 26, 2) + little(b, local + 28, 2);
    if (data + csize > b.size()) throw XbarError(fmt::format("{}: entry '{}' runs past the end of the file", file, name));
    std::string bytes;
    if (method == 0) {
      bytes = b.substr(data, csize);
    } else if (method == 8) {  // raw deflate (np.savez_compressed)
      if (usize > 1032 * csize + 1024)  // beyond deflate's largest ratio: a corrupt size
        throw XbarError(fmt::format("{}: entry '{}': corrupt sizes ({} bytes from {})", file, name, usize, csize));
      bytes.resize(usize);
      z_stream z{};
      if (inflateInit2(&z, -15) != Z_OK) throw XbarError(fmt::format("{}: zlib could not start", file));
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(b.data() + data));
      z.avail_in = static_cast<uInt>(csize);
      z.next_out = reinterpret_cast<Bytef*>(bytes.data());
      z.avail_out = static_cast<uInt>(usize);
      int rc = inflate(&z, Z_FINISH);
      inflateEnd(&z);
      if (rc != Z_STREAM_END || z.total_out != usize)
        throw XbarError(fmt::format("{}: entry '{}': corrupt compressed data", file, name));
    } else {
      throw XbarError(fmt::format("{}: entry '{}' uses zip compression method {}; expected stored or deflate", file,
                                  name, method));
    }
    if (name.size() > 4 && name.ends_with(".npy")) name.resize(name.size() - 4);
    out[name] = parseNpy(bytes, file + ":" + name);
  }
  return out;
}

std::string npyBytes(const Array& a) {
  std::string shape = a.shape.size() == 1 ? fmt::format("({},)", a.shape[0]) : fmt::format("({})", fmt::join(a.shape, ", "));
  std::string header = fmt::format("{{'descr': '<f8', 'fortran_order': False, 'shape': {}, }}", shape);
  while ((10 + header.size() + 1) % 64 != 0) header.push_back(' ');
  header.push_back('\n');
  std::string out("\x93NUMPY\x01\x00", 8);
  putLittle(out, header.size(), 2);
  out += header;
  for (double v : a.data) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    putLittle(out, bits, 8);
  }
  return out;
}

void writeNpz(const std::filesystem::path& path, const std::map<std::string, Array>& arrays) {
  std::string zip, directory;
  std::size_t count = 0;
  for (const auto& [key, array] : arrays) {
    std::string name = key + ".npy";
    std::string data = npyBytes(array);
    auto crc = crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size()));
    std::size_t offset = zip.size();
    auto common = [&](std::string& out) {  // version, flags, method 0, time, date, crc, sizes
      putLittle(out, 20, 2);
      putLittle(out, 0, 2);
      putLittle(out, 0, 2);
      putLittle(out, 0, 2);
      putLittle(out, 0x21, 2);
      putLittle(out, crc, 4);
      putLittle(out, data.size(), 4);
      putLittle(out, data.size(), 4);
      putLittle(out, name.size(), 2);
      putLittle(out, 0, 2);
    };
    putLittle(zip, 0x04034b50, 4);
    common(zip);
    zip += name;
    zip += data;
    putLittle(directory, 0x02014b50, 4);
    putLittle(directory, 20, 2);
    common(directory);
    putLittle(directory, 0, 2);   // comment
    putLittle(directory, 0, 2);   // disk
    putLittle(directory, 0, 2);   // internal attributes
    putLittle(directory, 0, 4);   // external attributes
    putLittle(directory, offset, 4);
    directory += name;
    ++count;
  }
  std::size_t dirOffset = zip.size();
  zip += directory;
  putLittle(zip, 0x06054b50, 4);
  putLittle(zip, 0, 4);
  putLittle(zip, count, 2);
  putLittle(zip, count, 2);
  putLittle(zip, directory.size(), 4);
  putLittle(zip, dirOffset, 4);
  putLittle(zip, 0, 2);
  std::ofstream out(path, std::ios::binary);
  if (!out || !out.write(zip.data(), static_cast<std::streamsize>(zip.size())))
    throw XbarError(fmt::format("{}: cannot write", path.string()));
}

}  // namespace memspice::xbar
