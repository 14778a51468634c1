#include "src/sweep/sweep_runner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <fftw3.h>

#include "src/core/error.hpp"
#include "src/pipeline/gsm_analysis.hpp"
#include "src/pipeline/lte_analysis.hpp"
#include "src/sweep/position_stamp.hpp"

namespace tw::sweep {

using nlohmann::json;

namespace {

// Passes the samples of the wrapped source through and ends the stream once *stop is set.
class StoppableSource final : public IqSource {
 public:
  StoppableSource(IqSource& inner, const std::atomic<bool>* stop) : inner_(inner), stop_(stop) {}
  const StreamInfo& info() const override { return inner_.info(); }
  ReadResult read(std::span<cf32> out) override {
    if (stop_ && stop_->load()) {
      ReadResult r;
      r.first_sample = inner_.sample_counter();
      r.end_of_stream = true;
      return r;
    }
    return inner_.read(out);
  }
  void retune(double f) override { inner_.retune(f); }
  const GapStats& gap_stats() const override { return inner_.gap_stats(); }
  std::uint64_t sample_counter() const override { return inner_.sample_counter(); }

 private:
  IqSource& inner_;
  const std::atomic<bool>* stop_;
};

bool stopped(const std::atomic<bool>* stop) { return stop && stop->load(); }

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Reads n samples into buf (resized); false when the stream ended or a stop came first.
bool read_samples(IqSource& src, std::size_t n, std::vector<cf32>& buf, const std::atomic<bool>* stop,
                  std::uint64_t& gaps) {
  buf.resize(n);
  std::size_t have = 0;
  while (have < n) {
    if (stopped(stop)) return false;
    const auto r = src.read(std::span<cf32>(buf.data() + have, std::min<std::size_t>(n - have, 1 << 16)));
    if (r.gap) {
      ++gaps;
      have = 0;  // the census wants contiguous samples: start again
      continue;
    }
    have += r.count;
    if (r.end_of_stream) {
      buf.resize(have);
      return false;
    }
  }
  return true;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return -200.0;
  std::sort(v.begin(), v.end());
  const std::size_t i = static_cast<std::size_t>(std::floor(p * static_cast<double>(v.size() - 1)));
  return v[i];
}

}  // namespace

std::vector<double> channel_powers_dbfs(std::span<const cf32> x, double rate, const std::vector<double>& offsets,
                                        double half_width) {
  constexpr int n = 1024;
  std::vector<double> psd(n, 0.0);
  std::vector<float> w(n);
  double wss = 0.0;
  for (int i = 0; i < n; ++i) {
    w[i] = static_cast<float>(0.5 - 0.5 * std::cos(2 * M_PI * i / n));
    wss += static_cast<double>(w[i]) * w[i];
  }
  std::size_t frames = 0;
  if (x.size() >= static_cast<std::size_t>(n)) {
    auto* in = fftwf_alloc_complex(n);
    auto* out = fftwf_alloc_complex(n);
    fftwf_plan plan = fftwf_plan_dft_1d(n, in, out, FFTW_FORWARD, FFTW_ESTIMATE);
    for (std::size_t start = 0; start + n <= x.size(); start += n / 2, ++frames) {
      for (int i = 0; i < n; ++i) {
        in[i][0] = x[start + i].real() * w[i];
        in[i][1] = x[start + i].imag() * w[i];
      }
      fftwf_execute(plan);
      for (int k = 0; k < n; ++k) psd[k] += static_cast<double>(out[k][0]) * out[k][0] + static_cast<double>(out[k][1]) * out[k][1];
    }
    fftwf_destroy_plan(plan);
    fftwf_free(in);
    fftwf_free(out);
  }
  std::vector<double> res;
  for (double off : offsets) {
    if (frames == 0) {
      res.push_back(-200.0);
      continue;
    }
    // Parseval: sum_k |X_k|^2 = n * sum |x w|^2; mean power of x = sum |x w|^2 / sum w^2.
    double p = 0.0;
    const int k0 = static_cast<int>(std::ceil((off - half_width) / rate * n));
    const int k1 = static_cast<int>(std::floor((off + half_width) / rate * n));
    for (int k = k0; k <= k1; ++k) p += psd[static_cast<std::size_t>(((k % n) + n) % n)];
    p /= static_cast<double>(frames) * n * wss;
    res.push_back(10.0 * std::log10(std::max(p, 1e-20)));
  }
  return res;
}

SweepResult run_sweep(IqSource& source, const SweepPlan& plan, const SweepRunOptions& o,
                      const std::function<void(const SweepProgress&)>& progress) {
  SweepResult res;
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  const double rate = source.info().sample_rate_hz;
  StoppableSource src(source, o.stop);
  std::vector<cf32> buf;
  double global_floor = 1e9;
  try {
    for (std::size_t k = 0; k < plan.tunings.size(); ++k) {
      if (stopped(o.stop)) break;
      const Tuning& t = plan.tunings[k];
      if (progress) {
        SweepProgress p;
        p.tuning = k + 1;
        p.tunings = plan.tunings.size();
        p.band = t.band;
        p.center_hz = t.center_hz;
        p.records = res.records.size();
        p.elapsed_s = elapsed();
        p.estimated_total_s = k ? p.elapsed_s / static_cast<double>(k) * static_cast<double>(plan.tunings.size()) : 0.0;
        if (o.position) p.fix = o.position->at(wall_ms());
        progress(p);
      }
      source.retune(t.center_hz);
      const double center = source.info().center_freq_hz;  // where the receiver really sits
      // Settling: the synthesizer and the AGC need a few ms after a retune.
      if (!read_samples(src, static_cast<std::size_t>(std::ceil(plan.settle_s * rate)), buf, o.stop, res.gaps)) break;
      res.stream_s += plan.settle_s;
      const std::int64_t listen_start_ms = wall_ms();  // the tuning's listening starts (census or LTE block)

      if (t.is_lte()) {
        // LTE: the search is the census (a cell below the noise in power still shows in the PSS correlation).
        const std::size_t n = static_cast<std::size_t>(std::ceil(plan.lte_dwell_s * rate));
        if (!read_samples(src, n, buf, o.stop, res.gaps)) break;
        res.stream_s += static_cast<double>(n) / rate;
        // read_samples restarts after a gap: the block ends at the current sample.
        const double start_s = static_cast<double>(source.sample_counter() - buf.size()) / rate;
        const double start_unix_ms = static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                             std::chrono::system_clock::now().time_since_epoch())
                                                             .count()) -
                                     static_cast<double>(buf.size()) / rate * 1e3;
        // The tuning's time: the middle of its block's reading.
        const std::int64_t tuning_ms = (listen_start_ms + wall_ms()) / 2;
        // The tuning's power census: its noise floor (rule J1 compares it with the learned floor of the band).
        res.lte_floors.push_back(LteTuningFloor{t.band, center, lte_noise_floor_dbfs_per_mhz(buf, rate)});
        LteAnalysisOptions lo;
        lo.offsets_hz = t.lte_offsets_hz;
        lo.max_cfo_hz = t.lte_max_cfo_hz;
        lo.shared_search = o.lte_shared_search;
        for (auto& c : search_lte_block(buf, rate, center, lo)) {
          c["tuning_hz"] = center;
          c["sweep_band"] = t.band;
          if (c.contains("frame_start_s") && c["frame_start_s"].is_number() && c.contains("sfn") && c["sfn"].is_number_integer()) {
            const double fs = c["frame_start_s"].get<double>();
            c["sfn_time_s"] = start_s + fs;
            c["sfn_unix_ms"] = static_cast<std::int64_t>(std::llround(start_unix_ms + fs * 1e3));
          }
          if (o.position) stamp_position(c, *o.position, tuning_ms);
          res.records.push_back(std::move(c));
        }
        ++res.tunings_done;
        ++res.tunings_analysed;
        ++res.lte_tunings_done;
        continue;
      }

      // Census of every 200 kHz step inside the usable band (the tuning's own channels and what lies between).
      // In census mode the dwell is the census (capped: the periodogram gains nothing from more than ~1.7 s).
      const double census_s = o.mode == ScanMode::census ? plan.dwell_s : o.census_s;
      const std::size_t census_n = std::min<std::size_t>(static_cast<std::size_t>(std::ceil(census_s * rate)), 1u << 22);
      if (!read_samples(src, census_n, buf, o.stop, res.gaps)) break;
      res.stream_s += static_cast<double>(census_n) / rate;
      std::vector<double> offsets;
      for (const auto& ch : t.channels) offsets.push_back(ch.downlink_hz - center);
      std::vector<double> all;
      for (double off = -plan.usable_half_width_hz; off <= plan.usable_half_width_hz + 1; off += 200e3) all.push_back(off);
      const auto own = channel_powers_dbfs(buf, rate, offsets, 90e3);
      const auto span = channel_powers_dbfs(buf, rate, all, 90e3);
      const double tuning_floor = percentile(span, 0.25);
      global_floor = std::min(global_floor, tuning_floor);
      const double floor = std::min(tuning_floor, global_floor + 3.0);
      bool active = false;
      for (std::size_t i = 0; i < t.channels.size(); ++i) {
        res.census.push_back(ChannelPower{t.channels[i].arfcn, gsm_band_name(t.channels[i].band), t.channels[i].downlink_hz,
                                          own[i], floor});
        if (own[i] >= floor + o.census_margin_db) active = true;
      }
      ++res.tunings_done;
      if (o.mode == ScanMode::census || (!active && !o.analyse_every_tuning)) continue;

      GsmAnalysisOptions ao;
      ao.max_seconds = plan.dwell_s;
      ao.threads = o.threads;
      // The channels the analysis must settle before the dwell is up: this tuning's own above the floor.
      std::vector<int> wanted;
      for (std::size_t i = 0; i < t.channels.size(); ++i)
        if (own[i] >= floor + o.census_margin_db) wanted.push_back(t.channels[i].arfcn);
      if (o.mode == ScanMode::full && o.adaptive_dwell) {
        const double give_up = o.sync_give_up_s;
        ao.done = [wanted, give_up](const GsmAnalysisProgress& p) {
          if (!p.started) return false;
          for (const auto& c : *p.carriers) {
            if (!c.arfcn || std::find(wanted.begin(), wanted.end(), *c.arfcn) == wanted.end()) continue;
            if (!c.receiver) continue;  // the pipeline's own census saw nothing there
            if (c.synced ? c.bcch_tc_seen != 0xFF : p.seconds < give_up) return false;
          }
          return true;
        };
      }
      const double start_s = static_cast<double>(source.sample_counter()) / rate;
      const auto start_wall = std::chrono::system_clock::now();
      auto r = run_gsm_analysis(src, ao, nullptr);
      ++res.tunings_analysed;
      if (r.ended_early) ++res.tunings_ended_early;
      res.stream_s += r.seconds;
      res.gaps += r.gaps;
      const double start_unix_ms =
          static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(start_wall.time_since_epoch()).count());
      // The tuning's time: the middle of its listening (census and analysis).
      const std::int64_t tuning_ms = (listen_start_ms + wall_ms()) / 2;
      for (auto& c : r.cells) {
        c["tuning_hz"] = center;
        if (c.contains("sync_time_s") && c["sync_time_s"].is_number()) {
          const double ts = c["sync_time_s"].get<double>();
          c["sync_time_s"] = start_s + ts;
          c["sync_unix_ms"] = static_cast<std::int64_t>(std::llround(start_unix_ms + ts * 1e3));
        }
        if (o.position) stamp_position(c, *o.position, tuning_ms);
        res.records.push_back(std::move(c));
      }
    }
  } catch (const RuntimeFailure& e) {
    if (!o.keep_partial_on_device_loss) throw;
    res.device_error = e.what();   // the tunings done so far stand; the one under way is lost
  }
  res.interrupted = stopped(o.stop);
  res.elapsed_s = elapsed();
  return res;
}

}  // namespace tw::sweep
