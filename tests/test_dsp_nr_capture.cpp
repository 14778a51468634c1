// File tests of the NR SSB search and receiver against the recorded gNodeB in ../shared/captures/nr
// (reference.json: srsRAN's decode: PCI, SSB start sample, SSB index, SFN 4 LSBs, half-frame, k_SSB MSB).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "dsp/nr/nr_bands.hpp"
#include "dsp/nr/ssb_receiver.hpp"
#include "dsp/nr/ssb_search.hpp"
#include "support/test_support.hpp"

namespace {

namespace nr = tw::dsp::nr;

std::vector<nr::cf32> load_cf32(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  EXPECT_TRUE(in.good()) << p;
  std::vector<char> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<nr::cf32> iq(b.size() / sizeof(nr::cf32));
  std::memcpy(iq.data(), b.data(), iq.size() * sizeof(nr::cf32));
  return iq;
}

nlohmann::json reference(const std::filesystem::path& shared) {
  std::ifstream in(shared / "captures/nr/reference.json");
  EXPECT_TRUE(in.good());
  return nlohmann::json::parse(in);
}

}  // namespace

// The search alone at the SSB's raster point: PCI and timing as srsRAN's search places them.
TEST(NrCapture, SsbSearchFindsPciAndTiming) {
  TW_REQUIRE_SHARED(shared);
  const auto ref = reference(shared);
  ASSERT_FALSE(ref.at("captures").empty());
  for (const auto& cap : ref.at("captures")) {
    SCOPED_TRACE(cap.at("file").get<std::string>());
    ASSERT_EQ(cap.at("format"), "cf32");
    const auto iq = load_cf32(shared / "captures/nr" / cap.at("file").get<std::string>());
    const double fs = cap.at("sample_rate"), fc = cap.at("center_freq"), ssb = cap.at("ssb_center_freq");
    // The reference's SSB frequency is a GSCN of its band: the raster gives the same point.
    const auto gscn = nr::hz_to_gscn(ssb);
    ASSERT_TRUE(gscn);
    EXPECT_EQ(nr::hz_to_nr_arfcn(ssb).value_or(-1), cap.at("ssb_nr_arfcn").get<int>());
    const nr::CaptureSpectrum spec(iq, fs);
    nr::SsbSearch search(spec, {});
    const auto found = search.execute({ssb - fc, ssb, cap.at("ssb_scs_khz").get<int>()});
    const auto& want = cap.at("cells");
    ASSERT_EQ(found.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(found[i].pci, want[i].at("pci").get<int>());
      EXPECT_NEAR(found[i].ssb_start_sample, want[i].at("ssb_start_sample").get<double>(), 2.0);
      EXPECT_TRUE(found[i].pbch_band);
      EXPECT_LT(std::fabs(found[i].cfo_ppm), 5.0);   // a network gNodeB and a lab receiver
      EXPECT_GT(found[i].sinr_db, 10.0);
    }
  }
}

// The whole receiver over every raster point of the capture's band: one cell, its PBCH decoded, with the
// reference's SSB index, SFN 4 LSBs, half-frame and k_SSB MSB.
TEST(NrCapture, ReceiverDecodesPbchAsTheReference) {
  TW_REQUIRE_SHARED(shared);
  const auto ref = reference(shared);
  for (const auto& cap : ref.at("captures")) {
    SCOPED_TRACE(cap.at("file").get<std::string>());
    const auto iq = load_cf32(shared / "captures/nr" / cap.at("file").get<std::string>());
    const double fs = cap.at("sample_rate"), fc = cap.at("center_freq");
    const std::string band = cap.at("band");
    const auto b = nr::nr_band_from_name(band);
    ASSERT_TRUE(b) << band;
    nr::NrReceiver rx;
    const auto cells = rx.execute(iq, fs, nr::raster_points_in_capture(fc, fs, {*b}));
    const auto& want = cap.at("cells");
    ASSERT_EQ(cells.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      const auto& c = cells[i];
      std::printf("%s\n", to_json(c).dump().c_str());
      EXPECT_EQ(c.ssb.pci, want[i].at("pci").get<int>());
      EXPECT_EQ(c.at.nr_arfcn, cap.at("ssb_nr_arfcn").get<int>());
      ASSERT_TRUE(c.mib_decoded);
      EXPECT_EQ(c.ssb_index, want[i].at("ssb_index").get<int>());
      EXPECT_EQ(c.sfn % 16, want[i].at("sfn_4lsb").get<int>());
      EXPECT_EQ(c.half_frame, want[i].at("half_frame").get<int>());
      EXPECT_EQ(c.k_ssb_msb, want[i].at("k_ssb_msb").get<int>());
    }
  }
}

// A real LTE band-3 downlink (20 MHz carrier, HackRF, 19.2 Msps; ../shared/captures/lte): every n3 raster
// point it holds is searched and no NR cell is reported (LTE's Zadoff-Chu PSS, its SSS and data are not SSBs).
TEST(NrCapture, NoNrCellInAnLteRecording) {
  TW_REQUIRE_SHARED(shared);
  std::ifstream in(shared / "captures/lte/reference.json");
  ASSERT_TRUE(in.good());
  const auto ref = nlohmann::json::parse(in);
  int searched = 0;
  for (const auto& cap : ref.at("captures")) {
    if (cap.at("format") != "cs8" || cap.at("center_freq").is_null()) continue;
    std::ifstream f(shared / "captures/lte" / cap.at("file").get<std::string>(), std::ios::binary);
    ASSERT_TRUE(f.good());
    std::vector<char> b((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    std::vector<nr::cf32> iq;
    for (std::size_t i = 0; i + 1 < b.size(); i += 2)
      iq.emplace_back(static_cast<signed char>(b[i]) / 128.0f, static_cast<signed char>(b[i + 1]) / 128.0f);
    const double fs = cap.at("sample_rate"), fc = cap.at("center_freq");
    if (iq.size() > static_cast<std::size_t>(0.03 * fs)) iq.resize(static_cast<std::size_t>(0.03 * fs));
    const auto pts = nr::raster_points_in_capture(fc, fs);
    ASSERT_GT(pts.size(), 10u);
    nr::NrReceiver rx;
    EXPECT_TRUE(rx.execute(iq, fs, pts).empty()) << cap.at("file");
    ++searched;
  }
  EXPECT_GE(searched, 1);
}
