// Speed of GSM reception against the goals of issue 19, each with its baseline in the same run.
//
// BM_AnalyzeVsGrGsm: `towerwatch analyze FILE --json` against gr-gsm's
//   `grgsm_decode -c FILE -s 1083333.33 -f 947.4e6 -m BCCH -t 0 -v` on the same 10 s one-cell cf32 file at
//   1.083 Msps (`towerwatch synth single`), both as child processes, one after the other in every iteration.
//   Counters: CPU seconds (user + system, getrusage of the child) and wall seconds of each; ratio_cpu and
//   ratio_wall = gr-gsm / towerwatch; the blocks each decoded. gr-gsm is a peer tool found on PATH (Debian
//   package gr-gsm, never a CI dependency): its grgsm_decode imports pdu.socket_pdu, which Debian 12's GNU
//   Radio has in gnuradio.network, so a patched copy is run with /usr/bin/python3. Without it the gr-gsm
//   counters are absent. $TW_BASELINE_TOWERWATCH: another towerwatch binary (e.g. a build of the previous
//   commit) measured in the same loop (base_cpu_s, base_wall_s).
//
// BM_Wideband20M/threads: the GSM pipeline (polyphase filterbank, census, a receiver per carrier) on 4 s of
//   the city-with-rogue scene at 20 Msps (a HackRF's full rate, 100 channels), held as cs8 in memory and
//   converted block by block as `analyze` reads a file. Counters: cpu_per_signal_s (process CPU seconds per
//   second of signal), xRT_one_core = its inverse; carriers synchronised against the scene's cells; blocks;
//   blocks_hash (FNV-1a over every block's channel, FN and octets in delivery order): equal for every
//   thread count.
//
// BM_BurstDemodulate: one TS0 normal burst (frequency correction, channel filter, timing search, LS channel,
//   soft MLSE) as the synchronised receiver runs it (+-10 samples search), over the TS0 bursts of the 10 s
//   file; the CPU time per iteration is the cost of one burst.
//
// Files are synthesized once into $TMPDIR/towerwatch-bench-gsm-speed (kept between runs).
//   build-NAME/tools/bench/bench_gsm_speed [--benchmark_filter=Wideband]
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "dsp/gsm/burst_demod.hpp"
#include "hw/sample_format.hpp"
#include "src/pipeline/gsm_pipeline.hpp"
#include "tools/synth/scene.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using tw::cf32;

fs::path work_dir() {
  const fs::path d = fs::temp_directory_path() / "towerwatch-bench-gsm-speed";
  fs::create_directories(d);
  return d;
}

struct ChildTimes {
  double cpu_s = 0.0, wall_s = 0.0;
  int status = -1;
};

// Runs argv with stdout to `out_path` (stderr discarded); CPU time of that child from wait4.
ChildTimes run_child(const std::vector<std::string>& argv, const std::string& out_path) {
  std::vector<char*> a;
  for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
  a.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  ChildTimes t;
  const auto t0 = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, a[0], &fa, nullptr, a.data(), environ) != 0) {
    posix_spawn_file_actions_destroy(&fa);
    return t;
  }
  posix_spawn_file_actions_destroy(&fa);
  int status = 0;
  struct rusage ru {};
  wait4(pid, &status, 0, &ru);
  t.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  t.cpu_s = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
            1e-6 * static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
  t.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return t;
}

const std::string kTowerwatch = std::string(TW_BUILD_DIR) + "/towerwatch";

// `towerwatch synth` once; returns the data file ("" on failure).
std::string synth_file(const std::string& scene, const std::string& rate, const std::string& seconds,
                       const std::string& name) {
  const fs::path f = work_dir() / name;
  if (fs::exists(f) && fs::exists(fs::path(f).replace_extension(".sigmf-meta"))) return f.string();
  const auto t = run_child({kTowerwatch, "synth", scene, "--rate", rate, "--duration", seconds, "-o", f.string()},
                           (work_dir() / "synth.log").string());
  return t.status == 0 ? f.string() : std::string();
}

std::string find_on_path(const std::string& name) {
  const char* p = std::getenv("PATH");
  std::stringstream ss(p ? p : "");
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    const fs::path c = fs::path(dir) / name;
    if (!dir.empty() && ::access(c.c_str(), X_OK) == 0) return c.string();
  }
  return {};
}

// gr-gsm's grgsm_decode with the GNU Radio 3.10 module of socket_pdu; "" without gr-gsm.
std::string patched_grgsm_decode() {
  const std::string orig = find_on_path("grgsm_decode");
  if (orig.empty()) return {};
  std::ifstream in(orig);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  };
  replace_all("from gnuradio import pdu\n", "from gnuradio import network\n");
  replace_all("pdu.socket_pdu", "network.socket_pdu");
  const fs::path out = work_dir() / "grgsm_decode_patched.py";
  std::ofstream(out) << s;
  return out.string();
}

std::size_t count_lines(const std::string& path) {
  std::ifstream in(path);
  std::size_t n = 0;
  for (std::string l; std::getline(in, l);) n += !l.empty();
  return n;
}

// The "blocks" of analyze's closing summary line.
double analyze_blocks(const std::string& path) {
  std::ifstream in(path);
  std::string last;
  for (std::string l; std::getline(in, l);)
    if (l.find("\"blocks\"") != std::string::npos && l.find("\"cells\"") != std::string::npos) last = l;
  if (last.empty()) return -1.0;
  const auto j = nlohmann::json::parse(last, nullptr, false);
  return j.is_object() && j.contains("blocks") ? j["blocks"].get<double>() : -1.0;
}

void BM_AnalyzeVsGrGsm(benchmark::State& state) {
  const std::string file = synth_file("single", "1083333.3333333333", "10", "single10.cf32");
  if (file.empty()) return state.SkipWithError("towerwatch synth failed (is the towerwatch binary built?)");
  const std::string grgsm = patched_grgsm_decode();
  const char* base = std::getenv("TW_BASELINE_TOWERWATCH");
  const std::string out = (work_dir() / "out.txt").string();
  ChildTimes tw, gr, bs;
  double tw_blocks = 0, gr_blocks = 0, base_blocks = 0;
  int n = 0;
  for (auto _ : state) {
    const auto t = run_child({kTowerwatch, "analyze", file, "--json"}, out);
    if (t.status != 0) return state.SkipWithError("towerwatch analyze failed");
    tw.cpu_s += t.cpu_s;
    tw.wall_s += t.wall_s;
    tw_blocks = analyze_blocks(out);
    if (base) {
      const auto b = run_child({base, "analyze", file, "--json"}, out);
      bs.cpu_s += b.cpu_s;
      bs.wall_s += b.wall_s;
      base_blocks = analyze_blocks(out);
    }
    if (!grgsm.empty()) {
      const auto g = run_child({"/usr/bin/python3", grgsm, "-c", file, "-s", "1083333.33", "-f", "947.4e6", "-m", "BCCH", "-t", "0", "-v"}, out);
      gr.cpu_s += g.cpu_s;
      gr.wall_s += g.wall_s;
      gr_blocks = static_cast<double>(count_lines(out));
    }
    ++n;
  }
  if (n == 0) return;
  state.counters["tw_cpu_s"] = tw.cpu_s / n;
  state.counters["tw_wall_s"] = tw.wall_s / n;
  state.counters["tw_blocks"] = tw_blocks;
  if (base) {
    state.counters["base_cpu_s"] = bs.cpu_s / n;
    state.counters["base_wall_s"] = bs.wall_s / n;
    state.counters["base_blocks"] = base_blocks;
  }
  if (!grgsm.empty()) {
    state.counters["grgsm_cpu_s"] = gr.cpu_s / n;
    state.counters["grgsm_wall_s"] = gr.wall_s / n;
    state.counters["grgsm_blocks"] = gr_blocks;
    state.counters["ratio_cpu"] = gr.cpu_s / tw.cpu_s;
    state.counters["ratio_wall"] = gr.wall_s / tw.wall_s;
    if (base) {
      state.counters["base_ratio_cpu"] = gr.cpu_s / bs.cpu_s;
      state.counters["base_ratio_wall"] = gr.wall_s / bs.wall_s;
    }
  }
}
BENCHMARK(BM_AnalyzeVsGrGsm)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_BurstDemodulate(benchmark::State& state) {
  const std::string file = synth_file("single", "1083333.3333333333", "10", "single10.cf32");
  if (file.empty()) return state.SkipWithError("towerwatch synth failed (is the towerwatch binary built?)");
  static std::vector<cf32> iq;
  if (iq.empty()) {
    std::ifstream in(file, std::ios::binary);
    iq.resize(200000);
    in.read(reinterpret_cast<char*>(iq.data()), static_cast<std::streamsize>(iq.size() * sizeof(cf32)));
  }
  tw::gsm::BurstDemodulator d;
  tw::gsm::BurstResult r;
  std::int64_t start = 1000;
  for (auto _ : state) {
    if (start + 2000 > static_cast<std::int64_t>(iq.size())) start = 1000;
    d.demodulate(iq, 0, start, 10, 0.0, tw::gsm::BurstKind::normal, 0, r);
    benchmark::DoNotOptimize(r.soft.data());
    start += 5000;
  }
}
BENCHMARK(BM_BurstDemodulate);

struct Wideband {
  std::vector<std::uint8_t> cs8;
  double rate = 20e6, centre_hz = 0.0;
  std::size_t cells = 0;
};

const Wideband& wideband_capture() {
  static Wideband* w = [] {
    auto* c = new Wideband;
    const std::string file = synth_file("city-with-rogue", "20M", "4", "city20.cs8");
    if (file.empty()) return c;
    std::ifstream meta(fs::path(file).replace_extension(".sigmf-meta"));
    const auto j = nlohmann::json::parse(meta, nullptr, false);
    c->centre_hz = j["captures"][0]["core:frequency"].get<double>();
    c->rate = j["global"]["core:sample_rate"].get<double>();
    std::ifstream in(file, std::ios::binary);
    c->cs8.assign(std::istreambuf_iterator<char>(in), {});
    c->cells = tw::synth::builtin_scene("city-with-rogue").cells.size();
    return c;
  }();
  return *w;
}

void BM_Wideband20M(benchmark::State& state) {
  const Wideband& cap = wideband_capture();
  if (cap.cs8.empty()) return state.SkipWithError("towerwatch synth failed (is the towerwatch binary built?)");
  const std::size_t n = cap.cs8.size() / 2;
  constexpr std::size_t kChunk = 1 << 16;
  std::vector<cf32> buf(kChunk);
  double cpu_s = 0.0;
  std::size_t blocks = 0, synced = 0;
  std::uint32_t hash = 0;
  for (auto _ : state) {
    const std::clock_t c0 = std::clock();  // process CPU time: every thread
    tw::GsmPipelineConfig cfg;
    cfg.sample_rate_hz = cap.rate;
    cfg.center_freq_hz = cap.centre_hz;
    cfg.center_freq_known = true;
    cfg.threads = static_cast<unsigned>(state.range(0));
    tw::GsmPipeline p(cfg);
    blocks = 0;
    hash = 2166136261u;
    auto mix = [&](std::uint8_t b) { hash = (hash ^ b) * 16777619u; };
    p.on_block([&](const tw::GsmChannelBlock& b) {
      ++blocks;
      const auto off = static_cast<std::int64_t>(b.channel->offset_hz);
      for (int i = 0; i < 8; ++i) mix(static_cast<std::uint8_t>(off >> (8 * i)));
      for (int i = 0; i < 4; ++i) mix(static_cast<std::uint8_t>(b.block.fn >> (8 * i)));
      for (auto o : b.block.octets) mix(o);
    });
    for (std::size_t i = 0; i < n; i += kChunk) {
      const std::size_t m = std::min(kChunk, n - i);
      tw::convert_to_cf32(tw::SampleFormat::cs8, cap.cs8.data() + 2 * i, m, buf.data());
      p.execute(std::span<const cf32>(buf.data(), m));
    }
    p.finish();
    synced = 0;
    for (std::size_t i = 0; i < p.channels().size(); ++i) synced += p.stats(i) && p.stats(i)->bsic >= 0;
    cpu_s += static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  }
  const double signal_s = static_cast<double>(n) / cap.rate * static_cast<double>(state.iterations());
  state.counters["cpu_per_signal_s"] = cpu_s / signal_s;
  state.counters["xRT_one_core"] = signal_s / cpu_s;
  state.counters["carriers_synced"] = static_cast<double>(synced);
  state.counters["scene_cells"] = static_cast<double>(cap.cells);
  state.counters["blocks"] = static_cast<double>(blocks);
  state.counters["blocks_hash"] = static_cast<double>(hash);
}
BENCHMARK(BM_Wideband20M)->Arg(1)->Arg(2)->Iterations(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
