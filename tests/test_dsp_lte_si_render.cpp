// The synthesizer's LTE cells send System Information (tools/synth/lte/lte_si_scheduler.hpp, PCFICH, PHICH,
// PDCCH with the SI-RNTI, PDSCH): scenes rendered by the real SceneRenderer (OFDM, fading, noise, ppm) and
// decoded by the receiver blocks; the truth is the truth file's list of transmissions and the octets the
// System Information encoder wrote (lte_si_render_support.hpp). The larger matrix is in
// test_dsp_lte_si_render_slow.cpp.
#include <gtest/gtest.h>

#include "dsp/lte/phich_resources.hpp"
#include "dsp/lte/tbs_table.hpp"
#include "lte_si_render_support.hpp"
#include "src/core/error.hpp"
#include "tools/synth/lte/lte_si_scheduler.hpp"
#include "tools/synth/lte/sib_encoder.hpp"

namespace {

using tw::test::SiCase;

void expect_decoded(const SiCase& k) {
  SCOPED_TRACE(k.name);
  const auto r = tw::test::render_and_decode(k);
  const int cells = 1;   // of two cells, the stronger
  EXPECT_EQ(r.sib1_seen, 2 * cells);   // SFN 32 and 34
  EXPECT_GE(r.si_seen, 1 * cells);
  EXPECT_EQ(r.decoded_messages, 2 * cells);   // SIB1 and SI-1 of every cell
  std::printf("%s: %d transmissions, %d messages decoded\n", k.name.c_str(), r.transmissions, r.decoded_messages);
}

TEST(LteSiRender, Fdd10MHzTwoPortsCfi2) { expect_decoded({.name = "FDD 50 PRB 2 ports CFI 2", .n_prb = 50, .ports = 2, .cfi = 2}); }

TEST(LteSiRender, Fdd1p4MHzOnePortCfi3) {
  expect_decoded({.name = "FDD 6 PRB 1 port CFI 3", .n_prb = 6, .ports = 1, .cfi = 3, .seed = 2});
}

TEST(LteSiRender, Fdd20MHzFourPortsCfi1Format1c) {
  expect_decoded({.name = "FDD 100 PRB 4 ports CFI 1 1C", .n_prb = 100, .ports = 4, .cfi = 1, .si_1c = true, .seed = 3});
}

TEST(LteSiRender, TddExtendedCp) {
  expect_decoded({.name = "TDD 25 PRB config 1 ext CP", .n_prb = 25, .ports = 2, .cfi = 2, .normal_cp = false, .tdd = true,
                  .tdd_config = 1, .ssp = 5, .seed = 4});
}

TEST(LteSiRender, TddConfig3FourPortsCfi3) {   // subframes 6..9 downlink (6: at most 2 control symbols)
  expect_decoded({.name = "TDD 50 PRB config 3 4 ports CFI 3", .n_prb = 50, .ports = 4, .cfi = 3, .tdd = true, .tdd_config = 3,
                  .ssp = 4, .si_1c = true, .seed = 9});
}

TEST(LteSiRender, TwoCellsOneEarfcn) {
  expect_decoded({.name = "two cells 15 PRB, the first 4 dB stronger", .n_prb = 15, .ports = 2, .cfi = 2, .snr_db = 20, .two_cells = true, .seed = 5});
  expect_decoded({.name = "two cells 15 PRB, the second 4 dB stronger", .n_prb = 15, .ports = 2, .cfi = 2, .snr_db = 20, .two_cells = true,
                  .second_cell_db = 4.0, .seed = 5});
}

TEST(LteSiRender, ReceiverPpm) {
  expect_decoded({.name = "+100 ppm", .n_prb = 15, .ports = 1, .cfi = 2, .receiver_ppm = 100.0, .seed = 6});
  expect_decoded({.name = "-100 ppm", .n_prb = 15, .ports = 2, .cfi = 3, .receiver_ppm = -100.0, .seed = 7});
}

TEST(LteSiRender, EpaFading) {
  expect_decoded({.name = "EPA 5 Hz", .n_prb = 25, .ports = 2, .cfi = 2, .multipath = "epa", .doppler_hz = 5.0, .snr_db = 18, .seed = 8});
}

// Two SI messages: SI-1 (SIB2, SIB3) every 16 frames, SI-2 (SIB4, SIB5) every 32 frames, 10 ms windows: SI-1 in
// frame 32 (SFN mod 16 = 0), SI-2 in frame 33 (SFN mod 32 = floor(10 / 10) = 1), each 4 times.
TEST(LteSiRender, TwoSiMessagesInTheirWindows) {
  SiCase k{.name = "SI-1 + SI-2", .n_prb = 25, .ports = 2, .cfi = 2, .seed = 11, .window_ms = 10, .more_sibs = true};
  const auto r = tw::test::render_and_decode(k);
  EXPECT_EQ(r.sent.at("SIB1"), 2);
  EXPECT_EQ(r.sent.at("SI-1"), 4);
  EXPECT_EQ(r.sent.at("SI-2"), 4);
  EXPECT_EQ(r.decoded_messages, 3);
}

// 36.211 table 6.9-1 (m_i), spot values, and FDD.
TEST(LteSiRender, PhichMiTable) {
  namespace dl = tw::dsp::lte;
  EXPECT_EQ(dl::phich_mi(false, -1, 5), 1);
  EXPECT_EQ(dl::phich_mi(true, 0, 0), 2);
  EXPECT_EQ(dl::phich_mi(true, 0, 5), 2);
  EXPECT_EQ(dl::phich_mi(true, 0, 1), 1);
  EXPECT_EQ(dl::phich_mi(true, 1, 0), 0);
  EXPECT_EQ(dl::phich_mi(true, 1, 4), 1);
  EXPECT_EQ(dl::phich_mi(true, 2, 3), 1);
  EXPECT_EQ(dl::phich_mi(true, 3, 0), 1);
  EXPECT_EQ(dl::phich_mi(true, 5, 8), 1);
  EXPECT_EQ(dl::phich_mi(true, 6, 9), 1);
  EXPECT_EQ(dl::phich_mi(true, 6, 2), 0);
  EXPECT_THROW(dl::phich_mi(true, 7, 0), tw::InputError);
  EXPECT_THROW(dl::phich_mi(true, 1, 10), tw::InputError);
}

// Scene keys: "system_info": false sends none; si_start_prb / si_dci_format / si_aggregation reach the air.
TEST(LteSiRender, SceneKeys) {
  namespace sy = tw::synth;
  auto truth_of = [](const std::string& text) {
    const auto s = sy::parse_scene_with_lte(nlohmann::json::parse(text), "test");
    sy::SceneRenderer r(s, tw::synth::lte::carrier_hz(s.lte_cells[0]), 1.92e6);
    std::vector<std::complex<float>> iq(static_cast<std::size_t>(0.032 * 1.92e6));
    r.render(iq);
    sy::TruthRecorder rec;
    return rec.to_json(r, 0.032)["lte_cells"][0];
  };
  const auto off = truth_of(R"({"seed":3,"lte_cells":[{"earfcn":1300,"pci":7,"bandwidth_prb":25,"first_sfn":32,"system_info":false}]})");
  EXPECT_FALSE(off.contains("si_transmissions"));
  const auto on = truth_of(
      R"({"seed":3,"lte_cells":[{"earfcn":1300,"pci":7,"bandwidth_prb":25,"first_sfn":32,"si_start_prb":9,"si_dci_format":"1C","si_aggregation":8,"si_repetitions":2}]})");
  ASSERT_TRUE(on.contains("si_transmissions"));
  int sib1 = 0, si = 0;
  for (const auto& t : on["si_transmissions"]) {
    EXPECT_EQ(t["aggregation"], 8);
    EXPECT_EQ(t["first_cce"].get<int>() % 8, 0);
    if (t["message"] == "SIB1") {
      ++sib1;
      EXPECT_EQ(t["dci_format"], "1A");
      EXPECT_EQ(t["prbs"][0], 9);   // localized from si_start_prb
    } else {
      ++si;
      EXPECT_EQ(t["dci_format"], "1C");
    }
  }
  EXPECT_EQ(sib1, 2);
  EXPECT_EQ(si, 2);   // si_repetitions in the one window
  EXPECT_THROW(sy::parse_scene_with_lte(nlohmann::json::parse(R"({"lte_cells":[{"earfcn":1300,"si_aggregation":5}]})"), "t"),
               tw::InputError);
  EXPECT_THROW(sy::parse_scene_with_lte(nlohmann::json::parse(R"({"lte_cells":[{"earfcn":1300,"si_dci_format":"2A"}]})"), "t"),
               tw::InputError);
}

// The plan: TBS the smallest holding the message (36.213 tables), code rate bound, bad configurations.
TEST(LteSiRender, PlanChoices) {
  namespace sl = tw::synth::lte;
  sl::LteCellConfig c;
  c.bandwidth_prb = 50;
  c.ports = 2;
  const sl::LteSiPlan p(c, 1);
  ASSERT_TRUE(p.enabled());
  ASSERT_GE(p.messages().size(), 2u);
  for (const auto& m : p.messages()) {
    const int bits = static_cast<int>(8 * m.octets.size());
    EXPECT_GE(m.alloc.tbs, bits);
    // No smaller TBS of 36.213 table 7.1.7.2.1-1, columns N_PRB^1A = 2 and 3, holds the message.
    for (int i_tbs = 0; i_tbs <= 26; ++i_tbs)
      for (int n1a : {2, 3}) {
        const int t = tw::dsp::lte::transport_block_size(i_tbs, n1a);
        if (t >= bits) { EXPECT_GE(t, m.alloc.tbs) << "I_TBS " << i_tbs << " N_PRB " << n1a; }
      }
    EXPECT_EQ(m.alloc.tbs, tw::dsp::lte::transport_block_size(m.dci.mcs, (m.dci.tpc & 1) ? 3 : 2));
    EXPECT_EQ(static_cast<int>(8 * m.tb.size()), m.alloc.tbs);
    for (std::size_t i = m.octets.size(); i < m.tb.size(); ++i) EXPECT_EQ(m.tb[i], 0);
  }
  c.bandwidth_prb = 6;
  c.ports = 4;
  c.cfi = 1;   // 2 symbols of 6 PRB, 4 ports: 12 + 12 REGs - 4 PCFICH - 3 PHICH = 17: 1 CCE
  const sl::LteSiPlan none(c, 1);
  EXPECT_FALSE(none.enabled());
  EXPECT_NE(none.disabled_reason().find("1 CCEs"), std::string::npos) << none.disabled_reason();
  EXPECT_FALSE(none.at(0, 5).has_value());
  c.cfi = 3;   // 4 symbols: 12 + 12 + 18 + 18 - 7 = 53 REGs: 5 CCEs
  EXPECT_TRUE(sl::LteSiPlan(c, 1).enabled());
  c.si_start_prb = 6;
  EXPECT_THROW(sl::LteSiPlan(c, 1), tw::InputError);
  c.si_start_prb = -1;
  c.system_info.si_window_ms = 3;
  EXPECT_THROW(sl::LteSiPlan(c, 1), tw::InputError);
  c.system_info.si_window_ms = 20;
  // Every MIB PHICH configuration with every small bandwidth, port count and CFI is a cell the synthesizer
  // renders (fuzz_lte_search found a valid one it refused: PHICH groups that do not fit the control region,
  // regression input corpus/lte_search/regr_phich_groups_do_not_fit): SI on, or off with the reason.
  for (int n_prb : {6, 15, 25})
    for (int ports : {1, 2, 4})
      for (int cfi : {1, 2, 3})
        for (bool extended : {false, true})
          for (const char* ng : {"1/6", "1/2", "1", "2"}) {
            c.bandwidth_prb = n_prb;
            c.ports = ports;
            c.cfi = cfi;
            c.phich_extended = extended;
            c.phich_resource = ng;
            try {
              const sl::LteSiPlan p(c, 1);
              if (!p.enabled()) { EXPECT_FALSE(p.disabled_reason().empty()); }
            } catch (const std::exception& e) {
              ADD_FAILURE() << n_prb << " PRB, " << ports << " ports, CFI " << cfi << ", PHICH " << extended << "/" << ng
                            << ": " << e.what();
            }
          }
}

}  // namespace

namespace {

// 36.211 / lte_cell_config.hpp EPRE convention with System Information on the air: every resource element
// sent carries the cell's EPRE over its ports (sum over p of |a_p|^2 is 0 or 1: CRS on one port, PCFICH /
// PHICH / PDCCH / PBCH / SI PDSCH transmit diversity split over the ports), and the
// SIB1 subframe fills the PRBs of its allocation.
TEST(LteSiRender, EveryResourceElementHasTheCellsEpre) {
  namespace sl = tw::synth::lte;
  for (int ports : {1, 2, 4}) {
    sl::LteCellConfig c;
    c.pci = 17;
    c.ports = ports;
    c.bandwidth_prb = 15;
    c.first_sfn = 0;
    c.first_sfn_set = true;
    c.pdcch_load = 0.6;   // (random PDSCH data is 16/64QAM too: unit power only on average, left out)
    sl::LteCellChain chain(c, 99, 0.0);
    const sl::LteSiPlan plan(c, 99);
    for (int sf = 0; sf < 10; ++sf) {
      SCOPED_TRACE("ports " + std::to_string(ports) + " subframe " + std::to_string(sf));
      chain.build_grid(sf);
      const std::size_t n = chain.grid(0).size();
      int sent = 0, bad = 0;
      for (std::size_t i = 0; i < n; ++i) {
        double e = 0.0;
        for (int p = 0; p < ports; ++p) e += std::norm(chain.grid(p)[i]);
        if (e > 1e-9) ++sent;
        if (e > 1e-9 && std::abs(e - 1.0) > 1e-4) ++bad;
      }
      EXPECT_EQ(bad, 0);
      EXPECT_GT(sent, 0);
      const auto tx = plan.at(0, sf);
      if (sf == 5) { ASSERT_TRUE(tx.has_value()); }
      if (!tx) continue;
      // The allocation's PRBs carry the PDSCH on every symbol after the control region (a RE of the last
      // symbol of each allocated PRB is sent).
      const int nsc = 12 * c.bandwidth_prb;
      const int last = static_cast<int>(n) / nsc - 1;
      for (int prb : tx->plan->alloc.prb_slot1) {
        double e = 0.0;
        for (int p = 0; p < ports; ++p) e += std::norm(chain.grid(p)[static_cast<std::size_t>(last * nsc + 12 * prb + 1)]);
        EXPECT_NEAR(e, 1.0, 1e-4) << "PRB " << prb;
      }
    }
  }
}

}  // namespace

namespace {

// 36.331 6.2.2: a TDD cell's SIB1 carries its own tdd-Config (subframeAssignment = the uplink-downlink
// configuration, specialSubframePatterns = the special subframe configuration), whatever system_info said.
TEST(LteSiRender, TddSib1CarriesTheCellsTddConfig) {
  namespace sl = tw::synth::lte;
  sl::LteCellConfig c;
  c.earfcn = 38000;
  c.duplex = sl::Duplex::TDD;
  c.tdd_config = 2;
  c.special_subframe_config = 5;
  c.system_info.tdd_config = sl::TddConfigSib{1, 7};   // stale
  const sl::LteSiPlan p(c, 5);
  auto si = c.system_info;
  si.tdd_config = sl::TddConfigSib{2, 5};
  EXPECT_EQ(p.messages()[0].octets, sl::encode_sib1(si));
  si.tdd_config = sl::TddConfigSib{1, 7};
  EXPECT_NE(p.messages()[0].octets, sl::encode_sib1(si));
  // FDD: none.
  c.duplex = sl::Duplex::FDD;
  c.earfcn = 1300;
  si.tdd_config.reset();
  EXPECT_EQ(sl::LteSiPlan(c, 5).messages()[0].octets, sl::encode_sib1(si));
}

}  // namespace
