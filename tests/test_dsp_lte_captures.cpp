// File tests of the LTE cell search against recorded downlink (../shared/captures/lte/reference.json, the
// decodes of srsRAN and LTE-Cell-Scanner): every capture listed there, every cell with its PCI, duplex,
// CP, ports, bandwidth, PHICH, SFN, MIB octets and carrier offset; no cell where the reference has none.
#include <gtest/gtest.h>

#include <algorithm>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <cmath>

#include "dsp/channel_select.hpp"
#include "dsp/lte/cell_search.hpp"
#include "src/core/log.hpp"
#include "support/test_support.hpp"

namespace {

using tw::dsp::lte::cf32;

std::vector<char> read_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  EXPECT_TRUE(in.good()) << p;
  return std::vector<char>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Samples at 1.92 Msps: cf32 / cu8 (optionally after a 128-byte header) / cs8, resampled when needed.
std::vector<cf32> load_capture(const std::filesystem::path& p, const std::string& format, double rate) {
  const auto bytes = read_bytes(p);
  std::vector<cf32> iq;
  if (format == "cf32") {
    iq.resize(bytes.size() / sizeof(cf32));
    std::memcpy(iq.data(), bytes.data(), iq.size() * sizeof(cf32));
  } else if (format == "cu8" || format == "cu8_hdr128") {
    const std::size_t skip = format == "cu8" ? 0 : 128;
    EXPECT_GE(bytes.size(), skip);
    for (std::size_t i = skip; i + 1 < bytes.size(); i += 2)
      iq.emplace_back((static_cast<unsigned char>(bytes[i]) - 127.5f) / 128.0f,
                      (static_cast<unsigned char>(bytes[i + 1]) - 127.5f) / 128.0f);
  } else if (format == "cs8") {
    for (std::size_t i = 0; i + 1 < bytes.size(); i += 2)
      iq.emplace_back(static_cast<signed char>(bytes[i]) / 128.0f, static_cast<signed char>(bytes[i + 1]) / 128.0f);
  } else {
    ADD_FAILURE() << "unknown format " << format << " in reference.json";
  }
  if (rate != 1.92e6) {
    tw::dsp::ChannelSelectConfig cfg;
    cfg.input_rate_hz = rate;
    cfg.output_rate_hz = 1.92e6;
    cfg.half_bandwidth_hz = 0.6e6;
    tw::dsp::ChannelSelector sel(cfg);
    std::vector<cf32> out;
    sel.execute(iq, out);
    return out;
  }
  return iq;
}

// One capture against its reference entry (an ASSERT ends this capture only).
void check_capture(const std::filesystem::path& shared, const nlohmann::json& cap) {
  const std::string file = cap.at("file");
  SCOPED_TRACE(file);
  auto iq = load_capture(shared / "captures/lte" / file, cap.at("format"), cap.at("sample_rate").get<double>());
  ASSERT_GE(iq.size(), 9600u);
  // 80 ms at most: the search uses 40 ms and the PBCH 8 frames; longer captures add nothing here.
  if (iq.size() > 153600) iq.resize(153600);
  tw::dsp::lte::CellSearchConfig cfg;
  if (!cap.at("center_freq").is_null()) cfg.carrier_hz = cap.at("center_freq").get<double>();
  tw::dsp::lte::CellSearch search(cfg);
  if (std::getenv("TW_LTE_DEBUG")) tw::log::set_level(tw::log::Level::debug);
  const auto cells = search.execute(iq);
  for (const auto& c : cells) std::printf("%s: %s\n", file.c_str(), to_json(c).dump().c_str());
  const auto& want = cap.at("cells");
  // Every reference cell is found. A cell beyond the reference's may only be another sector of a reference
  // cell's eNodeB: the same N_ID(1) with another N_ID(2), frame-synchronous (within 2 samples), its
  // CRC-checked MIB the same bandwidth, PHICH and SFN. The search finds those once it cancels the strong
  // sector's sync signals (dsp/lte/sync_canceller.hpp): 301 beside 300 (band 3, 12.6 dB under it) and 31
  // beside 30 (band 40); the reference tools did not report them. A capture without cells stays without.
  if (want.empty()) ASSERT_TRUE(cells.empty());
  ASSERT_GE(cells.size(), want.size());
  for (const auto& c : cells) {
    const bool listed = std::any_of(want.begin(), want.end(), [&](const auto& w) { return w.at("pci").template get<int>() == c.pci; });
    if (listed) continue;
    const auto site = std::find_if(cells.begin(), cells.end(), [&](const auto& o) {
      return o.pci != c.pci && o.n_id_1 == c.n_id_1 && o.mib_decoded &&
             std::any_of(want.begin(), want.end(), [&](const auto& w) { return w.at("pci").template get<int>() == o.pci; });
    });
    ASSERT_NE(site, cells.end()) << "PCI " << c.pci << ": not in the reference, and no sector of a reference cell";
    ASSERT_TRUE(c.mib_decoded) << "PCI " << c.pci;
    EXPECT_NEAR(static_cast<double>(c.frame_start_sample), static_cast<double>(site->frame_start_sample), 2.0) << c.pci;
    EXPECT_EQ(c.mib.bandwidth_prb, site->mib.bandwidth_prb) << c.pci;
    EXPECT_EQ(c.mib.phich_extended, site->mib.phich_extended) << c.pci;
    EXPECT_EQ(c.mib.phich_resource, site->mib.phich_resource) << c.pci;
    EXPECT_EQ(c.mib.sfn, site->mib.sfn) << c.pci;
  }
  for (const auto& w : want) {
    const int pci = w.at("pci");
    const auto it = std::find_if(cells.begin(), cells.end(), [&](const auto& c) { return c.pci == pci; });
    ASSERT_NE(it, cells.end()) << "PCI " << pci << " not found";
    ASSERT_TRUE(it->mib_decoded) << "PCI " << pci;
    EXPECT_EQ(it->n_id_1 * 3 + it->n_id_2, pci);
    EXPECT_EQ(it->duplex, w.at("duplex").get<std::string>());
    EXPECT_EQ(it->cp, w.at("cp").get<std::string>());
    EXPECT_EQ(it->ports, w.at("ports").get<int>());
    EXPECT_EQ(it->mib.bandwidth_prb, w.at("bandwidth_prb").get<int>());
    EXPECT_EQ(it->mib.phich_extended ? "extended" : "normal", w.at("phich").at("duration").get<std::string>());
    EXPECT_EQ(it->mib.phich_resource, w.at("phich").at("resource").get<std::string>());
    // The reference's SFN is that of the first frame found; where the note names the sample of that frame's
    // subframe 0 ("subframe 0 near sample N"), compare the SFN of our frame containing sample N (the TDD
    // capture: the reference places subframe 0 half a frame from where our CRC-checked PBCH is, so its
    // frame starts 5 ms before ours and carries the previous SFN, and its MIB is the previous block's).
    int sfn = it->mib.sfn;
    bool same_block = true;
    const std::string note = cap.value("notes", "");
    std::smatch mm;
    if (std::regex_search(note, mm, std::regex("subframe 0 near sample ([0-9]+)"))) {
      const long long n = std::stoll(mm[1].str());
      const long long k = static_cast<long long>(std::floor(static_cast<double>(n - it->frame_start_sample) / 19200.0));
      sfn = static_cast<int>(((it->mib.sfn + k) % 1024 + 1024) % 1024);
      same_block = sfn / 4 == it->mib.sfn / 4;
    }
    EXPECT_EQ(sfn, w.at("sfn").get<int>());
    EXPECT_EQ(it->mib_octets[1] >> 2 | (it->mib_octets[0] & 3) << 6, it->mib.sfn / 4) << "MIB SFN bits";
    if (w.contains("mib_hex") && same_block) {
      char hex[7];
      std::snprintf(hex, sizeof hex, "%02x%02x%02x", it->mib_octets[0], it->mib_octets[1], it->mib_octets[2]);
      EXPECT_EQ(std::string(hex), w.at("mib_hex").get<std::string>());
    }
    if (w.contains("cfo_hz")) {
      EXPECT_NEAR(it->cfo_hz, w.at("cfo_hz").get<double>(), 500.0);
    }
    const auto j = to_json(*it);
    EXPECT_EQ(j.at("type"), "cell");
    EXPECT_EQ(j.at("rat"), "LTE");
    EXPECT_EQ(j.at("pci"), pci);
    EXPECT_EQ(j.at("phich"), w.at("phich"));
  }
}

TEST(LteCaptures, EveryReferenceCaptureMatches) {
  TW_REQUIRE_SHARED(shared);
  std::ifstream in(shared / "captures/lte/reference.json");
  ASSERT_TRUE(in.good());
  const auto ref = nlohmann::json::parse(in);
  ASSERT_GE(ref.at("captures").size(), 5u);
  for (const auto& cap : ref.at("captures")) check_capture(shared, cap);
}

}  // namespace
