// SigMF 1.0 metadata: reading (pair of files or .sigmf tar archive) and writing. See sigmf.hpp.
#include "hw/sigmf.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "src/core/error.hpp"
#include "src/core/log.hpp"

#ifndef TW_VERSION
#define TW_VERSION "unknown"
#endif

namespace tw {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr std::uint64_t kMaxMetaBytes = 16u << 20;
constexpr int kMaxJsonDepth = 64;
// Bounds of a plausible recording: no receiver samples faster than 100 GS/s or tunes above 1 THz; beyond that a
// value is a corrupt or hostile file (and would overflow the sample/time arithmetic downstream).
constexpr double kMaxSampleRate = 100e9;
constexpr double kMaxFrequency = 1e12;

std::string number_text(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
  return out;
}

std::string in_quotes(const std::string& s) { return "'" + s + "'"; }

// Bounds nesting before nlohmann parses (attacker-controlled metadata must not exhaust the stack).
void check_json_depth(std::string_view text, const std::string& source) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') {
      if (++depth > kMaxJsonDepth)
        throw InputError("SigMF metadata " + in_quotes(source) + ": JSON nested deeper than " +
                         std::to_string(kMaxJsonDepth) + " levels");
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
}

std::optional<double> get_number(const json& obj, const char* key, const std::string& source) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (!it->is_number())
    throw InputError("SigMF metadata " + in_quotes(source) + ": " + key + " is not a number");
  const double v = it->get<double>();
  if (!std::isfinite(v))
    throw InputError("SigMF metadata " + in_quotes(source) + ": " + key + " is not finite");
  return v;
}

std::optional<std::uint64_t> get_u64(const json& obj, const char* key, const std::string& source) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (it->is_number_unsigned()) return it->get<std::uint64_t>();
  if (it->is_number_integer() && it->get<std::int64_t>() >= 0)
    return static_cast<std::uint64_t>(it->get<std::int64_t>());
  throw InputError("SigMF metadata " + in_quotes(source) + ": " + key + " must be a non-negative integer");
}

std::optional<std::string> get_string(const json& obj, const char* key, const std::string& source) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (!it->is_string())
    throw InputError("SigMF metadata " + in_quotes(source) + ": " + key + " is not a string");
  return it->get<std::string>();
}

SampleFormat datatype_to_format(const std::string& datatype, const std::string& source) {
  if (auto f = format_from_sigmf_datatype(datatype)) return *f;
  const std::string d = lower(datatype);
  const std::string head = "SigMF metadata " + in_quotes(source) + ": core:datatype " + in_quotes(datatype);
  if (!d.empty() && d[0] == 'r')
    throw InputError(head + " holds real-valued samples; towerwatch needs complex IQ (cu8, ci8, ci16_le, cf32_le)");
  if (ends_with(d, "_be"))
    throw InputError(head + " is big-endian; only little-endian is supported (cu8, ci8, ci16_le, cf32_le)");
  throw InputError(head + " is not supported (supported: cu8, ci8, ci16_le, cf32_le)");
}

// ---- POSIX tar (ustar / GNU / pax) walking for .sigmf archives ----

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

std::uint64_t parse_tar_number(const unsigned char* field, std::size_t len, const std::string& source) {
  if (len && (field[0] & 0x80)) {   // GNU base-256 encoding
    std::uint64_t v = field[0] & 0x7f;
    for (std::size_t i = 1; i < len; ++i) {
      if (v >> 55) throw InputError("SigMF archive " + in_quotes(source) + ": member size out of range");
      v = (v << 8) | field[i];
    }
    return v;
  }
  std::uint64_t v = 0;
  std::size_t i = 0;
  while (i < len && field[i] == ' ') ++i;
  for (; i < len && field[i] >= '0' && field[i] <= '7'; ++i) {
    if (v >> 60) throw InputError("SigMF archive " + in_quotes(source) + ": member size out of range");
    v = v * 8 + static_cast<std::uint64_t>(field[i] - '0');
  }
  for (; i < len; ++i)
    if (field[i] != ' ' && field[i] != '\0')
      throw InputError("SigMF archive " + in_quotes(source) + ": malformed number in a tar header");
  return v;
}

std::string tar_string(const unsigned char* field, std::size_t len) {
  std::size_t n = 0;
  while (n < len && field[n]) ++n;
  return std::string(reinterpret_cast<const char*>(field), n);
}

std::string read_exact(std::FILE* f, std::uint64_t offset, std::uint64_t size, const std::string& source) {
  if (size > kMaxMetaBytes)
    throw InputError("SigMF archive " + in_quotes(source) + ": metadata member larger than 16 MiB");
  std::string s(static_cast<std::size_t>(size), '\0');
  if (fseeko(f, static_cast<off_t>(offset), SEEK_SET) != 0 ||
      (size && std::fread(s.data(), 1, s.size(), f) != s.size()))
    throw InputError("SigMF archive " + in_quotes(source) + ": truncated tar member");
  return s;
}

// Pax extended header records "<len> <key>=<value>\n": returns path and size when present.
void parse_pax(const std::string& data, std::string& path, std::uint64_t& size, bool& has_size,
               const std::string& source) {
  std::size_t pos = 0;
  while (pos < data.size()) {
    std::size_t sp = data.find(' ', pos);
    if (sp == std::string::npos) break;
    std::uint64_t len = 0;
    for (std::size_t i = pos; i < sp; ++i) {
      if (data[i] < '0' || data[i] > '9' || len > data.size())
        throw InputError("SigMF archive " + in_quotes(source) + ": malformed pax header");
      len = len * 10 + static_cast<std::uint64_t>(data[i] - '0');
    }
    if (len <= sp - pos + 1 || pos + len > data.size() || data[pos + len - 1] != '\n')
      throw InputError("SigMF archive " + in_quotes(source) + ": malformed pax header");
    const std::string record = data.substr(sp + 1, pos + len - sp - 2);
    const auto eq = record.find('=');
    if (eq != std::string::npos) {
      const std::string key = record.substr(0, eq);
      const std::string value = record.substr(eq + 1);
      if (key == "path") path = value;
      if (key == "size") {
        if (value.empty() || value.size() > 19 || value.find_first_not_of("0123456789") != std::string::npos)
          throw InputError("SigMF archive " + in_quotes(source) + ": malformed pax size");
        size = std::stoull(value);
        has_size = true;
      }
    }
    pos += len;
  }
}

struct TarMember {
  std::string name;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
};

std::vector<TarMember> list_tar(std::FILE* f, std::uint64_t file_size, const std::string& source) {
  std::vector<TarMember> members;
  std::uint64_t pos = 0;
  std::string next_name;
  std::uint64_t next_size = 0;
  bool has_next_size = false;
  unsigned char h[512];
  while (pos + 512 <= file_size) {
    if (fseeko(f, static_cast<off_t>(pos), SEEK_SET) != 0 || std::fread(h, 1, 512, f) != 512)
      throw InputError("SigMF archive " + in_quotes(source) + ": cannot read a tar header");
    bool zero = true;
    for (unsigned char c : h) zero = zero && c == 0;
    if (zero) break;   // end-of-archive marker
    // Header checksum: sum of all octets with the checksum field read as spaces (POSIX ustar).
    std::uint64_t sum = 0;
    for (int i = 0; i < 512; ++i) sum += (i >= 148 && i < 156) ? ' ' : h[i];
    if (parse_tar_number(h + 148, 8, source) != sum)
      throw InputError("SigMF archive " + in_quotes(source) + ": not a tar archive (bad header checksum at byte " +
                       std::to_string(pos) + ")");
    const char type = static_cast<char>(h[156]);
    std::uint64_t size = parse_tar_number(h + 124, 12, source);
    if (has_next_size && (type == '0' || type == '\0')) size = next_size;
    const std::uint64_t data_offset = pos + 512;
    if (size > file_size - data_offset)
      throw InputError("SigMF archive " + in_quotes(source) + ": tar member runs past the end of the file");
    std::string name = tar_string(h, 100);
    if (std::memcmp(h + 257, "ustar", 5) == 0) {
      const std::string prefix = tar_string(h + 345, 155);
      if (!prefix.empty()) name = prefix + "/" + name;
    }
    if (type == 'x') {
      parse_pax(read_exact(f, data_offset, size, source), next_name, next_size, has_next_size, source);
    } else if (type == 'L') {
      std::string long_name = read_exact(f, data_offset, size, source);
      next_name = tar_string(reinterpret_cast<const unsigned char*>(long_name.data()), long_name.size());
    } else if (type == 'g') {
      // global pax header: nothing we need
    } else {
      if (!next_name.empty()) name = next_name;
      if (type == '0' || type == '\0') members.push_back({name, data_offset, size});
      next_name.clear();
      has_next_size = false;
    }
    const std::uint64_t padded = (size + 511) / 512 * 512;
    if (padded > file_size - data_offset) break;
    pos = data_offset + padded;
  }
  return members;
}

SigmfLocation locate_archive(const std::string& path) {
  FilePtr f(std::fopen(path.c_str(), "rb"));
  if (!f) throw InputError("cannot open SigMF archive " + in_quotes(path) + ": " + std::strerror(errno));
  std::error_code ec;
  const std::uint64_t size = fs::file_size(path, ec);
  if (ec) throw InputError("cannot read SigMF archive " + in_quotes(path) + ": " + ec.message());
  if (size == 0) throw InputError("SigMF archive " + in_quotes(path) + " is empty");
  const auto members = list_tar(f.get(), size, path);
  const TarMember* meta = nullptr;
  std::size_t recordings = 0;
  for (const auto& m : members) {
    if (ends_with(m.name, ".sigmf-meta")) {
      if (!meta) meta = &m;
      ++recordings;
    }
  }
  if (!meta) throw InputError("SigMF archive " + in_quotes(path) + " holds no .sigmf-meta member");
  if (recordings > 1)
    log::warn_once("SigMF archive " + in_quotes(path) + " holds " + std::to_string(recordings) +
              " recordings; reading only the first (" + meta->name + ")");
  SigmfLocation loc;
  loc.meta_path = path;
  loc.data_path = path;
  const std::string source = path + ":" + meta->name;
  loc.meta = parse_sigmf_meta(read_exact(f.get(), meta->offset, meta->size, path), source);
  const std::string stem = meta->name.substr(0, meta->name.size() - std::strlen(".sigmf-meta"));
  std::string want = stem + ".sigmf-data";
  if (!loc.meta.dataset.empty()) {
    const auto slash = stem.find_last_of('/');
    want = (slash == std::string::npos ? std::string() : stem.substr(0, slash + 1)) + loc.meta.dataset;
  }
  for (const auto& m : members) {
    if (m.name == want) {
      loc.data_offset = m.offset;
      loc.data_size = m.size;
      return loc;
    }
  }
  throw InputError("SigMF archive " + in_quotes(path) + ": data member " + in_quotes(want) + " is missing");
}

std::string dataset_path(const std::string& meta_path, const SigmfMeta& meta, const std::string& default_path) {
  if (meta.dataset.empty()) return default_path;
  return (fs::path(meta_path).parent_path() / meta.dataset).string();
}

SigmfLocation locate_pair(const std::string& meta_path, const std::string& stem) {
  SigmfLocation loc;
  loc.meta_path = meta_path;
  loc.meta = read_sigmf_meta(meta_path);
  loc.data_path = dataset_path(meta_path, loc.meta, stem + ".sigmf-data");
  std::error_code ec;
  if (!fs::exists(loc.data_path, ec))
    throw InputError("SigMF recording " + in_quotes(meta_path) + ": data file " + in_quotes(loc.data_path) +
                     " is missing");
  return loc;
}

}  // namespace

SigmfMeta parse_sigmf_meta(std::string_view text, const std::string& source) {
  check_json_depth(text, source);
  json root;
  try {
    root = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    throw InputError("SigMF metadata " + in_quotes(source) + " is not valid JSON: " + e.what());
  }
  if (!root.is_object()) throw InputError("SigMF metadata " + in_quotes(source) + ": top level is not a JSON object");
  const auto g = root.find("global");
  if (g == root.end() || !g->is_object())
    throw InputError("SigMF metadata " + in_quotes(source) + ": no \"global\" object");

  SigmfMeta m;
  const auto datatype = get_string(*g, "core:datatype", source);
  if (!datatype) throw InputError("SigMF metadata " + in_quotes(source) + ": global core:datatype is missing");
  m.datatype = *datatype;
  m.format = datatype_to_format(m.datatype, source);

  if (const auto it = g->find("core:metadata_only"); it != g->end() && it->is_boolean() && it->get<bool>())
    throw InputError("SigMF metadata " + in_quotes(source) + ": core:metadata_only is true, there are no samples");
  if (const auto channels = get_u64(*g, "core:num_channels", source); channels && *channels != 1)
    throw InputError("SigMF metadata " + in_quotes(source) + ": core:num_channels is " + std::to_string(*channels) +
                     "; only single-channel recordings are supported");
  m.sample_rate_hz = get_number(*g, "core:sample_rate", source);
  if (m.sample_rate_hz && !(*m.sample_rate_hz > 0 && *m.sample_rate_hz <= kMaxSampleRate))
    throw InputError("SigMF metadata " + in_quotes(source) + ": core:sample_rate " + number_text(*m.sample_rate_hz) +
                     " is not a sample rate (must be above 0 and at most 100 GHz)");
  m.trailing_bytes = get_u64(*g, "core:trailing_bytes", source).value_or(0);
  m.description = get_string(*g, "core:description", source).value_or("");
  m.dataset = get_string(*g, "core:dataset", source).value_or("");
  if (!m.dataset.empty() && (m.dataset.find('/') != std::string::npos || m.dataset.find('\\') != std::string::npos ||
                             m.dataset == "." || m.dataset == ".."))
    throw InputError("SigMF metadata " + in_quotes(source) + ": core:dataset " + in_quotes(m.dataset) +
                     " must be a plain file name in the same folder");

  const auto caps = root.find("captures");
  if (caps != root.end() && !caps->is_null()) {
    if (!caps->is_array()) throw InputError("SigMF metadata " + in_quotes(source) + ": \"captures\" is not an array");
    m.capture_count = caps->size();
    if (!caps->empty()) {
      const json& c0 = (*caps)[0];
      if (!c0.is_object()) throw InputError("SigMF metadata " + in_quotes(source) + ": captures[0] is not an object");
      m.sample_start = get_u64(c0, "core:sample_start", source).value_or(0);
      m.header_bytes = get_u64(c0, "core:header_bytes", source).value_or(0);
      m.center_freq_hz = get_number(c0, "core:frequency", source);
      if (m.center_freq_hz && !(*m.center_freq_hz > 0 && *m.center_freq_hz <= kMaxFrequency))
        throw InputError("SigMF metadata " + in_quotes(source) + ": captures[0].core:frequency " +
                         number_text(*m.center_freq_hz) + " is not a radio frequency (must be above 0 and at most 1 THz)");
      if (caps->size() > 1) {
        const json& c1 = (*caps)[1];
        if (!c1.is_object()) throw InputError("SigMF metadata " + in_quotes(source) + ": captures[1] is not an object");
        const auto next = get_u64(c1, "core:sample_start", source);
        if (!next || *next <= m.sample_start)
          throw InputError("SigMF metadata " + in_quotes(source) +
                           ": captures[1].core:sample_start must follow captures[0].core:sample_start");
        m.sample_count = *next - m.sample_start;
      }
    }
  }
  return m;
}

SigmfMeta read_sigmf_meta(const std::string& meta_path) {
  std::error_code ec;
  if (!fs::is_regular_file(meta_path, ec))
    throw InputError("SigMF metadata " + in_quotes(meta_path) + " is missing or not a regular file");
  const auto size = fs::file_size(meta_path, ec);
  if (ec) throw InputError("cannot read SigMF metadata " + in_quotes(meta_path) + ": " + ec.message());
  if (size > kMaxMetaBytes) throw InputError("SigMF metadata " + in_quotes(meta_path) + " is larger than 16 MiB");
  std::ifstream in(meta_path, std::ios::binary);
  if (!in) throw InputError("cannot open SigMF metadata " + in_quotes(meta_path) + ": " + std::strerror(errno));
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return parse_sigmf_meta(text, meta_path);
}

std::optional<SigmfLocation> locate_sigmf(const std::string& path) {
  std::error_code ec;
  if (ends_with(path, ".sigmf-meta")) return locate_pair(path, path.substr(0, path.size() - 11));
  if (ends_with(path, ".sigmf-data")) {
    const std::string stem = path.substr(0, path.size() - 11);
    const std::string meta = stem + ".sigmf-meta";
    if (!fs::exists(meta, ec))
      throw InputError("SigMF data " + in_quotes(path) + " has no metadata file " + in_quotes(meta) +
                       " beside it (or read it as a raw file: rename it and give --format/--rate)");
    auto loc = locate_pair(meta, stem);
    if (!loc.meta.dataset.empty())
      log::warn_once("SigMF metadata " + in_quotes(meta) + " names the data file " + in_quotes(loc.data_path) +
                "; reading that one");
    return loc;
  }
  if (ends_with(path, ".sigmf")) {
    if (fs::is_regular_file(path, ec)) return locate_archive(path);
    const std::string stem = path.substr(0, path.size() - 6);
    if (fs::exists(stem + ".sigmf-meta", ec)) return locate_pair(stem + ".sigmf-meta", stem);
    return std::nullopt;
  }
  if (!fs::exists(path, ec) && fs::exists(path + ".sigmf-meta", ec)) return locate_pair(path + ".sigmf-meta", path);
  // A raw data file with a sidecar x.sigmf-meta that names it in core:dataset.
  const fs::path p(path);
  if (p.has_extension() && fs::is_regular_file(p, ec)) {
    const fs::path sidecar = fs::path(p).replace_extension(".sigmf-meta");
    if (fs::is_regular_file(sidecar, ec)) {
      try {
        SigmfMeta meta = read_sigmf_meta(sidecar.string());
        if (meta.dataset == p.filename().string()) {
          SigmfLocation loc;
          loc.meta_path = sidecar.string();
          loc.data_path = path;
          loc.meta = std::move(meta);
          return loc;
        }
      } catch (const InputError& e) {
        log::warn_once(std::string("ignoring the metadata beside ") + in_quotes(path) + ": " + e.what());
      }
    }
  }
  return std::nullopt;
}

void write_sigmf_meta(const std::string& meta_path, SampleFormat format, double sample_rate_hz,
                      std::optional<double> center_freq_hz, const std::string& description,
                      const std::string& dataset) {
  if (!std::isfinite(sample_rate_hz) || !(sample_rate_hz > 0))
    throw InputError("SigMF metadata " + in_quotes(meta_path) + ": sample rate must be positive and finite");
  if (center_freq_hz && !std::isfinite(*center_freq_hz))
    throw InputError("SigMF metadata " + in_quotes(meta_path) + ": centre frequency must be finite");
  nlohmann::ordered_json global;
  global["core:datatype"] = sigmf_datatype(format);
  global["core:sample_rate"] = sample_rate_hz;
  global["core:version"] = "1.0.0";
  global["core:num_channels"] = 1;
  if (!description.empty()) global["core:description"] = description;
  if (!dataset.empty()) {
    if (dataset.find('/') != std::string::npos || dataset == "." || dataset == "..")
      throw InputError("SigMF metadata " + in_quotes(meta_path) + ": core:dataset " + in_quotes(dataset) +
                       " must be a plain file name in the same folder");
    global["core:dataset"] = dataset;
  }
  global["core:recorder"] = std::string("towerwatch ") + TW_VERSION;
  nlohmann::ordered_json capture;
  capture["core:sample_start"] = 0;
  if (center_freq_hz) capture["core:frequency"] = *center_freq_hz;
  nlohmann::ordered_json root;
  root["global"] = std::move(global);
  root["captures"] = nlohmann::ordered_json::array({std::move(capture)});
  root["annotations"] = nlohmann::ordered_json::array();
  const std::string text = root.dump(2) + "\n";

  const std::string tmp = meta_path + ".part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw RuntimeFailure("cannot create SigMF metadata " + in_quotes(tmp) + ": " + std::strerror(errno));
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) {
      std::remove(tmp.c_str());
      throw RuntimeFailure("cannot write SigMF metadata " + in_quotes(meta_path) + " (disk full?)");
    }
  }
  if (std::rename(tmp.c_str(), meta_path.c_str()) != 0) {
    const int err = errno;
    std::remove(tmp.c_str());
    throw RuntimeFailure("cannot write SigMF metadata " + in_quotes(meta_path) + ": " + std::strerror(err));
  }
}

}  // namespace tw
