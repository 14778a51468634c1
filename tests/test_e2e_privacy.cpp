// Privacy end to end (issue: no bystander's identity leaves towerwatch unless asked). A synthesized cell pages
// IMSIs, IMEIs and TMSIs (Paging Request Types 1, 2, 3); the truth file lists every identity sent. The real
// binary analyses the capture with every output at once: JSON on stdout (block hex and fields), the --blocks
// text, --verbose diagnostics on stderr, GSMTAP datagrams (received here on a loopback UDP socket), the SQLite
// store (its whole file, byte by byte) and the HTML report. By default no identity may appear in any of them,
// in any form (digits, hex with or without spaces, the on-air octets); with --keep-identities they appear in
// stdout and GSMTAP. The paging counts per identity type are the same either way.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/test_support.hpp"

namespace {

using nlohmann::json;

// One identity of the truth file, with every form in which it could leak.
struct Identity {
  std::string type, value;
  std::vector<std::uint8_t> on_air;   // the octets that carry it (BCD digits 2.. / the 4 TMSI octets)
  std::vector<std::string> text_forms;
};

std::string hex(const std::vector<std::uint8_t>& o, const char* sep) {
  std::string s;
  char b[4];
  for (std::size_t i = 0; i < o.size(); ++i) {
    if (i) s += sep;
    std::snprintf(b, sizeof b, "%02x", o[i]);
    s += b;
  }
  return s;
}

Identity identity_of(const json& j) {
  Identity id{j["type"].get<std::string>(), j["value"].get<std::string>(), {}, {}};
  if (id.type == "tmsi") {
    const auto v = static_cast<std::uint32_t>(std::stoul(id.value.substr(2), nullptr, 16));
    id.on_air = {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8),
                 static_cast<std::uint8_t>(v)};
  } else {
    // 24.008 10.5.1.4: digit 2k+1 in the low nibble, digit 2k+2 in the high nibble of octet k+1 (k >= 0).
    for (std::size_t i = 1; i < id.value.size(); i += 2) {
      const int lo = id.value[i] - '0';
      const int hi = i + 1 < id.value.size() ? id.value[i + 1] - '0' : 0xf;
      id.on_air.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
    }
  }
  id.text_forms = {id.value, hex(id.on_air, " "), hex(id.on_air, "")};
  if (id.type == "tmsi") id.text_forms.push_back(id.value.substr(2));
  return id;
}

bool contains_bytes(const std::string& hay, const std::vector<std::uint8_t>& needle) {
  return hay.find(std::string(needle.begin(), needle.end())) != std::string::npos;
}

// Where an identity shows: the first text form found in `text`, or "".
std::string leak_in_text(const Identity& id, const std::string& text) {
  for (const auto& f : id.text_forms)
    if (text.find(f) != std::string::npos) return f;
  return "";
}

// Datagrams sent to a loopback UDP port while a run lasts.
class UdpCollector {
 public:
  UdpCollector() {
    fd_ = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("udp bind");
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    int size = 8 << 20;
    setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    thread_ = std::thread([this] {
      std::uint8_t buf[2048];
      while (!stop_) {
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0) continue;
        const ssize_t n = recv(fd_, buf, sizeof buf, 0);
        if (n > 0) datagrams_.emplace_back(reinterpret_cast<char*>(buf), static_cast<std::size_t>(n));
      }
    });
  }
  ~UdpCollector() {
    finish();
    close(fd_);
  }
  // Stops after the socket has been drained.
  const std::vector<std::string>& finish() {
    if (thread_.joinable()) {
      usleep(200000);
      stop_ = true;
      thread_.join();
    }
    return datagrams_;
  }
  std::string destination() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::vector<std::string> datagrams_;
};

struct Counts {
  long imsi = 0, tmsi = 0, imei = 0;
};
// The identities of every paging block reported, by type (each block's own "paging" counts).
Counts paging_counts(const std::string& json_out) {
  Counts c;
  for (const auto& e : tw::test::lines_of_type(tw::test::json_lines(json_out), "gsm_block")) {
    if (!e.contains("fields") || !e["fields"].contains("paging")) continue;
    const auto& p = e["fields"]["paging"];
    c.imsi += p["imsi"].get<long>();
    c.tmsi += p["tmsi"].get<long>();
    c.imei += p["imei"].get<long>();
  }
  return c;
}

class Privacy : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new tw::test::TempDir();
    // One strong cell, 20 pages a second: Type 1 (IMSI / IMEI / TMSI), Type 2 (two TMSIs + a third identity
    // of any kind), Type 3 (four TMSIs).
    tw::test::write_file(*dir_ / "scene.json", R"({"seed":7, "noise_dbfs":-75, "receiver_ppm":0.0,
      "cells":[{"arfcn":62, "bsic":23, "mcc":262, "mnc":1, "lac":1234, "ci":5678, "power_dbfs":-30,
                "traffic":{"paging_per_s":20, "paging_type2_fraction":0.2, "paging_type3_fraction":0.1,
                           "paging_imsi_fraction":0.45, "paging_imei_fraction":0.25, "imm_ass_per_s":2}}]})");
    iq_ = (*dir_ / "pages.cf32").string();
    const auto s = tw::test::run_towerwatch({"synth", (*dir_ / "scene.json").string(), "--freq", "947.4M", "--rate",
                                             "1.083333M", "--duration", "3", "-o", iq_});
    ASSERT_EQ(s.exit_code, 0) << s.err;
    const json truth = json::parse(tw::test::read_file(*dir_ / "pages.truth.json"));
    ids_ = new std::vector<Identity>();
    for (const auto& b : truth["blocks"])
      if (b.contains("identities"))
        for (const auto& id : b["identities"]) ids_->push_back(identity_of(id));
  }
  static void TearDownTestSuite() {
    delete ids_;
    delete dir_;
  }
  static tw::test::TempDir* dir_;
  static std::string iq_;
  static std::vector<Identity>* ids_;
};
tw::test::TempDir* Privacy::dir_ = nullptr;
std::string Privacy::iq_;
std::vector<Identity>* Privacy::ids_ = nullptr;

TEST_F(Privacy, TheSceneSendsEveryKindOfIdentity) {
  std::map<std::string, int> kinds;
  for (const auto& id : *ids_) ++kinds[id.type];
  EXPECT_GE(kinds["imsi"], 10);
  EXPECT_GE(kinds["imei"], 5);
  EXPECT_GE(kinds["tmsi"], 20);
}

TEST_F(Privacy, NoIdentityInAnyOutputByDefault) {
  UdpCollector gsmtap;
  const auto db = (*dir_ / "default.db").string(), report = (*dir_ / "default.html").string();
  const auto a = tw::test::run_towerwatch({"analyze", iq_, "--json", "--verbose", "--gsmtap=" + gsmtap.destination(),
                                           "--db", db, "--report", report});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const auto b = tw::test::run_towerwatch({"analyze", iq_, "--blocks", "--verbose"});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const auto& datagrams = gsmtap.finish();
  const std::string db_bytes = tw::test::read_file(db), html = tw::test::read_file(report);

  // The outputs are really there (a test that saw nothing would pass vacuously).
  const auto lines = tw::test::json_lines(a.out);
  int paging_blocks = 0;
  for (const auto& e : tw::test::lines_of_type(lines, "gsm_block"))
    if (e["message"].get<std::string>().rfind("Paging Request", 0) == 0) ++paging_blocks;
  ASSERT_GE(paging_blocks, 40);
  ASSERT_GE(datagrams.size(), 100u);
  ASSERT_NE(b.out.find("Paging Request Type 1"), std::string::npos);
  ASSERT_GT(db_bytes.size(), 0u);
  ASSERT_GT(html.size(), 0u);

  for (const auto& id : *ids_) {
    for (const auto* text : {&a.out, &a.err, &b.out, &b.err, &html, &db_bytes}) {
      const auto leak = leak_in_text(id, *text);
      EXPECT_EQ(leak, "") << id.type << " " << id.value << " leaked as '" << leak << "'";
    }
    // Binary: the on-air octets in a GSMTAP payload; in the database file the BCD digit octets (7 octets; a
    // TMSI's 4 octets could occur by chance in a file of that size and are checked as text above).
    for (const auto& d : datagrams) {
      EXPECT_FALSE(contains_bytes(d, id.on_air)) << id.type << " " << id.value << " in GSMTAP";
    }
    if (id.type != "tmsi") {
      EXPECT_FALSE(contains_bytes(db_bytes, id.on_air)) << id.type << " " << id.value << " in the store";
    }
  }
}

TEST_F(Privacy, KeepIdentitiesShowsThemAndTheCountsDoNotChange) {
  UdpCollector gsmtap;
  const auto kept = tw::test::run_towerwatch({"analyze", iq_, "--json", "--keep-identities", "--gsmtap=" + gsmtap.destination()});
  ASSERT_EQ(kept.exit_code, 0) << kept.err;
  const auto& datagrams = gsmtap.finish();
  const auto redacted = tw::test::run_towerwatch({"analyze", iq_, "--json"});
  ASSERT_EQ(redacted.exit_code, 0) << redacted.err;

  std::size_t in_stdout = 0, in_gsmtap = 0;
  for (const auto& id : *ids_) {
    in_stdout += leak_in_text(id, kept.out).empty() ? 0 : 1;
    for (const auto& d : datagrams) {
      if (contains_bytes(d, id.on_air)) {
        ++in_gsmtap;
        break;
      }
    }
  }
  // Every block is decoded at this SNR but the first and last pages of the capture may be cut.
  EXPECT_GE(in_stdout, ids_->size() * 95 / 100) << in_stdout << " of " << ids_->size();
  EXPECT_GE(in_gsmtap, ids_->size() * 95 / 100) << in_gsmtap << " of " << ids_->size();

  // Redacted blocks still parse as what they were: the same counts per identity type, and as many as sent.
  const Counts k = paging_counts(kept.out), r = paging_counts(redacted.out);
  EXPECT_EQ(k.imsi, r.imsi);
  EXPECT_EQ(k.tmsi, r.tmsi);
  EXPECT_EQ(k.imei, r.imei);
  std::map<std::string, long> sent;
  for (const auto& id : *ids_) ++sent[id.type];
  EXPECT_GE(r.imsi, sent["imsi"] * 95 / 100);
  EXPECT_GE(r.imei, sent["imei"] * 95 / 100);
  EXPECT_GE(r.tmsi, sent["tmsi"] * 95 / 100);
  EXPECT_LE(r.imsi, sent["imsi"]);
  EXPECT_LE(r.tmsi, sent["tmsi"]);
  EXPECT_LE(r.imei, sent["imei"]);
}

}  // namespace
