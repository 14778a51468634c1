// Reading only what the GSM receivers read (GsmPipeline::needed_ranges, IqSource::read_sparse: once a
// carrier captured at 4 samples/symbol is synchronised, only its TS0 windows) changes nothing. The truth is
// the same run over the file read whole: `analyze`'s GSM run (run_gsm_analysis) must give the same events
// (sync, every block with its octets, power and SNR, the cell records) when the file is read sparsely
// (IqFileSource's preads), and when every sample outside the wanted ranges is replaced by noise 20 dB
// above the signal (so the receiver provably reads nothing else), also with the signal gone for a second
// in the middle (sync lost, searched for and found again). Files from `towerwatch synth single`.
#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "dsp/gsm/gsm_constants.hpp"
#include "hw/iq_file_source.hpp"
#include "src/pipeline/gsm_analysis.hpp"
#include "support/test_support.hpp"

namespace {
using namespace tw::test;

using tw::cf32;

// Reads whole blocks: read_sparse is the default (read everything).
class WholeRead final : public tw::IqSource {
 public:
  explicit WholeRead(tw::IqSource& s) : s_(s) {}
  const tw::StreamInfo& info() const override { return s_.info(); }
  tw::ReadResult read(std::span<cf32> out) override { return s_.read(out); }
  void retune(double f) override { s_.retune(f); }
  const tw::GapStats& gap_stats() const override { return s_.gap_stats(); }
  std::uint64_t sample_counter() const override { return s_.sample_counter(); }

 private:
  tw::IqSource& s_;
};

// Reads whole blocks, then overwrites every sample outside the wanted ranges with strong noise.
class Poisoned final : public tw::IqSource {
 public:
  explicit Poisoned(tw::IqSource& s) : s_(s) {}
  const tw::StreamInfo& info() const override { return s_.info(); }
  tw::ReadResult read(std::span<cf32> out) override {
    const auto r = s_.read(out);
    read_samples += r.count;
    return r;
  }
  tw::ReadResult read_sparse(std::span<cf32> out, std::span<const tw::SampleRange> wanted) override {
    const auto r = s_.read(out);
    std::normal_distribution<float> n(0.f, 3.f);
    std::size_t at = 0;
    auto poison = [&](std::size_t to) {
      for (; at < std::min(to, r.count); ++at) out[at] = cf32(n(rng_), n(rng_));
    };
    for (const auto& w : wanted) {
      EXPECT_LE(at, w.first) << "ranges not sorted and disjoint";
      poison(w.first);
      at = std::max(at, std::min(w.last, r.count));
      read_samples += std::min(w.last, r.count) - std::min(w.first, r.count);
    }
    poison(r.count);
    ++sparse_reads;
    return r;
  }
  void retune(double f) override { s_.retune(f); }
  const tw::GapStats& gap_stats() const override { return s_.gap_stats(); }
  std::uint64_t sample_counter() const override { return s_.sample_counter(); }
  std::uint64_t read_samples = 0, sparse_reads = 0;

 private:
  tw::IqSource& s_;
  std::mt19937 rng_{19};
};

struct AnalysisRun {
  std::vector<std::string> events;
  std::uint64_t blocks = 0;
  std::vector<std::uint32_t> block_fns;
};

AnalysisRun analyze(tw::IqSource& source) {
  tw::GsmAnalysisOptions o;
  o.block_events = true;
  o.threads = 1;
  AnalysisRun run;
  const auto result = tw::run_gsm_analysis(source, o, [&](const nlohmann::json& e) {
    run.events.push_back(e.dump());
    if (e.value("type", "") == "gsm_block") {
      ++run.blocks;
      run.block_fns.push_back(e["fn"].get<std::uint32_t>());
    }
  });
  for (const auto& c : result.cells) run.events.push_back(c.dump());
  EXPECT_EQ(result.blocks, run.blocks);
  return run;
}

std::unique_ptr<tw::IqSource> open(const std::string& path) {
  tw::IqFileOptions o;
  o.path = path;
  return tw::open_iq_file(o);
}

AnalysisRun expect_same_runs(const std::string& file, std::size_t min_blocks) {
  auto a = open(file);
  WholeRead whole(*a);
  const AnalysisRun truth = analyze(whole);
  EXPECT_GE(truth.blocks, min_blocks);

  auto b = open(file);
  const AnalysisRun sparse = analyze(*b);
  EXPECT_EQ(sparse.blocks, truth.blocks);
  EXPECT_EQ(sparse.events, truth.events);

  auto c = open(file);
  Poisoned poisoned(*c);
  const AnalysisRun p = analyze(poisoned);
  EXPECT_EQ(p.blocks, truth.blocks);
  EXPECT_EQ(p.events, truth.events);
  // The sparse path was taken, and it reads a small part of the file.
  const auto total = static_cast<double>(std::filesystem::file_size(file) / sizeof(cf32));
  EXPECT_GT(poisoned.sparse_reads, 50u);
  EXPECT_LT(static_cast<double>(poisoned.read_samples), 0.4 * total);
  return truth;
}

TEST(SparseRead, SameEventsAsTheWholeFile) {
  TempDir dir;
  const std::string f = (dir / "single.cf32").string();
  const auto r = run_towerwatch({"synth", "single", "--rate", "1.083333M", "--duration", "4", "-o", f});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_same_runs(f, 120);
}

TEST(SparseRead, SameEventsWithTheSignalGoneForASecond) {
  TempDir dir;
  const std::string f = (dir / "dropout.cf32").string();
  const auto r = run_towerwatch({"synth", "single", "--rate", "1.083333M", "--duration", "6", "-o", f});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  {
    // Samples 2.5 s .. 3.5 s: receiver noise only (the carrier gone), so sync is lost and found again.
    std::fstream io(f, std::ios::in | std::ios::out | std::ios::binary);
    const double rate = 1083333.3333333333;
    const auto lo = static_cast<std::streamoff>(2.5 * rate), hi = static_cast<std::streamoff>(3.5 * rate);
    std::mt19937 rng(7);
    std::normal_distribution<float> n(0.f, 1e-3f);
    std::vector<cf32> quiet(static_cast<std::size_t>(hi - lo));
    for (auto& s : quiet) s = cf32(n(rng), n(rng));
    io.seekp(lo * static_cast<std::streamoff>(sizeof(cf32)));
    io.write(reinterpret_cast<const char*>(quiet.data()), static_cast<std::streamsize>(quiet.size() * sizeof(cf32)));
    ASSERT_TRUE(io.good());
  }
  const AnalysisRun truth = expect_same_runs(f, 100);
  // Blocks before the gap, none inside it, and blocks after it: sync was lost and found again.
  ASSERT_FALSE(truth.block_fns.empty());
  const std::uint32_t fn0 = truth.block_fns.front();
  auto seconds_after_first = [&](std::uint32_t fn) { return ((fn + tw::gsm::kHyperframe - fn0) % tw::gsm::kHyperframe) * 0.004615; };
  bool before = false, inside = false, after = false;
  for (const auto fn : truth.block_fns) {
    const double t = seconds_after_first(fn);
    before |= t < 2.0;
    inside |= t > 2.5 && t < 2.95;   // inside the gap whatever the first block's time (< 0.5 s)
    after |= t > 3.8;
  }
  EXPECT_TRUE(before);
  EXPECT_FALSE(inside);
  EXPECT_TRUE(after);
}

}  // namespace
