// SigMF metadata (hw/sigmf.*): parse_sigmf_meta on arbitrary text. Only tw::InputError may come out, and its
// message names the source. Accepted metadata must be usable: a supported complex datatype, a sample rate and
// centre frequency that are finite, positive and not absurd, a dataset that is a plain file name, a second
// capture after the first; written again with write_sigmf_meta and read back it gives the same values.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "hw/sigmf.hpp"
#include "src/core/error.hpp"
#include "tests/fuzz/fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 16384) return -1;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string source = "fuzz.sigmf-meta";
  tw::SigmfMeta m;
  try {
    m = tw::parse_sigmf_meta(text, source);
  } catch (const tw::InputError& e) {
    TW_FUZZ_CHECK(std::string(e.what()).find(source) != std::string::npos, std::string("error without the file: ") + e.what());
    return 0;
  }
  TW_FUZZ_CHECK(tw::format_from_sigmf_datatype(m.datatype) == m.format, "datatype " + m.datatype);
  if (m.sample_rate_hz)
    TW_FUZZ_CHECK(std::isfinite(*m.sample_rate_hz) && *m.sample_rate_hz > 0 && *m.sample_rate_hz <= 1e11,
                  "accepted sample rate " + std::to_string(*m.sample_rate_hz));
  if (m.center_freq_hz)
    TW_FUZZ_CHECK(std::isfinite(*m.center_freq_hz) && *m.center_freq_hz > 0 && *m.center_freq_hz <= 1e12,
                  "accepted frequency " + std::to_string(*m.center_freq_hz));
  TW_FUZZ_CHECK(m.dataset.find('/') == std::string::npos && m.dataset != "." && m.dataset != "..",
                "dataset " + m.dataset);
  if (m.sample_count) TW_FUZZ_CHECK(*m.sample_count > 0 && m.capture_count >= 2, "sample_count without a 2nd capture");

  // Round trip through the writer (what `towerwatch synth` and recording write).
  if (!m.sample_rate_hz) return 0;
  const auto path = (tw::fuzz::scratch_dir() / "rt.sigmf-meta").string();
  tw::write_sigmf_meta(path, m.format, *m.sample_rate_hz, m.center_freq_hz, m.description, m.dataset);
  const tw::SigmfMeta back = tw::read_sigmf_meta(path);
  TW_FUZZ_CHECK(back.format == m.format && back.sample_rate_hz == m.sample_rate_hz &&
                    back.center_freq_hz == m.center_freq_hz && back.dataset == m.dataset &&
                    back.description == m.description,
                "write_sigmf_meta/read_sigmf_meta do not round-trip");
  return 0;
}
