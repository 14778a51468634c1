// File tests against real GSM downlink recordings (GSMSP 2007) and gr-gsm's decode of them
// (../shared/captures/gsm/reference.json): same blocks, same frame numbers, identical octets; nothing
// reported where nothing is decodable; no block whose CRC fails.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "dsp/gsm/carrier_receiver.hpp"
#include "support/test_support.hpp"

namespace {

using tw::gsm::cf32;

std::vector<cf32> read_cfile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  EXPECT_TRUE(in.good()) << p;
  in.seekg(0, std::ios::end);
  const auto bytes = static_cast<std::size_t>(in.tellg());
  in.seekg(0);
  std::vector<cf32> v(bytes / sizeof(cf32));
  in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(cf32)));
  return v;
}

std::array<std::uint8_t, 23> parse_hex(const std::string& s) {
  std::array<std::uint8_t, 23> out{};
  std::istringstream ss(s);
  for (auto& o : out) {
    unsigned v = 0;
    ss >> std::hex >> v;
    o = static_cast<std::uint8_t>(v);
  }
  return out;
}

nlohmann::json capture_entry(const std::filesystem::path& shared, const std::string& file) {
  std::ifstream in(shared / "captures/gsm/reference.json");
  const auto ref = nlohmann::json::parse(in);
  for (const auto& c : ref.at("captures")) {
    if (c.at("file") == file) return c;
  }
  ADD_FAILURE() << file << " missing from reference.json";
  return {};
}

TEST(GsmCapture, Robert941MHzMatchesGrGsm) {
  TW_REQUIRE_SHARED(shared);
  const std::string file = "GSMSP_20070204_robert_dbsrx_941.0MHz_128.cfile";
  const auto entry = capture_entry(shared, file);
  const auto iq = read_cfile(shared / "captures/gsm" / file);
  ASSERT_EQ(iq.size(), 80000u);
  tw::gsm::CarrierStats st;
  const auto blocks = tw::gsm::decode_capture(iq, entry.at("sample_rate").get<double>(), 0.0, &st);
  std::printf("941.0MHz_128: fcch %llu sch ok %llu failed %llu, blocks %llu/%llu, cfo %.0f Hz, snr %.1f dB, bsic %d\n",
              (unsigned long long)st.fcch_found, (unsigned long long)st.sch_ok, (unsigned long long)st.sch_failed,
              (unsigned long long)st.blocks_decoded, (unsigned long long)st.blocks_tried, st.cfo_hz, st.snr_db, st.bsic);
  for (const auto& b : blocks) {
    std::printf("  fn %u %s snr %.1f:", b.fn, b.channel.c_str(), b.snr_db);
    for (auto o : b.octets) std::printf(" %02x", o);
    std::printf("\n");
  }
  // Every gr-gsm block is found with the same FN and octets.
  for (const auto& rb : entry.at("blocks")) {
    const auto fn = rb.at("fn").get<std::uint32_t>();
    const auto want = parse_hex(rb.at("hex").get<std::string>());
    const auto it = std::find_if(blocks.begin(), blocks.end(), [&](const auto& b) { return b.fn == fn; });
    ASSERT_NE(it, blocks.end()) << "block at fn " << fn << " not decoded";
    EXPECT_EQ(it->octets, want) << "fn " << fn;
    EXPECT_EQ(it->channel, rb.at("channel").get<std::string>()) << "fn " << fn;
  }
}

// Captures where gr-gsm found nothing: nothing may be reported unless its CRC holds, and a 20 ms capture
// (shorter than the 10-frame FCCH period... but long enough for one FCCH+SCH) must not invent blocks.
class GsmCaptureQuiet : public ::testing::TestWithParam<const char*> {};

TEST_P(GsmCaptureQuiet, NoInventedBlocks) {
  TW_REQUIRE_SHARED(shared);
  const std::string file = GetParam();
  const auto entry = capture_entry(shared, file);
  const auto iq = read_cfile(shared / "captures/gsm" / file);
  const double rate = entry.at("sample_rate").get<double>();
  tw::gsm::CarrierStats st;
  const auto blocks = tw::gsm::decode_capture(iq, rate, 0.0, &st);
  std::printf("%s: fcch %llu sch ok %llu failed %llu, blocks %llu/%llu, cfo %.0f, bsic %d\n", file.c_str(),
              (unsigned long long)st.fcch_found, (unsigned long long)st.sch_ok, (unsigned long long)st.sch_failed,
              (unsigned long long)st.blocks_decoded, (unsigned long long)st.blocks_tried, st.cfo_hz, st.bsic);
  for (const auto& b : blocks) {
    std::printf("  fn %u %s:", b.fn, b.channel.c_str());
    for (auto o : b.octets) std::printf(" %02x", o);
    std::printf("\n");
  }
  // Every reported block passed the fire-code CRC (decode_capture reports nothing else); a block must
  // lie inside the capture: 80000 samples span rate-dependent frames.
  const double frames = static_cast<double>(iq.size()) / rate / (1250.0 / (1625000.0 / 6.0));
  if (frames < 10.0) {
    EXPECT_TRUE(blocks.empty()) << "a capture shorter than the FCCH period cannot give a block";
  }
  for (std::size_t i = 1; i < blocks.size(); ++i) {
    EXPECT_GT(blocks[i].fn - blocks[0].fn, 0u);
    EXPECT_LE(blocks[i].fn - blocks[0].fn, static_cast<std::uint32_t>(frames) + 1);
  }
}

INSTANTIATE_TEST_SUITE_P(Captures, GsmCaptureQuiet,
                         ::testing::Values("GSMSP_20070204_robert_dbsrx_953.6MHz_64.cfile",
                                           "GSMSP_20070204_robert_dbsrx_941MHz_16.cfile",
                                           "GSMSP_20070204_robert_dbsrx_937MHz_16.cfile"));

}  // namespace
