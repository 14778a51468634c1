// The wideband GsmPipeline gives the same events in the same order whatever the number of threads its
// channel receivers run on (src/pipeline/gsm_pipeline.hpp, GsmPipelineConfig::threads).
// Signal: the built-in "city" scene (six cells on ARFCNs 58..76) rendered in memory at 13 Msps, 65 channels
// through the polyphase filterbank. Truth: the synthesizer's record of every block and SCH it sent, so the
// comparison is not between two equally empty outputs.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "src/pipeline/gsm_pipeline.hpp"
#include "tools/synth/renderer.hpp"
#include "tools/synth/scene.hpp"
#include "tools/synth/truth.hpp"

namespace {

using tw::cf32;

constexpr double kRate = 13e6;      // 65 channels, 2 samples/symbol at the filterbank output
constexpr double kSeconds = 1.2;    // sync, then two and a half 51-multiframe BCCH cycles' worth of blocks

struct Capture {
  std::vector<cf32> iq;
  tw::synth::TruthRecorder truth;
  tw::synth::Scene scene;
  double centre_hz = 0.0;
};

const Capture& city() {
  static Capture* c = [] {
    auto* cap = new Capture;
    const auto scene = tw::synth::builtin_scene("city");
    cap->centre_hz = tw::synth::scene_center_freq_hz(scene, kRate);
    tw::synth::SceneRenderer ren(scene, cap->centre_hz, kRate);
    ren.set_truth_sink(&cap->truth);
    cap->iq.resize(static_cast<std::size_t>(kSeconds * kRate));
    constexpr std::size_t kChunk = 1 << 16;
    for (std::size_t i = 0; i < cap->iq.size(); i += kChunk)
      ren.render(std::span<cf32>(cap->iq).subspan(i, std::min(kChunk, cap->iq.size() - i)));
    cap->scene = ren.scene();
    return cap;
  }();
  return *c;
}

// Everything an event carries, as one comparable line.
std::vector<std::string> run(const Capture& cap, unsigned threads, std::size_t chunk, unsigned* threads_used,
                             bool* wideband, std::map<int, std::set<int>>* bsic,
                             std::map<std::tuple<int, std::uint32_t>, tw::synth::L2Octets>* blocks) {
  tw::GsmPipelineConfig cfg;
  cfg.sample_rate_hz = kRate;
  cfg.center_freq_hz = cap.centre_hz;
  cfg.center_freq_known = true;
  cfg.threads = threads;
  tw::GsmPipeline p(cfg);
  std::vector<std::string> events;
  p.on_block([&](const tw::GsmChannelBlock& b) {
    EXPECT_NE(b.stats, nullptr);
    std::string s("B ");
    s += std::to_string(b.channel->arfcn.value_or(-1));
    s += ' ';
    s += std::to_string(b.block.fn);
    s += ' ';
    s += b.block.channel;
    s += ' ';
    s += std::to_string(b.block.snr_db);
    s += ' ';
    s += std::to_string(b.block.cfo_hz);
    for (auto o : b.block.octets) {
      s += ' ';
      s += std::to_string(o);
    }
    if (b.stats) {
      s += " st ";
      s += std::to_string(b.stats->blocks_decoded);
      s += ' ';
      s += std::to_string(b.stats->power_dbfs);
    }
    events.push_back(s);
    if (b.block.channel == "BCCH")  // the truth records every BCCH block (idle CCCH fill frames are not)
      (*blocks)[{b.channel->arfcn.value_or(-1), b.block.fn}] = b.block.octets;
  });
  p.on_sync([&](const tw::GsmChannelSync& s) {
    EXPECT_NE(s.stats, nullptr);
    std::string e("S ");
    for (const auto& v : {std::to_string(s.channel->arfcn.value_or(-1)), std::to_string(s.sync.fn),
                          std::to_string(s.sync.bsic), std::to_string(s.sync.sample), std::to_string(s.sync.cfo_hz),
                          std::to_string(s.stats ? s.stats->sch_ok : 0)}) {
      e += v;
      e += ' ';
    }
    events.push_back(e);
    (*bsic)[s.channel->arfcn.value_or(-1)].insert(s.sync.bsic);
  });
  for (std::size_t i = 0; i < cap.iq.size(); i += chunk)
    p.execute(std::span<const cf32>(cap.iq).subspan(i, std::min(chunk, cap.iq.size() - i)));
  p.finish();
  *threads_used = p.threads();
  *wideband = p.wideband();
  return events;
}

}  // namespace

TEST(PipelineThreads, SameEventsInTheSameOrderWithOneOrSeveralThreads) {
  const Capture& cap = city();
  unsigned t1 = 0, t3 = 0;
  bool w1 = false, w3 = false;
  std::map<int, std::set<int>> bsic1, bsic3;
  std::map<std::tuple<int, std::uint32_t>, tw::synth::L2Octets> blocks1, blocks3;
  const auto one = run(cap, 1, 1 << 16, &t1, &w1, &bsic1, &blocks1);
  // The same input blocks (the order in which lanes report depends on where blocks end, with one thread
  // as with several).
  const auto three = run(cap, 3, 1 << 16, &t3, &w3, &bsic3, &blocks3);
  EXPECT_EQ(t1, 1u);
  EXPECT_EQ(t3, 3u);
  EXPECT_TRUE(w1);
  EXPECT_TRUE(w3);
  ASSERT_EQ(one.size(), three.size());
  for (std::size_t i = 0; i < one.size(); ++i) ASSERT_EQ(one[i], three[i]) << "event " << i;

  // The events are real: every cell of the scene synchronised with its BSIC, and every block reported
  // on the BCCH is one the cell sent (same ARFCN, FN and 23 octets), and most of the BCCH blocks sent are
  // found.
  for (const auto& c : cap.scene.cells) {
    ASSERT_TRUE(bsic1.count(c.arfcn)) << "ARFCN " << c.arfcn << " never synchronised";
    EXPECT_EQ(bsic1[c.arfcn], std::set<int>{c.bsic}) << "ARFCN " << c.arfcn;
  }
  std::map<std::tuple<int, std::uint32_t>, tw::synth::L2Octets> sent;
  for (const auto& b : cap.truth.blocks()) sent[{b.arfcn, b.fn}] = b.octets;
  for (const auto& [key, octets] : blocks1) {
    auto it = sent.find(key);
    ASSERT_NE(it, sent.end()) << "ARFCN " << std::get<0>(key) << " FN " << std::get<1>(key) << " never sent";
    EXPECT_EQ(it->second, octets);
  }
  std::size_t bcch_sent = 0, bcch_found = 0;
  for (const auto& b : cap.truth.blocks()) {
    if (b.channel != "BCCH" || b.t_start_s < 0.1) continue;
    ++bcch_sent;
    bcch_found += blocks1.count({b.arfcn, b.fn});
  }
  EXPECT_GT(bcch_sent, 20u);  // one BCCH block per 51-multiframe (235 ms) and cell
  EXPECT_GE(bcch_found * 10, bcch_sent * 8) << bcch_found << " of " << bcch_sent;
}

TEST(PipelineThreads, ThreadsAreCappedByTheLanes) {
  // 64 threads asked; the census leaves receivers on the six carriers and whatever leaks next to them, far
  // fewer than the 65 channels: no more threads than receivers.
  const Capture& cap = city();
  tw::GsmPipelineConfig cfg;
  cfg.sample_rate_hz = kRate;
  cfg.center_freq_hz = cap.centre_hz;
  cfg.center_freq_known = true;
  cfg.threads = 64;
  tw::GsmPipeline p(cfg);
  p.execute(std::span<const cf32>(cap.iq).subspan(0, static_cast<std::size_t>(0.2 * kRate)));
  std::size_t receivers = 0;
  for (const auto& c : p.channels()) receivers += c.receiver ? 1 : 0;
  EXPECT_GE(receivers, cap.scene.cells.size());
  EXPECT_LT(receivers, p.channels().size());  // the census kept receivers off empty spectrum
  EXPECT_EQ(p.threads(), std::min<std::size_t>(64, receivers));
}
