// `towerwatch analyze` on pcap files through the CLI: a mix of malformed frames is counted by reason in the
// JSON summary and on stderr, the good block still read; --sweep-seconds cuts the packets into sweeps, each
// scored and stored (--db); a file that is not a pcap, and a pcap cut short, are errors naming the file (exit 2).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "src/output/gsmtap.hpp"
#include "support/pcap_frames.hpp"
#include "support/test_support.hpp"
#include "tools/synth/l3/encode.hpp"
#include "tools/synth/scene.hpp"

namespace {

using nlohmann::json;
using namespace tw::test;

Octets gsmtap(const std::array<std::uint8_t, 23>& octets, std::uint32_t fn) {
  tw::GsmtapBlock b;
  b.arfcn = 62;
  b.fn = fn;
  b.channel = "BCCH";
  b.power_dbm = -40;
  b.snr_db = 20;
  b.octets = octets;
  return bytes_of(tw::GsmtapSender::datagram(b));
}

const tw::synth::CellConfig& cell() {
  static const auto c = tw::synth::load_scene("single").cells.at(0);
  return c;
}

Octets eth_udp(const Octets& payload, std::uint16_t port = 4729) { return ethernet(0x0800, ipv4(udp(40000, port, payload))); }

TEST(PcapCli, MalformedFramesAreCountedByReasonAndTheRestIsRead) {
  TempDir dir;
  const Octets si3 = gsmtap(tw::synth::l3::encode_si3(cell()), 2 * 51 + 2);
  Octets other_type = si3;
  other_type[2] = 0x0a;   // GSMTAP type GMR-1 Um (not read)
  std::vector<TimedFrame> f{
      {1.7e9, eth_udp(si3)},
      {1.7e9 + 0.1, Octets(10, 0)},
      {1.7e9 + 0.2, ethernet(0x0806, Octets(28, 0))},
      {1.7e9 + 0.3, ethernet(0x0800, ipv4(udp(40000, 4729, si3, +2)))},
      {1.7e9 + 0.4, eth_udp(other_type)},
      {1.7e9 + 0.5, eth_udp(si3, 53)},
      {1.7e9 + 0.6, ethernet(0x0800, ipv4(udp(40000, 4729, si3), 17, 0, 0x2000))},
      {1.7e9 + 0.7, eth_udp(si3), 2000},   // cut by the snaplen
  };
  write_pcap((dir / "mixed.pcap").string(), DLT_EN10MB, f);
  const auto r = run_towerwatch({"analyze", (dir / "mixed.pcap").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = json_lines(r.out);
  const json summary = lines_of_type(lines, "summary").at(0);
  EXPECT_EQ(summary["frames"], 8);
  EXPECT_EQ(summary["gsm_blocks"], 1);
  EXPECT_EQ(summary["skipped"], json({{"truncated_link", 1}, {"not_ip", 1}, {"bad_udp_length", 1},
                                      {"gsmtap_type_other", 1}, {"udp_other_port", 1}, {"ip_fragment", 1},
                                      {"frame_cut_by_snaplen", 1}}));
  EXPECT_NE(r.err.find("8 frames: 1 GSM blocks, 0 LTE RRC messages, 7 skipped"), std::string::npos) << r.err;
  const auto cells = lines_of_type(lines, "cell");
  ASSERT_FALSE(cells.empty());
  EXPECT_EQ(cells.back()["ci"], cell().ci);
  EXPECT_EQ(cells.back()["lac"], cell().lac);
}

TEST(PcapCli, SweepSecondsCutsThePacketsIntoScoredAndStoredSweeps) {
  TempDir dir;
  std::vector<TimedFrame> f;
  // Three bursts of System Information, 1.2 s apart: with --sweep-seconds 1, one sweep each.
  for (int k = 0; k < 3; ++k) {
    f.push_back({1.7e9 + 1.2 * k, eth_udp(gsmtap(tw::synth::l3::encode_si3(cell()), 2 * 51 + 2))});
    f.push_back({1.7e9 + 1.2 * k + 0.05, eth_udp(gsmtap(tw::synth::l3::encode_si4(cell()), 3 * 51 + 2))});
  }
  write_pcap((dir / "sweeps.pcap").string(), DLT_EN10MB, f);
  const auto db = (dir / "tw.db").string();
  const auto r = run_towerwatch({"analyze", (dir / "sweeps.pcap").string(), "--json", "--sweep-seconds", "1", "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto sweeps = lines_of_type(json_lines(r.out), "sweep_summary");
  ASSERT_EQ(sweeps.size(), 3u);
  for (int k = 0; k < 3; ++k) {
    EXPECT_EQ(sweeps[static_cast<std::size_t>(k)]["sweep"], k);
    EXPECT_EQ(sweeps[static_cast<std::size_t>(k)]["cells"], 1);
    // Windows on a 1 s grid from the first packet: [0, 1), [1, 2), [2, 3) s hold the bursts at 0, 1.2, 2.4 s.
    EXPECT_NEAR(sweeps[static_cast<std::size_t>(k)]["start_time"].get<double>(), 1.7e9 + k, 1e-3);
    EXPECT_NEAR(sweeps[static_cast<std::size_t>(k)]["end_time"].get<double>(), 1.7e9 + 1.2 * k + 0.05, 1e-3);
  }
  // Stored: three sweeps, each at its packets' time (not the time of the run).
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(h, "SELECT time_unix_ms FROM sweeps ORDER BY id", -1, &st, nullptr), SQLITE_OK);
  std::vector<long long> times;
  while (sqlite3_step(st) == SQLITE_ROW) times.push_back(sqlite3_column_int64(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(h);
  ASSERT_EQ(times.size(), 3u);
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(static_cast<double>(times[static_cast<std::size_t>(k)]), (1.7e9 + 1.2 * k + 0.05) * 1e3, 2.0);
  // Without --sweep-seconds the file is one sweep.
  const auto one = run_towerwatch({"analyze", (dir / "sweeps.pcap").string(), "--json"});
  EXPECT_EQ(lines_of_type(json_lines(one.out), "sweep_summary").size(), 1u);
}

TEST(PcapCli, NotAPcapAndATruncatedPcapAreErrorsNamingTheFile) {
  TempDir dir;
  write_file(dir / "garbage.pcap", std::string(100, 'x'));
  auto r = run_towerwatch({"analyze", (dir / "garbage.pcap").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("garbage.pcap"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("not a pcap"), std::string::npos) << r.err;

  std::vector<TimedFrame> f;
  for (int k = 0; k < 3; ++k) f.push_back({1.7e9 + k, eth_udp(gsmtap(tw::synth::l3::encode_si3(cell()), 2 * 51 + 2))});
  write_pcap((dir / "whole.pcap").string(), DLT_EN10MB, f);
  const std::string whole = read_file(dir / "whole.pcap");
  write_file(dir / "cut.pcap", whole.substr(0, whole.size() - 10));
  r = run_towerwatch({"analyze", (dir / "cut.pcap").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cut.pcap"), std::string::npos) << r.err;
  // A pcap header alone, cut inside: libpcap refuses it.
  write_file(dir / "header.pcap", whole.substr(0, 12));
  r = run_towerwatch({"analyze", (dir / "header.pcap").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("header.pcap"), std::string::npos) << r.err;
}

}  // namespace
